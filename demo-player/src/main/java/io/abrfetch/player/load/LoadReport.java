package io.abrfetch.player.load;

import io.abrfetch.player.HtmlReport;
import io.abrfetch.player.SvgLineChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * The texts of a finished run: the summary table printed at the end, and the HTML report with
 * charts over time (active viewers, throughput, segment download percentiles, stalls and errors,
 * scheduling lag) built with {@link HtmlReport} and {@link SvgLineChart}. Pure functions of their
 * inputs.
 */
final class LoadReport {

  private static final String TIME_LABEL = "time since the run started (s)";
  private static final String VIEWERS_COLOR = "#1f77b4";
  private static final String REQUESTS_COLOR = "#2ca02c";
  private static final String BYTES_COLOR = "#7f7f7f";
  private static final String P50_COLOR = "#2ca02c";
  private static final String P95_COLOR = "#ff7f0e";
  private static final String P99_COLOR = "#d62728";
  private static final String STALL_COLOR = "#9467bd";
  private static final String ERROR_COLOR = "#d62728";
  private static final String LAG_COLOR = "#8c564b";

  private LoadReport() {}

  /** The summary table: one aligned {@code name  value} line per figure, then per-type rows. */
  static String summaryTable(LoadMetrics metrics, List<String> notes) {
    LoadSummary s = metrics.summary();
    StringBuilder out = new StringBuilder();
    row(out, "viewers", s.viewers() + (s.viewersFailed() > 0 ? " (" + s.viewersFailed()
        + " failed)" : "") + (s.viewersLost() > 0 ? " (" + s.viewersLost() + " lost)" : ""));
    row(out, "requests", s.requests() + String.format(Locale.ROOT, " (%.1f/s)",
        s.requestsPerSecond()));
    row(out, "errors", s.errors() + errorDetail(metrics));
    row(out, "bytes", String.format(Locale.ROOT, "%d (%.2f MB)", s.bytes(), s.bytes() / 1e6));
    row(out, "stall ratio", String.format(Locale.ROOT, "%.4f (%d stalls)", s.stallRatio(),
        s.stalls()));
    row(out, "mean bitrate", String.format(Locale.ROOT, "%.1f kbit/s", s.meanBitrateKbps()));
    row(out, "switches", s.switches() + " (" + s.abandonments() + " abandonments)");
    row(out, "startup p50/p95", ms(s.startupMsP50()) + " / " + ms(s.startupMsP95()));
    row(out, "ttfb p50/p99", ms(s.ttfbMsP50()) + " / " + ms(s.ttfbMsP99()));
    row(out, "segment p50/p95/p99", ms(s.segmentMsP50()) + " / " + ms(s.segmentMsP95()) + " / "
        + ms(s.segmentMsP99()));
    row(out, "scheduling lag p50/p99/max", ms(s.schedulingLagMsP50()) + " / "
        + ms(s.schedulingLagMsP99()) + " / " + ms(s.schedulingLagMsMax()));
    out.append(String.format(Locale.ROOT, "%n%-15s %9s %7s %12s %10s %10s %10s%n", "type",
        "requests", "errors", "bytes", "ttfb p50", "time p50", "time p99"));
    for (RequestType type : RequestType.values()) {
      long requests = metrics.requests(type);
      if (requests == 0) {
        continue;
      }
      Histogram ttfb = metrics.ttfbUs(type);
      Histogram total = metrics.downloadUs(type);
      out.append(String.format(Locale.ROOT, "%-15s %9d %7d %12s %10s %10s %10s%n", type.label(),
          requests, metrics.errors(type), "", ms(LoadMetrics.ms(ttfb, 50)),
          ms(LoadMetrics.ms(total, 50)), ms(LoadMetrics.ms(total, 99))));
    }
    Map<Long, Histogram> variants = metrics.segmentUsByVariant();
    if (!variants.isEmpty()) {
      out.append(String.format(Locale.ROOT, "%n%-15s %9s %10s %10s%n", "variant kbit/s",
          "segments", "time p50", "time p99"));
      variants.forEach((bitrate, histogram) -> out.append(String.format(Locale.ROOT,
          "%-15d %9d %10s %10s%n", bitrate / 1000, histogram.getTotalCount(),
          ms(LoadMetrics.ms(histogram, 50)), ms(LoadMetrics.ms(histogram, 99)))));
    }
    for (String note : notes) {
      out.append(note).append(System.lineSeparator());
    }
    return out.toString();
  }

  private static String errorDetail(LoadMetrics metrics) {
    if (metrics.errors() == 0) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    metrics.errorsByKind().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
    metrics.errorsByStatus().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> parts.add("status " + e.getKey() + "=" + e.getValue()));
    return " (" + String.join(", ", parts) + ")";
  }

  private static void row(StringBuilder out, String name, String value) {
    out.append(String.format(Locale.ROOT, "%-28s %s%n", name, value));
  }

  private static String ms(double value) {
    return String.format(Locale.ROOT, "%.1f ms", value);
  }

  /** The one-line progress: viewers up, req/s, p95 segment ms, stalls, errors, lag. */
  static String progressLine(LoadSample sample, LoadMetrics cumulative) {
    return String.format(Locale.ROOT,
        "%6.0fs  viewers %6d  req/s %8.1f  MB/s %7.2f  seg p95 %7.1f ms  stalled %5d  stalls %6d"
            + "  errors %6d  lag p99 %6.1f ms",
        sample.elapsedMs() / 1000.0, sample.activeViewers(), sample.requestsPerSecond(),
        sample.bytesPerSecond() / 1e6, sample.segmentMsP95(), sample.stalledViewers(),
        cumulative.stalls(), cumulative.errors(), sample.schedulingLagMsP99());
  }

  /** The HTML report of a run. */
  static HtmlReport html(String url, LoadOptions options, String fleet, LoadMetrics metrics,
      List<LoadSample> timeline, List<String> notes) {
    LoadSummary s = metrics.summary();
    HtmlReport.Builder report = HtmlReport.builder("abrfetch load test")
        .subtitle(url)
        .parameter("viewers", Integer.toString(options.viewers()))
        .parameter("duration", seconds(options.durationMs()))
        .parameter("ramp-up", seconds(options.rampUpMs()))
        .parameter("start spread", seconds(options.startSpreadMs()))
        .parameter("buffer target", seconds(options.targetBufferUs() / 1000))
        .parameter("policy", options.policy())
        .parameter("profiles", profiles(options))
        .parameter("request timeout", seconds(options.requestTimeoutMs()))
        .parameter("where", fleet);
    s.toJson().forEach(entry -> report.result(entry.getKey(), String.valueOf(entry.getValue())));
    report.result("errors by kind", metrics.errorsByKind().toString());
    report.result("errors by status", metrics.errorsByStatus().toString());
    double endS = timeline.isEmpty() ? 1 : Math.max(1, timeline.get(timeline.size() - 1)
        .elapsedMs() / 1000.0);
    report.chart(chart("Active viewers", "viewers", endS,
        SvgLineChart.Series.step("active viewers", VIEWERS_COLOR,
            points(timeline, LoadSample::activeViewers)),
        SvgLineChart.Series.step("stalled viewers", STALL_COLOR,
            points(timeline, LoadSample::stalledViewers))));
    report.chart(chart("Throughput", "requests/s  |  MB/s", endS,
        SvgLineChart.Series.line("requests/s", REQUESTS_COLOR,
            points(timeline, LoadSample::requestsPerSecond)),
        SvgLineChart.Series.line("MB/s", BYTES_COLOR,
            points(timeline, sample -> sample.bytesPerSecond() / 1e6))));
    report.chart(chart("Segment download time", "ms", endS,
        SvgLineChart.Series.line("p50", P50_COLOR, points(timeline, LoadSample::segmentMsP50)),
        SvgLineChart.Series.line("p95", P95_COLOR, points(timeline, LoadSample::segmentMsP95)),
        SvgLineChart.Series.line("p99", P99_COLOR, points(timeline, LoadSample::segmentMsP99))));
    report.chart(chart("Stalls and errors per second", "count", endS,
        SvgLineChart.Series.step("stalls started", STALL_COLOR,
            points(timeline, LoadSample::stalls)),
        SvgLineChart.Series.step("errors", ERROR_COLOR, points(timeline, LoadSample::errors))));
    report.chart(chart("Scheduling lag (harness saturation)", "p99 ms", endS,
        SvgLineChart.Series.line("lag p99", LAG_COLOR,
            points(timeline, LoadSample::schedulingLagMsP99))));
    report.note("Each viewer is a paced player: it requests a segment once its buffer has room "
        + "for it, so requests follow media time. Scheduling lag is how late a planned request "
        + "was issued; when it grows the harness, not the origin, is the bottleneck.");
    notes.forEach(report::note);
    return report.build();
  }

  private static SvgLineChart chart(String title, String yLabel, double endS,
      SvgLineChart.Series... series) {
    SvgLineChart.Builder chart = SvgLineChart.builder(title).xLabel(TIME_LABEL).yLabel(yLabel)
        .xRange(0, endS);
    for (SvgLineChart.Series s : series) {
      chart.series(s);
    }
    return chart.build();
  }

  private static List<SvgLineChart.Point> points(List<LoadSample> timeline,
      ToDoubleFunction<LoadSample> value) {
    List<SvgLineChart.Point> points = new ArrayList<>(timeline.size());
    for (LoadSample sample : timeline) {
      points.add(new SvgLineChart.Point(sample.elapsedMs() / 1000.0, value.applyAsDouble(sample)));
    }
    return points;
  }

  private static String profiles(LoadOptions options) {
    List<String> parts = new ArrayList<>();
    for (BandwidthProfile p : options.profiles()) {
      String link = p.traceFileOrNull() != null ? "trace " + p.traceFileOrNull()
          : p.rateBps() > 0 ? String.format(Locale.ROOT, "%.3f Mbit/s", p.rateBps() / 1e6)
          : "unlimited";
      parts.add(p.name() + ": " + link + " x" + p.weight());
    }
    return String.join(", ", parts);
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3f s", ms / 1000.0);
  }
}
