package io.abrfetch.abr;

import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Configuration of an {@link AbrController}.
 *
 * @param policy decides every peer's variants
 * @param estimatorFactory makes the controller's one link estimator
 * @param nanoClock the controller's clock, in nanoseconds (monotonic)
 * @param maxBufferMs the players' buffer target, given to the policy, {@code > 0}
 * @param historyLimit link samples kept for the policy, {@code >= 1}
 * @param minSampleBytes smaller transfers are ignored, {@code >= 0}
 */
public record AbrControllerOptions(
    AbrPolicy policy,
    Supplier<BandwidthEstimator> estimatorFactory,
    LongSupplier nanoClock,
    double maxBufferMs,
    int historyLimit,
    long minSampleBytes) {
  public static final double DEFAULT_MAX_BUFFER_MS = 30_000;
  public static final int DEFAULT_HISTORY_LIMIT = 32;
  public static final long DEFAULT_MIN_SAMPLE_BYTES = 16 * 1024;

  public AbrControllerOptions {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(estimatorFactory, "estimatorFactory");
    Objects.requireNonNull(nanoClock, "nanoClock");
    if (!(maxBufferMs > 0) || Double.isInfinite(maxBufferMs)) {
      throw new IllegalArgumentException("maxBufferMs: " + maxBufferMs + " (expected: > 0)");
    }
    if (historyLimit < 1) {
      throw new IllegalArgumentException("historyLimit: " + historyLimit + " (expected: >= 1)");
    }
    if (minSampleBytes < 0) {
      throw new IllegalArgumentException(
          "minSampleBytes: " + minSampleBytes + " (expected: >= 0)");
    }
  }

  /** A builder at the defaults: the default policy, a dual EWMA, {@link System#nanoTime}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static AbrControllerOptions defaults() {
    return builder().build();
  }

  /** Builds {@link AbrControllerOptions}. Not thread-safe. */
  public static final class Builder {
    private AbrPolicy policy = AbrPolicy.defaultPolicy();
    private Supplier<BandwidthEstimator> estimatorFactory = EwmaBandwidthEstimator::create;
    private LongSupplier nanoClock = System::nanoTime;
    private double maxBufferMs = DEFAULT_MAX_BUFFER_MS;
    private int historyLimit = DEFAULT_HISTORY_LIMIT;
    private long minSampleBytes = DEFAULT_MIN_SAMPLE_BYTES;

    private Builder() {}

    public Builder policy(AbrPolicy value) {
      policy = value;
      return this;
    }

    public Builder estimatorFactory(Supplier<BandwidthEstimator> value) {
      estimatorFactory = value;
      return this;
    }

    public Builder nanoClock(LongSupplier value) {
      nanoClock = value;
      return this;
    }

    public Builder maxBufferMs(double value) {
      maxBufferMs = value;
      return this;
    }

    public Builder historyLimit(int value) {
      historyLimit = value;
      return this;
    }

    public Builder minSampleBytes(long value) {
      minSampleBytes = value;
      return this;
    }

    public AbrControllerOptions build() {
      return new AbrControllerOptions(
          policy, estimatorFactory, nanoClock, maxBufferMs, historyLimit, minSampleBytes);
    }
  }
}
