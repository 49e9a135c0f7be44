package io.abrfetch.fetcher.hls;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How a {@link VariantDownload} runs; build with {@link #builder()}, which starts from the
 * {@code DEFAULT_*} values.
 *
 * @param variantIndex the variant to download: an index into the master playlist's ladder (sorted
 *     by {@code BANDWIDTH}, lowest first, as {@code abrfetch inspect} prints it); must be 0 when
 *     the URL is a media playlist
 * @param concurrency media segments fetched at once; the downloader's own caps
 *     ({@code maxInFlight}, {@code maxInFlightPerOrigin}) must allow as many for it to take effect
 * @param windowSegments the reorder window: segments fetched ahead of the oldest one not yet
 *     written, at least {@code concurrency}; memory stays under
 *     {@code windowSegments x maxSegmentBytes} whatever the sink's speed
 * @param maxSegmentBytes the largest segment or init section accepted (collect limit)
 * @param maxSegmentAttempts how often one segment is tried when it fails transiently after the
 *     downloader's own retries (5xx, resets, stalls, timeouts), before the download fails
 * @param segmentRetryDelay the pause before such a new attempt
 * @param decryptOffLoopThresholdBytes segments this large or larger are decrypted on a worker
 * @param progressListener called on the download's context after each segment written, or null
 * @param peerId the downloader peer id, or null for {@code variant-download-<n>}
 * @param nanoClock the clock of elapsed times and rates
 */
public record VariantDownloadOptions(int variantIndex, int concurrency, int windowSegments,
    int maxSegmentBytes, int maxSegmentAttempts, Duration segmentRetryDelay,
    int decryptOffLoopThresholdBytes, Consumer<VariantDownloadProgress> progressListener,
    String peerId, LongSupplier nanoClock) {

  public static final int DEFAULT_CONCURRENCY = 8;
  /** The default window is this many times the concurrency. */
  public static final int DEFAULT_WINDOW_PER_CONCURRENCY = 2;
  public static final int DEFAULT_MAX_SEGMENT_BYTES = HlsSessionOptions.DEFAULT_MAX_SEGMENT_BYTES;
  public static final int DEFAULT_MAX_SEGMENT_ATTEMPTS = 3;
  public static final Duration DEFAULT_SEGMENT_RETRY_DELAY = Duration.ofSeconds(1);
  public static final int DEFAULT_DECRYPT_OFF_LOOP_THRESHOLD_BYTES =
      HlsSessionOptions.DEFAULT_DECRYPT_OFF_LOOP_THRESHOLD_BYTES;

  public VariantDownloadOptions {
    check(variantIndex >= 0, "variantIndex: %s (expected: >= 0)", variantIndex);
    check(concurrency >= 1, "concurrency: %s (expected: >= 1)", concurrency);
    check(windowSegments >= concurrency, "windowSegments: %s (expected: >= concurrency "
        + concurrency + ")", windowSegments);
    check(maxSegmentBytes > 0, "maxSegmentBytes: %s (expected: > 0)", maxSegmentBytes);
    check(maxSegmentAttempts >= 1, "maxSegmentAttempts: %s (expected: >= 1)",
        maxSegmentAttempts);
    check(segmentRetryDelay != null && !segmentRetryDelay.isNegative(),
        "segmentRetryDelay: %s (expected: >= 0)", segmentRetryDelay);
    check(decryptOffLoopThresholdBytes >= 0,
        "decryptOffLoopThresholdBytes: %s (expected: >= 0)", decryptOffLoopThresholdBytes);
    check(peerId == null || !peerId.isBlank(), "peerId: '%s' (expected: null or non-blank)",
        peerId);
    check(nanoClock != null, "nanoClock: %s (expected: a clock)", nanoClock);
  }

  private static void check(boolean ok, String format, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(format, value));
    }
  }

  /** The defaults: variant 0, 8 in flight, a window of 16. */
  public static VariantDownloadOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link VariantDownloadOptions}. */
  public static final class Builder {
    private int variantIndex;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int windowSegments = -1;
    private int maxSegmentBytes = DEFAULT_MAX_SEGMENT_BYTES;
    private int maxSegmentAttempts = DEFAULT_MAX_SEGMENT_ATTEMPTS;
    private Duration segmentRetryDelay = DEFAULT_SEGMENT_RETRY_DELAY;
    private int decryptOffLoopThresholdBytes = DEFAULT_DECRYPT_OFF_LOOP_THRESHOLD_BYTES;
    private Consumer<VariantDownloadProgress> progressListener;
    private String peerId;
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    public Builder variantIndex(int variantIndex) {
      this.variantIndex = variantIndex;
      return this;
    }

    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /** The reorder window; unset, it is {@link #DEFAULT_WINDOW_PER_CONCURRENCY} x the concurrency. */
    public Builder windowSegments(int windowSegments) {
      this.windowSegments = windowSegments;
      return this;
    }

    public Builder maxSegmentBytes(int maxSegmentBytes) {
      this.maxSegmentBytes = maxSegmentBytes;
      return this;
    }

    public Builder maxSegmentAttempts(int maxSegmentAttempts) {
      this.maxSegmentAttempts = maxSegmentAttempts;
      return this;
    }

    public Builder segmentRetryDelay(Duration segmentRetryDelay) {
      this.segmentRetryDelay = segmentRetryDelay;
      return this;
    }

    public Builder decryptOffLoopThresholdBytes(int decryptOffLoopThresholdBytes) {
      this.decryptOffLoopThresholdBytes = decryptOffLoopThresholdBytes;
      return this;
    }

    public Builder progressListener(Consumer<VariantDownloadProgress> progressListener) {
      this.progressListener = progressListener;
      return this;
    }

    public Builder peerId(String peerId) {
      this.peerId = peerId;
      return this;
    }

    public Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    public VariantDownloadOptions build() {
      int window = windowSegments >= 0 ? windowSegments
          : (int) Math.min(Integer.MAX_VALUE,
              (long) Math.max(1, concurrency) * DEFAULT_WINDOW_PER_CONCURRENCY);
      return new VariantDownloadOptions(variantIndex, concurrency, window, maxSegmentBytes,
          maxSegmentAttempts, segmentRetryDelay, decryptOffLoopThresholdBytes, progressListener,
          peerId, nanoClock);
    }
  }
}
