package io.abrfetch.player;

import io.abrfetch.fetcher.hls.HlsSessionOptions;

/**
 * Configuration of one {@link HeadlessPlayer}; build it with {@link #builder()}.
 *
 * @param session the HLS session's options: target buffer (the player's look-ahead, default
 *     30 s), alternate audio on or off, audio language, session id, ...
 * @param clock the playback clock's options: startup and rebuffer thresholds, playback rate
 *     ({@code 1.0} real time; above 1 a test plays faster than real time)
 * @param maxPlayDurationUs stop once this much media was played, microseconds; 0 plays to the end
 *     of a VOD stream, or until {@link HeadlessPlayer#close()} for live
 * @param statusIntervalMs how often {@link PlayerEvent.Progress} is emitted, milliseconds
 */
public record HeadlessPlayerOptions(
    HlsSessionOptions session,
    PlaybackClockOptions clock,
    long maxPlayDurationUs,
    long statusIntervalMs) {

  public static final long DEFAULT_STATUS_INTERVAL_MS = 1_000;

  public HeadlessPlayerOptions {
    if (session == null) {
      throw new IllegalArgumentException("session: null (expected: HlsSessionOptions)");
    }
    if (clock == null) {
      throw new IllegalArgumentException("clock: null (expected: PlaybackClockOptions)");
    }
    if (maxPlayDurationUs < 0) {
      throw new IllegalArgumentException(
          "maxPlayDurationUs: " + maxPlayDurationUs + " (expected: >= 0, 0 = no limit)");
    }
    if (statusIntervalMs <= 0) {
      throw new IllegalArgumentException(
          "statusIntervalMs: " + statusIntervalMs + " (expected: > 0)");
    }
  }

  /** The defaults: a 30 s buffer, alternate audio on, real time, no time limit, status every 1 s. */
  public static HeadlessPlayerOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder().session(session).clock(clock).maxPlayDurationUs(maxPlayDurationUs)
        .statusIntervalMs(statusIntervalMs);
  }

  /** Builds {@link HeadlessPlayerOptions}; starts at the defaults. Not thread-safe. */
  public static final class Builder {
    private HlsSessionOptions session = HlsSessionOptions.defaults();
    private PlaybackClockOptions clock = PlaybackClockOptions.defaults();
    private long maxPlayDurationUs;
    private long statusIntervalMs = DEFAULT_STATUS_INTERVAL_MS;

    private Builder() {}

    public Builder session(HlsSessionOptions value) {
      session = value;
      return this;
    }

    public Builder clock(PlaybackClockOptions value) {
      clock = value;
      return this;
    }

    public Builder maxPlayDurationUs(long value) {
      maxPlayDurationUs = value;
      return this;
    }

    public Builder statusIntervalMs(long value) {
      statusIntervalMs = value;
      return this;
    }

    public HeadlessPlayerOptions build() {
      return new HeadlessPlayerOptions(session, clock, maxPlayDurationUs, statusIntervalMs);
    }
  }
}
