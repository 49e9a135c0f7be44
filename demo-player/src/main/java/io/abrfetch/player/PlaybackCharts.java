package io.abrfetch.player;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** The charts of a player session's report, from its {@link PlaybackTimeline}. */
final class PlaybackCharts {
  static final String TIME_LABEL = "time since the session started (s)";

  private final PlaybackTimeline timeline;
  private final List<SvgLineChart.Band> stallBands;
  private final List<SvgLineChart.Marker> switchMarkers;
  /** Every time chart spans the whole session, so stacked charts line up. */
  private final double endS;

  PlaybackCharts(PlaybackTimeline timeline) {
    this.timeline = timeline;
    this.endS = timeline.summary().sessionUs() / 1e6;
    this.stallBands = stallBands(timeline);
    this.switchMarkers = switchMarkers(timeline);
  }

  /** Selected and playing bitrate as steps, with switches and stalls. */
  SvgLineChart bitrate() {
    SvgLineChart.Builder chart = SvgLineChart.builder("Bitrate")
        .xLabel(TIME_LABEL)
        .xRange(0, endS)
        .yLabel("Mbit/s")
        .series(SvgLineChart.Series.step(
            "selected bitrate (fetched)", HtmlReport.SELECTED_COLOR, mbps(TimelineSample::selectedBitrateBps)))
        .series(SvgLineChart.Series.step(
            "playing bitrate", HtmlReport.PLAYING_COLOR, mbps(TimelineSample::playingBitrateBps)));
    switchMarkers.forEach(chart::marker);
    stallBands.forEach(chart::band);
    return chart.build();
  }

  /** The buffer level, with the startup and rebuffer thresholds and stalls. */
  SvgLineChart buffer() {
    List<SvgLineChart.Point> points = new ArrayList<>(timeline.samples().size());
    for (TimelineSample s : timeline.samples()) {
      points.add(new SvgLineChart.Point(s.timeUs() / 1e6, s.bufferUs() / 1e6));
    }
    PlaybackClockOptions options = timeline.options();
    SvgLineChart.Builder chart = SvgLineChart.builder("Buffer")
        .xLabel(TIME_LABEL)
        .xRange(0, endS)
        .yLabel("media buffered (s)")
        .series(SvgLineChart.Series.line("buffer", HtmlReport.BUFFER_COLOR, points));
    if (options.startupThresholdUs() == options.rebufferThresholdUs()) {
      chart.guide(new SvgLineChart.Guide(options.startupThresholdUs() / 1e6,
          "startup and rebuffer threshold", "#888888"));
    } else {
      chart.guide(new SvgLineChart.Guide(
          options.startupThresholdUs() / 1e6, "startup threshold", "#888888"));
      chart.guide(new SvgLineChart.Guide(
          options.rebufferThresholdUs() / 1e6, "rebuffer threshold", "#aaaaaa"));
    }
    stallBands.forEach(chart::band);
    return chart.build();
  }

  /** The bandwidth estimate and measured throughput, against the selected bitrate. */
  SvgLineChart network() {
    SvgLineChart.Builder chart = SvgLineChart.builder("Bandwidth estimate and throughput")
        .xLabel(TIME_LABEL)
        .xRange(0, endS)
        .yLabel("Mbit/s")
        .series(SvgLineChart.Series.step(
            "measured throughput", HtmlReport.THROUGHPUT_COLOR, mbps(TimelineSample::throughputBps)))
        .series(SvgLineChart.Series.line(
            "bandwidth estimate", HtmlReport.ESTIMATE_COLOR, mbps(TimelineSample::estimateBps)))
        .series(SvgLineChart.Series.step(
            "selected bitrate", HtmlReport.SELECTED_COLOR, mbps(TimelineSample::selectedBitrateBps))
            .asDashed());
    switchMarkers.forEach(chart::marker);
    stallBands.forEach(chart::band);
    return chart.build();
  }

  /** Each chunk's QoE_lin reward against its index. */
  SvgLineChart qoePerChunk() {
    List<SvgLineChart.Point> points = new ArrayList<>(timeline.chunks().size());
    for (ChunkQoe chunk : timeline.chunks()) {
      points.add(new SvgLineChart.Point(chunk.index(), chunk.qoeLin()));
    }
    return SvgLineChart.builder("QoE_lin per chunk")
        .xLabel("chunk")
        .yLabel("reward")
        .series(SvgLineChart.Series.line("QoE_lin", HtmlReport.QOE_COLOR, points))
        .build();
  }

  private List<SvgLineChart.Point> mbps(ToLongFunction<TimelineSample> bps) {
    List<SvgLineChart.Point> points = new ArrayList<>(timeline.samples().size());
    for (TimelineSample s : timeline.samples()) {
      long value = bps.applyAsLong(s);
      points.add(new SvgLineChart.Point(
          s.timeUs() / 1e6, value == TimelineSample.UNKNOWN ? Double.NaN : value / 1e6));
    }
    return points;
  }

  /** One band per stall; a stall without its end (in progress, or dropped) runs to the end. */
  private static List<SvgLineChart.Band> stallBands(PlaybackTimeline timeline) {
    List<SvgLineChart.Band> bands = new ArrayList<>();
    long openStartUs = -1;
    for (TimelineMarker marker : timeline.markers()) {
      if (marker instanceof TimelineMarker.StallStart start) {
        openStartUs = start.timeUs();
      } else if (marker instanceof TimelineMarker.StallEnd end && openStartUs >= 0) {
        bands.add(stallBand(openStartUs, end.timeUs(), String.format(Locale.ROOT,
            "stall of %.3f s at %.3f s", end.stallUs() / 1e6, openStartUs / 1e6)));
        openStartUs = -1;
      }
    }
    if (openStartUs >= 0) {
      long endUs = Math.max(openStartUs, timeline.summary().sessionUs());
      bands.add(stallBand(openStartUs, endUs, String.format(Locale.ROOT,
          "stall from %.3f s, not ended by %.3f s", openStartUs / 1e6, endUs / 1e6)));
    }
    return bands;
  }

  private static SvgLineChart.Band stallBand(long fromUs, long toUs, String tooltip) {
    return new SvgLineChart.Band(fromUs / 1e6, toUs / 1e6, "stall", tooltip, HtmlReport.STALL_COLOR);
  }

  private static List<SvgLineChart.Marker> switchMarkers(PlaybackTimeline timeline) {
    List<SvgLineChart.Marker> markers = new ArrayList<>();
    for (TimelineMarker marker : timeline.markers()) {
      if (marker instanceof TimelineMarker.Switch s) {
        String tooltip = String.format(Locale.ROOT, "switch at %.3f s: variant %d -> %d, %.3f -> %.3f Mbit/s",
            s.timeUs() / 1e6, s.fromVariant(), s.toVariant(), s.fromBitrateBps() / 1e6,
            s.toBitrateBps() / 1e6);
        // Two variants at one bitrate (another codec, say) count as a switch but go neither way.
        if (s.toBitrateBps() == s.fromBitrateBps()) {
          markers.add(new SvgLineChart.Marker(s.timeUs() / 1e6, "switch", tooltip, "#555555"));
        } else if (s.isUp()) {
          markers.add(new SvgLineChart.Marker(
              s.timeUs() / 1e6, "switch up", tooltip, HtmlReport.SWITCH_UP_COLOR));
        } else {
          markers.add(new SvgLineChart.Marker(
              s.timeUs() / 1e6, "switch down", tooltip, HtmlReport.SWITCH_DOWN_COLOR));
        }
      }
    }
    return markers;
  }
}
