package io.abrfetch.abr;

/**
 * Dual half-life exponentially weighted moving average of throughput, each sample weighted by its
 * transfer time (the Shaka Player / kithara estimator): a fast average follows drops quickly, a
 * slow one smooths bursts, and the estimate is the lower of the two, so a drop shows at once while
 * a rise has to last.
 *
 * <p>Samples under {@link Options#minSampleBytes()} say more about latency than bandwidth and are
 * ignored. Until {@link Options#minTotalBytes()} have been sampled, the estimate is
 * {@link Options#defaultEstimateBps()}. Averages are bias-corrected for their zero start. Not
 * thread-safe.
 */
public final class EwmaBandwidthEstimator implements BandwidthEstimator {

  /**
   * Tuning of the estimator.
   *
   * @param fastHalfLifeS half-life of the fast average in seconds of transfer time, {@code > 0}
   * @param slowHalfLifeS half-life of the slow average, {@code >= fastHalfLifeS}
   * @param minSampleBytes smaller transfers are ignored, {@code >= 0}
   * @param minTotalBytes bytes to sample before the estimate is measured, {@code >= 0}
   * @param defaultEstimateBps the estimate until then, {@code > 0}
   */
  public record Options(
      double fastHalfLifeS,
      double slowHalfLifeS,
      long minSampleBytes,
      long minTotalBytes,
      long defaultEstimateBps) {
    public static final double DEFAULT_FAST_HALF_LIFE_S = 2;
    public static final double DEFAULT_SLOW_HALF_LIFE_S = 5;
    public static final long DEFAULT_MIN_SAMPLE_BYTES = 16 * 1024;
    public static final long DEFAULT_MIN_TOTAL_BYTES = 128_000;
    public static final long DEFAULT_ESTIMATE_BPS = 1_000_000;

    public Options {
      if (!(fastHalfLifeS > 0) || Double.isInfinite(fastHalfLifeS)) {
        throw new IllegalArgumentException(
            "fastHalfLifeS: " + fastHalfLifeS + " (expected: > 0)");
      }
      if (!(slowHalfLifeS >= fastHalfLifeS) || Double.isInfinite(slowHalfLifeS)) {
        throw new IllegalArgumentException(
            "slowHalfLifeS: " + slowHalfLifeS + " (expected: >= fastHalfLifeS " + fastHalfLifeS
                + ")");
      }
      WarmUp.check(minSampleBytes, minTotalBytes, defaultEstimateBps);
    }

    /** 2 s and 5 s half-lives, 16 kB minimum sample, 128 kB before measuring, 1 Mbit/s default. */
    public static Options defaults() {
      return new Options(
          DEFAULT_FAST_HALF_LIFE_S,
          DEFAULT_SLOW_HALF_LIFE_S,
          DEFAULT_MIN_SAMPLE_BYTES,
          DEFAULT_MIN_TOTAL_BYTES,
          DEFAULT_ESTIMATE_BPS);
    }
  }

  private final Average fast;
  private final Average slow;
  private final WarmUp warmUp;

  private EwmaBandwidthEstimator(Options options) {
    this.warmUp =
        new WarmUp(options.minSampleBytes(), options.minTotalBytes(), options.defaultEstimateBps());
    this.fast = new Average(options.fastHalfLifeS());
    this.slow = new Average(options.slowHalfLifeS());
  }

  /** An estimator with {@link Options#defaults()}. */
  public static EwmaBandwidthEstimator create() {
    return new EwmaBandwidthEstimator(Options.defaults());
  }

  /** An estimator with the given options. */
  public static EwmaBandwidthEstimator create(Options options) {
    return new EwmaBandwidthEstimator(java.util.Objects.requireNonNull(options, "options"));
  }

  @Override
  public void addSample(long bytes, long transferNanos, long endNanos) {
    if (!warmUp.admit(bytes, transferNanos)) {
      return;
    }
    double weightS = transferNanos / 1e9;
    double bps = bytes * 8.0 / weightS;
    fast.add(weightS, bps);
    slow.add(weightS, bps);
  }

  @Override
  public boolean hasEstimate() {
    return warmUp.isWarm();
  }

  @Override
  public long estimateBps() {
    if (!hasEstimate()) {
      return warmUp.defaultEstimateBps();
    }
    return Math.round(Math.min(fast.estimate(), slow.estimate()));
  }

  /** One exponentially weighted average with a half-life in seconds of sample weight. */
  private static final class Average {
    private final double halfLifeS;
    private double value;
    private double totalWeightS;

    Average(double halfLifeS) {
      this.halfLifeS = halfLifeS;
    }

    void add(double weightS, double sample) {
      double alpha = Math.pow(0.5, weightS / halfLifeS);
      value = sample * (1 - alpha) + alpha * value;
      totalWeightS += weightS;
    }

    double estimate() {
      // Both averages start at 0: divide by the weight already given to real samples.
      double zeroFactor = 1 - Math.pow(0.5, totalWeightS / halfLifeS);
      return value / zeroFactor;
    }
  }
}
