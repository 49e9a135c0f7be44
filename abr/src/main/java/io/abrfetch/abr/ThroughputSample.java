package io.abrfetch.abr;

/**
 * One downloaded segment as a policy sees it: how many bytes took how long.
 *
 * <p>Durations are doubles in milliseconds because the trace simulator measures them that way and
 * the reference policies must reproduce its arithmetic bit for bit.
 *
 * @param sizeBytes bytes downloaded, {@code > 0}
 * @param durationMs request to last byte, first-byte latency included, {@code > 0}
 * @param latencyMs the part of {@code durationMs} spent before the first byte (0 when unknown)
 * @param sessionStart whether this is the first sample of a playback session; policies that keep
 *     per-session windows (robust MPC) stop looking back here
 */
public record ThroughputSample(
    long sizeBytes, double durationMs, double latencyMs, boolean sessionStart) {

  public ThroughputSample {
    if (sizeBytes <= 0) {
      throw new IllegalArgumentException("sizeBytes: " + sizeBytes + " (expected: > 0)");
    }
    if (!(durationMs > 0) || Double.isInfinite(durationMs)) {
      throw new IllegalArgumentException("durationMs: " + durationMs + " (expected: > 0)");
    }
    if (!(latencyMs >= 0) || latencyMs >= durationMs) {
      throw new IllegalArgumentException(
          "latencyMs: " + latencyMs + " (expected: >= 0 and < durationMs " + durationMs + ")");
    }
  }

  /** Throughput over the whole request, latency included, in bytes per microsecond (= MB/s). */
  public double bytesPerUs() {
    // Same operation order as the reference simulator: size / delay_ms / 1000.
    return sizeBytes / durationMs / 1000.0;
  }

  /** Throughput of the body alone (latency excluded), in bits per second. */
  public double bodyBitsPerSecond() {
    return sizeBytes * 8.0 * 1000.0 / (durationMs - latencyMs);
  }
}
