package io.abrfetch.abr;

/**
 * The rule every bandwidth estimator shares: transfers under a minimum size are ignored (they say
 * more about latency than bandwidth), and until enough bytes were sampled the estimate is a
 * default. Not thread-safe, like the estimators that hold one.
 */
final class WarmUp {

  private final long minSampleBytes;
  private final long minTotalBytes;
  private final long defaultEstimateBps;
  private long sampledBytes;

  WarmUp(long minSampleBytes, long minTotalBytes, long defaultEstimateBps) {
    check(minSampleBytes, minTotalBytes, defaultEstimateBps);
    this.minSampleBytes = minSampleBytes;
    this.minTotalBytes = minTotalBytes;
    this.defaultEstimateBps = defaultEstimateBps;
  }

  /** Validates the three settings as an estimator's options record must. */
  static void check(long minSampleBytes, long minTotalBytes, long defaultEstimateBps) {
    if (minSampleBytes < 0) {
      throw new IllegalArgumentException("minSampleBytes: " + minSampleBytes + " (expected: >= 0)");
    }
    if (minTotalBytes < 0) {
      throw new IllegalArgumentException("minTotalBytes: " + minTotalBytes + " (expected: >= 0)");
    }
    if (defaultEstimateBps <= 0) {
      throw new IllegalArgumentException(
          "defaultEstimateBps: " + defaultEstimateBps + " (expected: > 0)");
    }
  }

  /** True, and the bytes counted, when the transfer is a sample; false when it is ignored. */
  boolean admit(long bytes, long transferNanos) {
    if (bytes < minSampleBytes || transferNanos <= 0) {
      return false;
    }
    sampledBytes += bytes;
    return true;
  }

  /** True once enough bytes were sampled for a measured estimate. */
  boolean isWarm() {
    return sampledBytes >= minTotalBytes && sampledBytes > 0;
  }

  long defaultEstimateBps() {
    return defaultEstimateBps;
  }
}
