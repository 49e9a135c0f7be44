package io.abrfetch.abr;

import java.util.List;

/**
 * Rate-based rule (RB, the benchmark's substitute for Pensieve's emulation baseline): the highest
 * variant whose bitrate does not exceed the harmonic mean of the session's last five download
 * throughputs (latency included); the lowest when none fits.
 */
public final class RateBasedPolicy implements AbrPolicy {
  public static final int DEFAULT_WINDOW = 5;

  private final int window;

  private RateBasedPolicy(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window: " + window + " (expected: >= 1)");
    }
    this.window = window;
  }

  /** RB over the last {@value #DEFAULT_WINDOW} samples. */
  public static RateBasedPolicy create() {
    return new RateBasedPolicy(DEFAULT_WINDOW);
  }

  @Override
  public String name() {
    return "rb";
  }

  @Override
  public AbrDecision chooseNext(AbrView view) {
    int current = view.currentIndex();
    List<ThroughputSample> history = view.throughputHistory();
    int count = Math.min(window, view.sessionSampleCount());
    if (count == 0) {
      return new AbrDecision.Stay(current, AbrDecision.Reason.NO_ESTIMATE);
    }
    double inverseSum = 0;
    for (int i = history.size() - count; i < history.size(); i++) {
      ThroughputSample sample = history.get(i);
      double mbps = sample.sizeBytes() * 8.0 / sample.durationMs() / 1000.0;
      inverseSum += 1 / mbps;
    }
    double harmonicMbps = 1.0 / (inverseSum / count);
    int target = 0;
    for (int i = 0; i < view.variantCount(); i++) {
      if (view.bitrateKbps(i) / 1000.0 <= harmonicMbps) {
        target = i;
      }
    }
    AbrDecision.Reason reason =
        target == current ? AbrDecision.Reason.ALREADY_OPTIMAL
            : target > current ? AbrDecision.Reason.THROUGHPUT_HIGH
                : AbrDecision.Reason.THROUGHPUT_LOW;
    return AbrDecision.of(current, target, reason);
  }
}
