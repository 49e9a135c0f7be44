package io.abrfetch.abr;

import java.util.List;

/**
 * Robust MPC (Yin et al., SIGCOMM 2015) as published with Pensieve ({@code test/mpc.py}): predict
 * throughput as the harmonic mean of the session's last five downloads, discount it by the largest
 * relative prediction error of the last five, and enumerate every bitrate plan over a five-chunk
 * horizon, keeping the first step of the plan with the best QoE_lin (ties to the plan enumerated
 * last).
 *
 * <p>{@link #published()} keeps the reference code's two quirks, so that it reproduces the
 * benchmark's golden results: the look-ahead reads chunk sizes one chunk too far, and the error
 * list is global (it carries over from earlier sessions). {@link #fixed()} reads the right chunks
 * and starts each session's errors afresh.
 *
 * <p>The published code's global lists are reproduced from the view's history: a sample's error
 * compares it to the harmonic mean of the (up to five) samples of its session before it. The
 * reference harness takes no decision after a session's last chunk, so in the published variant
 * that chunk's sample has no error of its own and the next session's first sample is judged by the
 * estimate made before it.
 */
public final class RobustMpcPolicy implements AbrPolicy {
  public static final int DEFAULT_HORIZON = 5;
  public static final int DEFAULT_WINDOW = 5;
  static final double REBUFFER_PENALTY = 4.3;
  static final double SMOOTH_PENALTY = 1;

  private final boolean quirks;
  private final int horizon;

  private RobustMpcPolicy(boolean quirks, int horizon) {
    if (horizon < 1 || horizon > 8) {
      throw new IllegalArgumentException("horizon: " + horizon + " (expected: 1..8)");
    }
    this.quirks = quirks;
    this.horizon = horizon;
  }

  /** Robust MPC exactly as published: off-by-one look-ahead, global error list. */
  public static RobustMpcPolicy published() {
    return new RobustMpcPolicy(true, DEFAULT_HORIZON);
  }

  /** Robust MPC with the look-ahead index fixed and per-session error lists. */
  public static RobustMpcPolicy fixed() {
    return new RobustMpcPolicy(false, DEFAULT_HORIZON);
  }

  @Override
  public String name() {
    return quirks ? "robust-mpc" : "robust-mpc-fixed";
  }

  @Override
  public boolean readsEarlierSessions() {
    return quirks;
  }

  @Override
  public AbrDecision chooseNext(AbrView view) {
    int current = view.currentIndex();
    List<ThroughputSample> history = view.throughputHistory();
    int sessionCount = view.sessionSampleCount();
    if (sessionCount == 0) {
      return new AbrDecision.Stay(current, AbrDecision.Reason.NO_ESTIMATE);
    }
    int newest = history.size() - 1;
    double harmonic = harmonicMean(history, newest, Math.min(DEFAULT_WINDOW, sessionCount));
    double maxError = 0;
    if (quirks) {
      // The reference harness decides nothing after a session's last chunk, so that chunk's
      // sample has no error entry in the global list: skip it.
      int counted = 0;
      for (int j = newest; j >= 0 && counted < DEFAULT_WINDOW; j--) {
        if (j < newest && history.get(j + 1).sessionStart()) {
          continue;
        }
        maxError = Math.max(maxError, predictionError(history, j));
        counted++;
      }
    } else {
      for (int j = newest - Math.min(DEFAULT_WINDOW, sessionCount) + 1; j <= newest; j++) {
        maxError = Math.max(maxError, predictionError(history, j));
      }
    }
    double predictedBytesPerUs = harmonic / (1 + maxError);

    int length = horizon;
    if (view.hasKnownEnd() && view.segmentsRemaining() < length) {
      length = view.segmentsRemaining();
    }
    int first = view.nextSegmentIndex() + (quirks ? 1 : 0);
    Search search = new Search(view, predictedBytesPerUs, first, length);
    search.run(0, view.bufferMs() / 1000.0, 0, 0, 0, current, -1);
    int target = search.bestFirst < 0 ? current : search.bestFirst;
    return AbrDecision.of(current, target, AbrDecision.Reason.PLANNED);
  }

  /** Relative error of the prediction in force when sample {@code j} was downloaded. */
  private double predictionError(List<ThroughputSample> history, int j) {
    ThroughputSample sample = history.get(j);
    // The published code keeps every past estimate, so a session's first sample is judged by the
    // previous session's last estimate, made before (not after) its last chunk; the fixed
    // variant starts each session clean.
    if (j == 0 || (!quirks && sample.sessionStart())) {
      return 0;
    }
    int previous = sample.sessionStart() ? j - 2 : j - 1;
    if (previous < 0) {
      return 0;
    }
    int windowCount = 0;
    for (int i = previous; i >= 0 && windowCount < DEFAULT_WINDOW; i--) {
      windowCount++;
      if (history.get(i).sessionStart()) {
        break;
      }
    }
    double estimate = harmonicMean(history, previous, windowCount);
    double actual = sample.bytesPerUs();
    return Math.abs(estimate - actual) / actual;
  }

  /** Harmonic mean of {@code count} samples ending at {@code newest}, in bytes per microsecond. */
  static double harmonicMean(List<ThroughputSample> history, int newest, int count) {
    double inverseSum = 0;
    for (int i = newest - count + 1; i <= newest; i++) {
      inverseSum += 1 / history.get(i).bytesPerUs();
    }
    return 1.0 / (inverseSum / count);
  }

  /** Depth-first enumeration of plans in lexicographic order, as itertools.product yields them. */
  private static final class Search {
    private final AbrView view;
    private final double predictedBytesPerUs;
    private final int firstSegment;
    private final int length;
    private final double segmentS;
    private double bestReward = -100000000;
    private int bestFirst = -1;

    Search(AbrView view, double predictedBytesPerUs, int firstSegment, int length) {
      this.view = view;
      this.predictedBytesPerUs = predictedBytesPerUs;
      this.firstSegment = firstSegment;
      this.length = length;
      this.segmentS = view.segmentDurationUs() / 1e6;
    }

    void run(int position, double bufferS, double rebufferS, double bitrateSumKbps,
        double smoothKbps, int lastIndex, int firstIndex) {
      if (position == length) {
        double reward = bitrateSumKbps / 1000.0 - REBUFFER_PENALTY * rebufferS
            - SMOOTH_PENALTY * smoothKbps / 1000.0;
        if (reward >= bestReward) {
          bestReward = reward;
          bestFirst = firstIndex;
        }
        return;
      }
      for (int q = 0; q < view.variantCount(); q++) {
        double downloadS =
            view.segmentSizeBytes(q, firstSegment + position) / 1000000.0 / predictedBytesPerUs;
        double buffer = bufferS;
        double rebuffer = rebufferS;
        if (buffer < downloadS) {
          rebuffer += downloadS - buffer;
          buffer = 0;
        } else {
          buffer -= downloadS;
        }
        buffer += segmentS;
        double rateKbps = view.bitrateKbps(q);
        run(position + 1, buffer, rebuffer, bitrateSumKbps + rateKbps,
            smoothKbps + Math.abs(rateKbps - view.bitrateKbps(lastIndex)), q,
            position == 0 ? q : firstIndex);
      }
    }
  }
}
