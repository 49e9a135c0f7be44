package io.abrfetch.abr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A weighted percentile of recent throughput samples (ExoPlayer's {@code SlidingPercentile}):
 * each sample weighs {@code sqrt(bytes)}, the oldest fall out once the window holds more than
 * {@link Options#maxWeight()}, and the estimate is the {@link Options#percentile()} of the rest.
 *
 * <p>Robust to outliers in both directions, at the cost of reacting more slowly than an EWMA.
 * Samples under {@link Options#minSampleBytes()} are ignored; until
 * {@link Options#minTotalBytes()} have been sampled, the estimate is
 * {@link Options#defaultEstimateBps()}. Not thread-safe.
 */
public final class SlidingPercentileBandwidthEstimator implements BandwidthEstimator {

  /**
   * Tuning of the estimator.
   *
   * @param maxWeight total {@code sqrt(bytes)} weight kept in the window, {@code > 0}
   * @param percentile the percentile reported, in {@code (0, 1]}
   * @param minSampleBytes smaller transfers are ignored, {@code >= 0}
   * @param minTotalBytes bytes to sample before the estimate is measured, {@code >= 0}
   * @param defaultEstimateBps the estimate until then, {@code > 0}
   */
  public record Options(
      double maxWeight,
      double percentile,
      long minSampleBytes,
      long minTotalBytes,
      long defaultEstimateBps) {
    public static final double DEFAULT_MAX_WEIGHT = 2000;
    public static final double DEFAULT_PERCENTILE = 0.5;

    public Options {
      if (!(maxWeight > 0)) {
        throw new IllegalArgumentException("maxWeight: " + maxWeight + " (expected: > 0)");
      }
      if (!(percentile > 0 && percentile <= 1)) {
        throw new IllegalArgumentException("percentile: " + percentile + " (expected: (0, 1])");
      }
      WarmUp.check(minSampleBytes, minTotalBytes, defaultEstimateBps);
    }

    /** ExoPlayer's window (weight 2000, median), 16 kB minimum sample, 128 kB, 1 Mbit/s. */
    public static Options defaults() {
      return new Options(
          DEFAULT_MAX_WEIGHT,
          DEFAULT_PERCENTILE,
          EwmaBandwidthEstimator.Options.DEFAULT_MIN_SAMPLE_BYTES,
          EwmaBandwidthEstimator.Options.DEFAULT_MIN_TOTAL_BYTES,
          EwmaBandwidthEstimator.Options.DEFAULT_ESTIMATE_BPS);
    }
  }

  private record Sample(double weight, double bps) {}

  private final Options options;
  private final Deque<Sample> window = new ArrayDeque<>();
  private final WarmUp warmUp;
  private double totalWeight;

  private SlidingPercentileBandwidthEstimator(Options options) {
    this.options = options;
    this.warmUp =
        new WarmUp(options.minSampleBytes(), options.minTotalBytes(), options.defaultEstimateBps());
  }

  /** An estimator with {@link Options#defaults()}. */
  public static SlidingPercentileBandwidthEstimator create() {
    return new SlidingPercentileBandwidthEstimator(Options.defaults());
  }

  /** An estimator with the given options. */
  public static SlidingPercentileBandwidthEstimator create(Options options) {
    return new SlidingPercentileBandwidthEstimator(
        java.util.Objects.requireNonNull(options, "options"));
  }

  @Override
  public void addSample(long bytes, long transferNanos, long endNanos) {
    if (!warmUp.admit(bytes, transferNanos)) {
      return;
    }
    double weight = Math.sqrt(bytes);
    window.addLast(new Sample(weight, bytes * 8.0 * 1e9 / transferNanos));
    totalWeight += weight;
    while (totalWeight > options.maxWeight() && window.size() > 1) {
      totalWeight -= window.removeFirst().weight();
    }
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
    List<Sample> sorted = new ArrayList<>(window);
    sorted.sort(Comparator.comparingDouble(Sample::bps));
    double desired = options.percentile() * totalWeight;
    double accumulated = 0;
    for (Sample sample : sorted) {
      accumulated += sample.weight();
      if (accumulated >= desired) {
        return Math.round(sample.bps());
      }
    }
    return Math.round(sorted.get(sorted.size() - 1).bps());
  }
}
