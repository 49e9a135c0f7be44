package io.abrfetch.player;

/**
 * Configuration of a {@link PlaybackClock}: when playback starts and resumes, how fast media is
 * consumed, and how much history the clock keeps.
 *
 * @param startupThresholdUs buffered media, microseconds, needed before playback first starts,
 *     {@code > 0}; playback starts when the buffer reaches it exactly
 * @param rebufferThresholdUs buffered media, microseconds, needed to resume after a stall,
 *     {@code > 0}
 * @param playbackRate media microseconds consumed per clock microsecond, finite and {@code > 0}:
 *     {@code 1.0} plays in real time, {@code 4.0} lets a test play four times faster; stall and
 *     startup times stay in clock time
 * @param maxTimelineSamples timeline samples kept, {@code >= 2}; beyond it the timeline is
 *     decimated (see {@link DecimatingList})
 * @param maxMarkers timeline markers (switches, stalls) kept, {@code >= 0}; later ones are counted
 *     but dropped
 * @param maxChunkRecords per-chunk QoE records kept, {@code >= 0}; later chunks still count in
 *     every total of {@link QoeSummary} (a load test sets it to 0 to keep viewers small)
 */
public record PlaybackClockOptions(
    long startupThresholdUs,
    long rebufferThresholdUs,
    double playbackRate,
    int maxTimelineSamples,
    int maxMarkers,
    int maxChunkRecords) {
  public static final long DEFAULT_STARTUP_THRESHOLD_US = 2_000_000;
  public static final long DEFAULT_REBUFFER_THRESHOLD_US = 2_000_000;
  public static final double DEFAULT_PLAYBACK_RATE = 1.0;
  /** Enough for a smooth chart 1000 px wide, about 130 kB of samples. */
  public static final int DEFAULT_MAX_TIMELINE_SAMPLES = 2_048;
  public static final int DEFAULT_MAX_MARKERS = 1_024;
  /** A day of 2-second segments. */
  public static final int DEFAULT_MAX_CHUNK_RECORDS = 43_200;

  public PlaybackClockOptions {
    if (startupThresholdUs <= 0) {
      throw new IllegalArgumentException(
          "startupThresholdUs: " + startupThresholdUs + " (expected: > 0)");
    }
    if (rebufferThresholdUs <= 0) {
      throw new IllegalArgumentException(
          "rebufferThresholdUs: " + rebufferThresholdUs + " (expected: > 0)");
    }
    if (!(playbackRate > 0) || Double.isInfinite(playbackRate)) {
      throw new IllegalArgumentException(
          "playbackRate: " + playbackRate + " (expected: finite and > 0)");
    }
    if (maxTimelineSamples < 2) {
      throw new IllegalArgumentException(
          "maxTimelineSamples: " + maxTimelineSamples + " (expected: >= 2)");
    }
    if (maxMarkers < 0) {
      throw new IllegalArgumentException("maxMarkers: " + maxMarkers + " (expected: >= 0)");
    }
    if (maxChunkRecords < 0) {
      throw new IllegalArgumentException(
          "maxChunkRecords: " + maxChunkRecords + " (expected: >= 0)");
    }
  }

  /** A builder at the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: start and resume at 2 s buffered, real time. */
  public static PlaybackClockOptions defaults() {
    return builder().build();
  }

  /** Builds {@link PlaybackClockOptions}. Not thread-safe. */
  public static final class Builder {
    private long startupThresholdUs = DEFAULT_STARTUP_THRESHOLD_US;
    private long rebufferThresholdUs = DEFAULT_REBUFFER_THRESHOLD_US;
    private double playbackRate = DEFAULT_PLAYBACK_RATE;
    private int maxTimelineSamples = DEFAULT_MAX_TIMELINE_SAMPLES;
    private int maxMarkers = DEFAULT_MAX_MARKERS;
    private int maxChunkRecords = DEFAULT_MAX_CHUNK_RECORDS;

    private Builder() {}

    public Builder startupThresholdUs(long value) {
      startupThresholdUs = value;
      return this;
    }

    public Builder rebufferThresholdUs(long value) {
      rebufferThresholdUs = value;
      return this;
    }

    public Builder playbackRate(double value) {
      playbackRate = value;
      return this;
    }

    public Builder maxTimelineSamples(int value) {
      maxTimelineSamples = value;
      return this;
    }

    public Builder maxMarkers(int value) {
      maxMarkers = value;
      return this;
    }

    public Builder maxChunkRecords(int value) {
      maxChunkRecords = value;
      return this;
    }

    public PlaybackClockOptions build() {
      return new PlaybackClockOptions(
          startupThresholdUs,
          rebufferThresholdUs,
          playbackRate,
          maxTimelineSamples,
          maxMarkers,
          maxChunkRecords);
    }
  }
}
