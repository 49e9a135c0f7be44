package io.abrfetch.player;

import java.util.List;
import java.util.Objects;

/**
 * An immutable copy of what a {@link PlaybackClock} recorded: what the HTML report draws and
 * {@code play --json} prints, safe to hand to another thread.
 *
 * @param options the options the clock ran with (its thresholds are drawn as guides)
 * @param summary the session's QoE
 * @param samples the timeline samples kept, oldest first
 * @param samplesOffered timeline samples recorded, kept or not
 * @param markers switches and stalls kept, in time order
 * @param chunks the per-chunk QoE records kept, in order
 */
public record PlaybackTimeline(
    PlaybackClockOptions options,
    QoeSummary summary,
    List<TimelineSample> samples,
    long samplesOffered,
    List<TimelineMarker> markers,
    List<ChunkQoe> chunks) {
  public PlaybackTimeline {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(summary, "summary");
    samples = List.copyOf(samples);
    markers = List.copyOf(markers);
    chunks = List.copyOf(chunks);
    if (samplesOffered < samples.size()) {
      throw new IllegalArgumentException(
          "samplesOffered: " + samplesOffered + " (expected: >= " + samples.size() + " samples)");
    }
  }

  /** A copy of what {@code clock} recorded so far. */
  public static PlaybackTimeline of(PlaybackClock clock) {
    return new PlaybackTimeline(
        clock.options(),
        clock.summary(),
        clock.samples(),
        clock.samplesOffered(),
        clock.markers(),
        clock.chunks());
  }
}
