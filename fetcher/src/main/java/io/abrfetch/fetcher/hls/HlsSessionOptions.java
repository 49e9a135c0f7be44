package io.abrfetch.fetcher.hls;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Configuration of one {@link HlsSession}; build it with {@link #builder()}.
 *
 * @param sessionId prefix of the session's peer ids ({@code <id>/video}, {@code <id>/audio}) and
 *     the ABR player id; null picks a unique {@code hls-<n>}
 * @param targetBufferUs look-ahead window: a track stops fetching while the media queued in it
 *     plus what its reader reported as buffered downstream reaches this, microseconds
 * @param initialVariantIndex the variant of the first video segment, or -1 to take the highest
 *     variant whose bandwidth fits ABR's current estimate
 * @param audioEnabled whether to open the alternate audio rendition the variant names
 * @param audioLanguage the preferred audio language (RFC 5646, matched case-insensitively on its
 *     primary subtag too), or null for the rendition marked {@code DEFAULT=YES}
 * @param subtitlesLanguage opens the subtitles rendition of the variant's {@code SUBTITLES} group
 *     in this language (matched like {@code audioLanguage}; else the default one, else the first),
 *     or null for no subtitles track
 * @param audioBitrateBps nominal bitrate of an alternate audio rendition (HLS does not declare
 *     one): its ABR budget, taken off the video ladder
 * @param maxSegmentBytes largest segment, init section or playlist body accepted
 * @param maxSegmentAttempts how many times one segment (with its key and init section) may fail
 *     transiently, after the downloader's own retries, before the track fails
 * @param segmentRetryDelay wait before such a new attempt
 * @param reloadFailureTolerance how long a live playlist may fail to reload before the track
 *     fails with {@link HlsException.Kind#RELOAD_FAILING}
 * @param liveEdgeTargetDurations how far from the end of a live playlist to start, in target
 *     durations, when it has no {@code EXT-X-START}
 * @param decryptOffLoopThresholdBytes segments at least this large are decrypted on a worker
 *     thread instead of the event loop
 * @param nanoClock monotonic clock of the live reload schedule and of event times
 */
public record HlsSessionOptions(String sessionId, long targetBufferUs, int initialVariantIndex,
    boolean audioEnabled, String audioLanguage, String subtitlesLanguage, long audioBitrateBps, int maxSegmentBytes,
    int maxSegmentAttempts, Duration segmentRetryDelay, Duration reloadFailureTolerance,
    int liveEdgeTargetDurations, int decryptOffLoopThresholdBytes, LongSupplier nanoClock) {

  public static final long DEFAULT_TARGET_BUFFER_US = 30_000_000;
  public static final long DEFAULT_AUDIO_BITRATE_BPS = 128_000;
  public static final int DEFAULT_MAX_SEGMENT_BYTES = 64 * 1024 * 1024;
  public static final int DEFAULT_MAX_SEGMENT_ATTEMPTS = 5;
  public static final Duration DEFAULT_SEGMENT_RETRY_DELAY = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RELOAD_FAILURE_TOLERANCE = Duration.ofSeconds(30);
  public static final int DEFAULT_LIVE_EDGE_TARGET_DURATIONS = 3;
  public static final int DEFAULT_DECRYPT_OFF_LOOP_THRESHOLD_BYTES = 64 * 1024;

  public HlsSessionOptions {
    check(sessionId == null || (!sessionId.isEmpty() && !sessionId.contains("/")),
        "sessionId: %s (expected: null or non-empty without '/')", sessionId);
    check(targetBufferUs > 0, "targetBufferUs: %s (expected: > 0)", targetBufferUs);
    check(initialVariantIndex >= -1, "initialVariantIndex: %s (expected: >= -1)",
        initialVariantIndex);
    check(audioLanguage == null || !audioLanguage.isBlank(),
        "audioLanguage: '%s' (expected: null or a language tag)", audioLanguage);
    check(subtitlesLanguage == null || !subtitlesLanguage.isBlank(),
        "subtitlesLanguage: '%s' (expected: null or a language tag)", subtitlesLanguage);
    check(audioBitrateBps > 0, "audioBitrateBps: %s (expected: > 0)", audioBitrateBps);
    check(maxSegmentBytes > 0, "maxSegmentBytes: %s (expected: > 0)", maxSegmentBytes);
    check(maxSegmentAttempts >= 1, "maxSegmentAttempts: %s (expected: >= 1)",
        maxSegmentAttempts);
    check(segmentRetryDelay != null && !segmentRetryDelay.isNegative(),
        "segmentRetryDelay: %s (expected: >= 0)", segmentRetryDelay);
    check(reloadFailureTolerance != null && reloadFailureTolerance.toMillis() > 0,
        "reloadFailureTolerance: %s (expected: >= 1 ms)", reloadFailureTolerance);
    check(liveEdgeTargetDurations >= 0, "liveEdgeTargetDurations: %s (expected: >= 0)",
        liveEdgeTargetDurations);
    check(decryptOffLoopThresholdBytes >= 0,
        "decryptOffLoopThresholdBytes: %s (expected: >= 0)", decryptOffLoopThresholdBytes);
    check(nanoClock != null, "nanoClock: %s (expected: a clock)", nanoClock);
  }

  private static void check(boolean ok, String format, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(format, value));
    }
  }

  /** The defaults. */
  public static HlsSessionOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every value of these options, to change a few. */
  public Builder toBuilder() {
    return builder()
        .sessionId(sessionId)
        .targetBufferUs(targetBufferUs)
        .initialVariantIndex(initialVariantIndex)
        .audioEnabled(audioEnabled)
        .audioLanguage(audioLanguage)
        .subtitlesLanguage(subtitlesLanguage)
        .audioBitrateBps(audioBitrateBps)
        .maxSegmentBytes(maxSegmentBytes)
        .maxSegmentAttempts(maxSegmentAttempts)
        .segmentRetryDelay(segmentRetryDelay)
        .reloadFailureTolerance(reloadFailureTolerance)
        .liveEdgeTargetDurations(liveEdgeTargetDurations)
        .decryptOffLoopThresholdBytes(decryptOffLoopThresholdBytes)
        .nanoClock(nanoClock);
  }

  /** Builds {@link HlsSessionOptions}; starts at the {@code DEFAULT_*} values. */
  public static final class Builder {
    private String sessionId;
    private long targetBufferUs = DEFAULT_TARGET_BUFFER_US;
    private int initialVariantIndex = -1;
    private boolean audioEnabled = true;
    private String audioLanguage;
    private String subtitlesLanguage;
    private long audioBitrateBps = DEFAULT_AUDIO_BITRATE_BPS;
    private int maxSegmentBytes = DEFAULT_MAX_SEGMENT_BYTES;
    private int maxSegmentAttempts = DEFAULT_MAX_SEGMENT_ATTEMPTS;
    private Duration segmentRetryDelay = DEFAULT_SEGMENT_RETRY_DELAY;
    private Duration reloadFailureTolerance = DEFAULT_RELOAD_FAILURE_TOLERANCE;
    private int liveEdgeTargetDurations = DEFAULT_LIVE_EDGE_TARGET_DURATIONS;
    private int decryptOffLoopThresholdBytes = DEFAULT_DECRYPT_OFF_LOOP_THRESHOLD_BYTES;
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    public Builder sessionId(String value) {
      sessionId = value;
      return this;
    }

    public Builder targetBufferUs(long value) {
      targetBufferUs = value;
      return this;
    }

    public Builder initialVariantIndex(int value) {
      initialVariantIndex = value;
      return this;
    }

    public Builder audioEnabled(boolean value) {
      audioEnabled = value;
      return this;
    }

    public Builder audioLanguage(String value) {
      audioLanguage = value;
      return this;
    }

    public Builder subtitlesLanguage(String value) {
      subtitlesLanguage = value;
      return this;
    }

    public Builder audioBitrateBps(long value) {
      audioBitrateBps = value;
      return this;
    }

    public Builder maxSegmentBytes(int value) {
      maxSegmentBytes = value;
      return this;
    }

    public Builder maxSegmentAttempts(int value) {
      maxSegmentAttempts = value;
      return this;
    }

    public Builder segmentRetryDelay(Duration value) {
      segmentRetryDelay = value;
      return this;
    }

    public Builder reloadFailureTolerance(Duration value) {
      reloadFailureTolerance = value;
      return this;
    }

    public Builder liveEdgeTargetDurations(int value) {
      liveEdgeTargetDurations = value;
      return this;
    }

    public Builder decryptOffLoopThresholdBytes(int value) {
      decryptOffLoopThresholdBytes = value;
      return this;
    }

    public Builder nanoClock(LongSupplier value) {
      nanoClock = value;
      return this;
    }

    public HlsSessionOptions build() {
      return new HlsSessionOptions(sessionId, targetBufferUs, initialVariantIndex, audioEnabled,
          audioLanguage, subtitlesLanguage, audioBitrateBps, maxSegmentBytes, maxSegmentAttempts, segmentRetryDelay,
          reloadFailureTolerance, liveEdgeTargetDurations, decryptOffLoopThresholdBytes,
          nanoClock);
    }
  }
}
