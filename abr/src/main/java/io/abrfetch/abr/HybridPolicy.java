package io.abrfetch.abr;

/**
 * dash.js's DYNAMIC strategy: the throughput rule (highest variant within
 * {@link #DEFAULT_THROUGHPUT_FRACTION} of the estimate) while the buffer is short, BOLA once it is
 * long. As in dash.js's {@code BolaRule}, BOLA's up-switches are capped at the variant the
 * throughput estimate sustains (but never below the current one).
 *
 * <p>Below {@link #DEFAULT_THROUGHPUT_BELOW_MS} the throughput rule decides; from
 * {@link #DEFAULT_BOLA_ABOVE_MS} up BOLA decides. dash.js remembers which rule is in charge
 * between the two levels; this policy keeps no memory, so in that band it keeps the current
 * variant when it lies between the two rules' choices and otherwise moves to the nearer one,
 * which gives the same hysteresis without state.
 */
public final class HybridPolicy implements AbrPolicy {
  public static final double DEFAULT_THROUGHPUT_BELOW_MS = 9_000;
  public static final double DEFAULT_BOLA_ABOVE_MS = 18_000;
  public static final double DEFAULT_THROUGHPUT_FRACTION = 0.9;

  private HybridPolicy() {}

  /** The dash.js thresholds: throughput below 9 s, BOLA from 18 s. */
  public static HybridPolicy create() {
    return new HybridPolicy();
  }

  @Override
  public String name() {
    return "hybrid";
  }

  @Override
  public AbrDecision chooseNext(AbrView view) {
    int current = view.currentIndex();
    long estimateBps = view.bandwidthEstimateBps();
    int bola = BolaPolicy.bolaIndex(view);
    if (bola > current && estimateBps > 0) {
      // dash.js BolaRule: an up-switch never goes past what the throughput sustains (without the
      // safety factor), nor below the current variant.
      bola = Math.max(Math.min(bola, ThroughputPolicy.highestFitting(view, estimateBps)), current);
    }
    if (view.bufferMs() >= DEFAULT_BOLA_ABOVE_MS) {
      return decision(current, bola, AbrDecision.Reason.BUFFER_HIGH, AbrDecision.Reason.BUFFER_LOW);
    }
    if (estimateBps <= 0) {
      return new AbrDecision.Stay(current, AbrDecision.Reason.NO_ESTIMATE);
    }
    int throughput =
        ThroughputPolicy.highestFitting(view, estimateBps * DEFAULT_THROUGHPUT_FRACTION);
    if (view.bufferMs() < DEFAULT_THROUGHPUT_BELOW_MS) {
      return decision(current, throughput, AbrDecision.Reason.THROUGHPUT_HIGH,
          AbrDecision.Reason.THROUGHPUT_LOW);
    }
    int low = Math.min(bola, throughput);
    int high = Math.max(bola, throughput);
    if (current < low) {
      return new AbrDecision.UpSwitch(current, low, AbrDecision.Reason.THROUGHPUT_HIGH);
    }
    if (current > high) {
      return new AbrDecision.DownSwitch(current, high, AbrDecision.Reason.THROUGHPUT_LOW);
    }
    return new AbrDecision.Stay(current, AbrDecision.Reason.HYSTERESIS_HOLD);
  }

  private static AbrDecision decision(
      int current, int target, AbrDecision.Reason up, AbrDecision.Reason down) {
    if (target == current) {
      return new AbrDecision.Stay(current, AbrDecision.Reason.ALREADY_OPTIMAL);
    }
    return AbrDecision.of(current, target, target > current ? up : down);
  }
}
