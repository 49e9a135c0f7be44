package io.abrfetch.abr;

/**
 * Throughput rule with hysteresis, after ExoPlayer's {@code AdaptiveTrackSelection}: the ideal
 * variant is the highest whose bitrate fits in {@link #DEFAULT_UP_FRACTION} of the bandwidth
 * estimate. Switching up also needs {@link #DEFAULT_MIN_BUFFER_FOR_UP_SWITCH_MS} of buffer;
 * switching down is skipped while {@link #DEFAULT_MAX_BUFFER_FOR_DOWN_SWITCH_MS} are buffered.
 *
 * <p>The current variant is kept as long as it fits in the larger {@link #DEFAULT_KEEP_FRACTION}
 * of the estimate, so an estimate hovering at a level boundary does not flip the choice at every
 * segment.
 */
public final class ThroughputPolicy implements AbrPolicy {
  public static final double DEFAULT_UP_FRACTION = 0.7;
  public static final double DEFAULT_KEEP_FRACTION = 0.85;
  public static final double DEFAULT_MIN_BUFFER_FOR_UP_SWITCH_MS = 10_000;
  public static final double DEFAULT_MAX_BUFFER_FOR_DOWN_SWITCH_MS = 25_000;

  private final double upFraction;
  private final double keepFraction;
  private final double minBufferForUpSwitchMs;
  private final double maxBufferForDownSwitchMs;

  private ThroughputPolicy(double upFraction, double keepFraction, double minBufferForUpSwitchMs,
      double maxBufferForDownSwitchMs) {
    if (!(upFraction > 0 && upFraction <= keepFraction && keepFraction <= 1)) {
      throw new IllegalArgumentException(
          "upFraction, keepFraction: " + upFraction + ", " + keepFraction
              + " (expected: 0 < upFraction <= keepFraction <= 1)");
    }
    if (!(minBufferForUpSwitchMs >= 0 && maxBufferForDownSwitchMs >= 0)) {
      throw new IllegalArgumentException(
          "buffer thresholds: " + minBufferForUpSwitchMs + ", " + maxBufferForDownSwitchMs
              + " (expected: >= 0)");
    }
    this.upFraction = upFraction;
    this.keepFraction = keepFraction;
    this.minBufferForUpSwitchMs = minBufferForUpSwitchMs;
    this.maxBufferForDownSwitchMs = maxBufferForDownSwitchMs;
  }

  /** The rule with its default thresholds. */
  public static ThroughputPolicy create() {
    return new ThroughputPolicy(DEFAULT_UP_FRACTION, DEFAULT_KEEP_FRACTION,
        DEFAULT_MIN_BUFFER_FOR_UP_SWITCH_MS, DEFAULT_MAX_BUFFER_FOR_DOWN_SWITCH_MS);
  }

  /** The rule with other thresholds. */
  public static ThroughputPolicy create(double upFraction, double keepFraction,
      double minBufferForUpSwitchMs, double maxBufferForDownSwitchMs) {
    return new ThroughputPolicy(
        upFraction, keepFraction, minBufferForUpSwitchMs, maxBufferForDownSwitchMs);
  }

  @Override
  public String name() {
    return "throughput";
  }

  @Override
  public AbrDecision chooseNext(AbrView view) {
    int current = view.currentIndex();
    long estimateBps = view.bandwidthEstimateBps();
    if (estimateBps <= 0) {
      return new AbrDecision.Stay(current, AbrDecision.Reason.NO_ESTIMATE);
    }
    int ideal = highestFitting(view, estimateBps * upFraction);
    if (ideal > current) {
      if (view.bufferMs() < minBufferForUpSwitchMs) {
        return new AbrDecision.Stay(current, AbrDecision.Reason.BUFFER_LOW);
      }
      return new AbrDecision.UpSwitch(current, ideal, AbrDecision.Reason.THROUGHPUT_HIGH);
    }
    if (ideal < current) {
      if (view.bitratesBps().get(current) <= estimateBps * keepFraction) {
        return new AbrDecision.Stay(current, AbrDecision.Reason.HYSTERESIS_HOLD);
      }
      if (view.bufferMs() >= maxBufferForDownSwitchMs) {
        return new AbrDecision.Stay(current, AbrDecision.Reason.BUFFER_HIGH);
      }
      return new AbrDecision.DownSwitch(current, ideal, AbrDecision.Reason.THROUGHPUT_LOW);
    }
    return new AbrDecision.Stay(current, AbrDecision.Reason.ALREADY_OPTIMAL);
  }

  /** The highest variant whose bitrate is at most {@code budgetBps}, else 0. */
  static int highestFitting(AbrView view, double budgetBps) {
    int best = 0;
    for (int i = 0; i < view.variantCount(); i++) {
      if (view.bitratesBps().get(i) <= budgetBps) {
        best = i;
      }
    }
    return best;
  }
}
