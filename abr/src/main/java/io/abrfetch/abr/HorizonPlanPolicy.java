package io.abrfetch.abr;

import java.util.Arrays;
import java.util.List;

/**
 * The project's default policy: model predictive control solved by dynamic programming over
 * buffer levels, with a horizon-aware, error-aware throughput forecast and a stochastic first
 * step.
 *
 * <p><b>Forecast.</b> Each past download of the session gives a body throughput (bytes over the
 * time after the first byte). Two predictors are kept: the <i>near</i> one is the last download
 * (the best one-step predictor on real traces, which are strongly autocorrelated), the <i>far</i>
 * one the harmonic mean of the last {@link Options#window()} downloads (where the link settles
 * over tens of seconds). Step {@code t} of the horizon uses
 * {@code d^t x near + (1 - d^t) x far}, {@code d} = {@link Options#nearWeightDecay()}. Each
 * predictor is scaled by the {@link Options#errorQuantile()} quantile of its own track record:
 * the ratios of the throughput that came to what it predicted just before, over the last
 * {@link Options#errorWindow()} downloads. Until {@link Options#priorRatioCount()} ratios have
 * been seen, the missing ones are taken from a fixed prior, so that one lucky download early in a
 * session does not make the forecast trust itself fully.
 *
 * <p><b>Plan.</b> A backward dynamic programme over (buffer level on a
 * {@link Options#gridStepMs()} grid, previous variant) finds, for each first step, the best
 * QoE_lin over the next {@link Options#horizon()} segments (cut at the end of the media): bitrate
 * in Mbit/s, minus {@link Options#rebufferPenalty()} per stalled second, minus
 * {@link Options#switchPenalty()} per Mbit/s of change. It costs
 * {@code O(horizon x grid x variants^2)} instead of robust MPC's {@code variants^horizon}, so a
 * twelve-segment horizon is cheap. The model charges each download its first-byte latency and
 * caps the buffer at the player's maximum. The first step, the one actually applied, is scored as
 * an expectation over {@link Options#firstStepScenarios()} throughputs: the near predictor times
 * evenly spaced quantiles of its ratios, each landing on its own buffer level, so the risk of a
 * stall on the very next download is priced by its whole distribution instead of one
 * certainty-equivalent value.
 *
 * <p>Immutable and thread-safe.
 */
public final class HorizonPlanPolicy implements AbrPolicy {
  /**
   * Prior ratios of actual to predicted throughput, in the order they are borrowed: a session
   * with m measured ratios takes the first {@code priorRatioCount - m}, so the prior weight that
   * stays longest is the cautious 0.7.
   */
  private static final double[] PRIOR_RATIOS = {0.7, 1.0, 0.85, 1.1, 0.7, 1.0, 0.9, 1.0};
  /** No first-step scenario is more optimistic than this multiple of the last download. */
  private static final double MAX_SCENARIO_RATIO = 10;

  /**
   * Tuning of the forecast and the plan.
   *
   * @param horizon segments planned ahead, 1..32
   * @param window downloads in the far (harmonic mean) predictor, {@code >= 1}
   * @param errorWindow past predictions whose ratios are looked at, {@code >= 1}
   * @param errorQuantile the quantile of the actual/predicted ratios applied, in [0, 1]
   * @param nearWeightDecay weight of the near predictor is {@code decay^t} at step t, in [0, 1]
   * @param priorRatioCount ratios completed from the prior until the session has as many, 0..8
   * @param priorScale the forecast scale before any prediction could be checked, {@code > 0}
   * @param maxScale upper bound of a predictor's scale, {@code > 0}
   * @param firstStepScenarios throughput scenarios the first step is averaged over, {@code >= 1}
   * @param rebufferPenalty QoE_lin cost of a stalled second, {@code >= 0}
   * @param switchPenalty QoE_lin cost per Mbit/s of bitrate change in the plan, {@code >= 0}
   * @param terminalBufferValuePerS worth of a second of buffer left at the horizon, {@code >= 0}
   * @param gridStepMs buffer grid resolution of the programme, {@code > 0}
   */
  public record Options(
      int horizon,
      int window,
      int errorWindow,
      double errorQuantile,
      double nearWeightDecay,
      int priorRatioCount,
      double priorScale,
      double maxScale,
      int firstStepScenarios,
      double rebufferPenalty,
      double switchPenalty,
      double terminalBufferValuePerS,
      double gridStepMs) {
    public static final int DEFAULT_HORIZON = 12;
    public static final int DEFAULT_WINDOW = 48;
    public static final int DEFAULT_ERROR_WINDOW = 48;
    public static final double DEFAULT_ERROR_QUANTILE = 0.25;
    public static final double DEFAULT_NEAR_WEIGHT_DECAY = 0.7;
    public static final int DEFAULT_PRIOR_RATIO_COUNT = 8;
    public static final double DEFAULT_PRIOR_SCALE = 0.8;
    public static final double DEFAULT_MAX_SCALE = 1.0;
    public static final int DEFAULT_FIRST_STEP_SCENARIOS = 10;
    public static final double DEFAULT_REBUFFER_PENALTY = 4.3;
    public static final double DEFAULT_SWITCH_PENALTY = 2.0;
    public static final double DEFAULT_TERMINAL_BUFFER_VALUE_PER_S = 0.0;
    public static final double DEFAULT_GRID_STEP_MS = 500;

    public Options {
      if (horizon < 1 || horizon > 32) {
        throw new IllegalArgumentException("horizon: " + horizon + " (expected: 1..32)");
      }
      if (window < 1 || errorWindow < 1) {
        throw new IllegalArgumentException(
            "window, errorWindow: " + window + ", " + errorWindow + " (expected: >= 1)");
      }
      if (!(errorQuantile >= 0 && errorQuantile <= 1)) {
        throw new IllegalArgumentException(
            "errorQuantile: " + errorQuantile + " (expected: 0..1)");
      }
      if (!(nearWeightDecay >= 0 && nearWeightDecay <= 1)) {
        throw new IllegalArgumentException(
            "nearWeightDecay: " + nearWeightDecay + " (expected: 0..1)");
      }
      if (priorRatioCount < 0 || priorRatioCount > PRIOR_RATIOS.length) {
        throw new IllegalArgumentException(
            "priorRatioCount: " + priorRatioCount + " (expected: 0.." + PRIOR_RATIOS.length + ")");
      }
      if (!(priorScale > 0) || !(maxScale > 0)) {
        throw new IllegalArgumentException(
            "priorScale, maxScale: " + priorScale + ", " + maxScale + " (expected: > 0)");
      }
      if (firstStepScenarios < 1) {
        throw new IllegalArgumentException(
            "firstStepScenarios: " + firstStepScenarios + " (expected: >= 1)");
      }
      if (!(rebufferPenalty >= 0) || !(switchPenalty >= 0) || !(terminalBufferValuePerS >= 0)) {
        throw new IllegalArgumentException(
            "penalties: " + rebufferPenalty + ", " + switchPenalty + ", "
                + terminalBufferValuePerS + " (expected: >= 0)");
      }
      if (!(gridStepMs > 0)) {
        throw new IllegalArgumentException("gridStepMs: " + gridStepMs + " (expected: > 0)");
      }
    }

    /** A builder at the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds {@link Options}. Not thread-safe. */
    public static final class Builder {
      private int horizon = DEFAULT_HORIZON;
      private int window = DEFAULT_WINDOW;
      private int errorWindow = DEFAULT_ERROR_WINDOW;
      private double errorQuantile = DEFAULT_ERROR_QUANTILE;
      private double nearWeightDecay = DEFAULT_NEAR_WEIGHT_DECAY;
      private int priorRatioCount = DEFAULT_PRIOR_RATIO_COUNT;
      private double priorScale = DEFAULT_PRIOR_SCALE;
      private double maxScale = DEFAULT_MAX_SCALE;
      private int firstStepScenarios = DEFAULT_FIRST_STEP_SCENARIOS;
      private double rebufferPenalty = DEFAULT_REBUFFER_PENALTY;
      private double switchPenalty = DEFAULT_SWITCH_PENALTY;
      private double terminalBufferValuePerS = DEFAULT_TERMINAL_BUFFER_VALUE_PER_S;
      private double gridStepMs = DEFAULT_GRID_STEP_MS;

      private Builder() {}

      public Builder horizon(int value) {
        horizon = value;
        return this;
      }

      public Builder window(int value) {
        window = value;
        return this;
      }

      public Builder errorWindow(int value) {
        errorWindow = value;
        return this;
      }

      public Builder errorQuantile(double value) {
        errorQuantile = value;
        return this;
      }

      public Builder nearWeightDecay(double value) {
        nearWeightDecay = value;
        return this;
      }

      public Builder priorRatioCount(int value) {
        priorRatioCount = value;
        return this;
      }

      public Builder priorScale(double value) {
        priorScale = value;
        return this;
      }

      public Builder maxScale(double value) {
        maxScale = value;
        return this;
      }

      public Builder firstStepScenarios(int value) {
        firstStepScenarios = value;
        return this;
      }

      public Builder rebufferPenalty(double value) {
        rebufferPenalty = value;
        return this;
      }

      public Builder switchPenalty(double value) {
        switchPenalty = value;
        return this;
      }

      public Builder terminalBufferValuePerS(double value) {
        terminalBufferValuePerS = value;
        return this;
      }

      public Builder gridStepMs(double value) {
        gridStepMs = value;
        return this;
      }

      public Options build() {
        return new Options(horizon, window, errorWindow, errorQuantile, nearWeightDecay,
            priorRatioCount, priorScale, maxScale, firstStepScenarios, rebufferPenalty,
            switchPenalty, terminalBufferValuePerS, gridStepMs);
      }
    }
  }

  private final Options options;

  private HorizonPlanPolicy(Options options) {
    this.options = options;
  }

  /** The policy with the default options. */
  public static HorizonPlanPolicy create() {
    return new HorizonPlanPolicy(Options.builder().build());
  }

  /** The policy with other options. */
  public static HorizonPlanPolicy create(Options options) {
    return new HorizonPlanPolicy(java.util.Objects.requireNonNull(options, "options"));
  }

  /** The options in force. */
  public Options options() {
    return options;
  }

  @Override
  public String name() {
    return "default";
  }

  @Override
  public AbrDecision chooseNext(AbrView view) {
    int current = view.currentIndex();
    int length = options.horizon();
    if (view.hasKnownEnd()) {
      length = Math.min(length, view.segmentsRemaining());
    }
    if (length <= 0) {
      return new AbrDecision.Stay(current, AbrDecision.Reason.ALREADY_OPTIMAL);
    }
    Forecast forecast = forecast(view, length);
    if (forecast == null) {
      return new AbrDecision.Stay(current, AbrDecision.Reason.NO_ESTIMATE);
    }
    boolean endsInHorizon = view.hasKnownEnd() && view.segmentsRemaining() <= options.horizon();
    double[] values =
        plan(view, forecast, length, endsInHorizon ? 0 : options.terminalBufferValuePerS());
    int target = current;
    double best = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < values.length; a++) {
      if (values[a] > best) {
        best = values[a];
        target = a;
      }
    }
    return AbrDecision.of(current, target, AbrDecision.Reason.PLANNED);
  }

  /**
   * The forecast: per-step body throughput over the horizon, and the first step's scenarios
   * ({@code null} until two predictions could be checked), all in bytes per ms.
   */
  record Forecast(double[] stepBytesPerMs, double[] firstStepBytesPerMs) {}

  /** The forecast, or {@code null} without samples in this session. */
  Forecast forecast(AbrView view, int length) {
    List<ThroughputSample> history = view.throughputHistory();
    int sessionCount = view.sessionSampleCount();
    if (sessionCount == 0) {
      return null;
    }
    int newest = history.size() - 1;
    int oldest = newest - sessionCount + 1;
    double far = harmonic(history, newest, Math.min(options.window(), sessionCount));
    double near = bodyBytesPerMs(history.get(newest));
    int ratioCount = Math.min(options.errorWindow(), sessionCount - 1);
    double farScale = options.priorScale();
    double nearScale = options.priorScale();
    double[] nearRatios = null;
    if (ratioCount > 0) {
      int count = Math.max(ratioCount, options.priorRatioCount());
      double[] farRatios = new double[count];
      nearRatios = new double[count];
      for (int r = 0; r < ratioCount; r++) {
        int j = newest - r;
        double actual = bodyBytesPerMs(history.get(j));
        farRatios[r] = actual / harmonic(history, j - 1, Math.min(options.window(), j - oldest));
        nearRatios[r] = actual / bodyBytesPerMs(history.get(j - 1));
      }
      for (int r = ratioCount; r < count; r++) {
        farRatios[r] = PRIOR_RATIOS[r - ratioCount];
        nearRatios[r] = PRIOR_RATIOS[r - ratioCount];
      }
      Arrays.sort(farRatios);
      Arrays.sort(nearRatios);
      farScale = quantile(farRatios, options.errorQuantile());
      nearScale = quantile(nearRatios, options.errorQuantile());
    }
    farScale = Math.min(farScale, options.maxScale());
    nearScale = Math.min(nearScale, options.maxScale());
    double[] steps = new double[length];
    for (int t = 0; t < length; t++) {
      double weight = Math.pow(options.nearWeightDecay(), t);
      steps[t] = weight * near * nearScale + (1 - weight) * far * farScale;
    }
    double[] first = null;
    if (ratioCount >= 2 && options.firstStepScenarios() > 1) {
      int k = options.firstStepScenarios();
      first = new double[k];
      for (int i = 0; i < k; i++) {
        first[i] = near * Math.min(quantile(nearRatios, (i + 0.5) / k), MAX_SCENARIO_RATIO);
      }
    }
    return new Forecast(steps, first);
  }

  /** Linear-interpolated quantile of an ascending array. */
  private static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int low = (int) Math.floor(position);
    int high = Math.min(low + 1, sorted.length - 1);
    double fraction = position - low;
    return sorted[low] * (1 - fraction) + sorted[high] * fraction;
  }

  private static double bodyBytesPerMs(ThroughputSample sample) {
    return sample.sizeBytes() / (sample.durationMs() - sample.latencyMs());
  }

  private static double harmonic(List<ThroughputSample> history, int newest, int count) {
    double inverseSum = 0;
    for (int i = newest - count + 1; i <= newest; i++) {
      inverseSum += 1 / bodyBytesPerMs(history.get(i));
    }
    return count / inverseSum;
  }

  /**
   * Backward dynamic programme over (buffer grid, previous variant); returns the value of each
   * first step.
   */
  private double[] plan(AbrView view, Forecast forecast, int length, double terminalValuePerS) {
    int n = view.variantCount();
    double stepMs = options.gridStepMs();
    double maxBufferMs = view.maxBufferMs();
    int points = (int) Math.ceil(maxBufferMs / stepMs) + 1;
    double segmentMs = view.segmentDurationUs() / 1000.0;
    double latencyMs = latencyMs(view);
    double[] ratesMbps = new double[n];
    for (int i = 0; i < n; i++) {
      ratesMbps[i] = view.bitratesBps().get(i) / 1e6;
    }
    // value[q * points + g]: best reward-to-go from grid buffer g after a segment at variant q.
    double[] value = new double[n * points];
    double[] next = new double[n * points];
    for (int q = 0; q < n; q++) {
      for (int g = 0; g < points; g++) {
        value[q * points + g] = terminalValuePerS * Math.min(g * stepMs, maxBufferMs) / 1000.0;
      }
    }
    double[] downloadMs = new double[n];
    // actionValue[a * points + g]: reward of variant a from buffer g plus the value after it,
    // without the switch cost, which depends on the previous variant only.
    double[] actionValue = new double[n * points];
    for (int step = length - 1; step >= 1; step--) {
      int segment = view.nextSegmentIndex() + step;
      for (int a = 0; a < n; a++) {
        downloadMs[a] =
            view.segmentSizeBytes(a, segment) / forecast.stepBytesPerMs()[step] + latencyMs;
      }
      for (int a = 0; a < n; a++) {
        for (int g = 0; g < points; g++) {
          double bufferMs = Math.min(g * stepMs, maxBufferMs);
          actionValue[a * points + g] = ratesMbps[a]
              - options.rebufferPenalty() * Math.max(downloadMs[a] - bufferMs, 0) / 1000.0
              + interpolate(value, a, points, stepMs,
                  nextBufferMs(bufferMs, downloadMs[a], segmentMs, maxBufferMs));
        }
      }
      for (int last = 0; last < n; last++) {
        for (int g = 0; g < points; g++) {
          double best = Double.NEGATIVE_INFINITY;
          for (int a = 0; a < n; a++) {
            double reward = actionValue[a * points + g]
                - options.switchPenalty() * Math.abs(ratesMbps[a] - ratesMbps[last]);
            if (reward > best) {
              best = reward;
            }
          }
          next[last * points + g] = best;
        }
      }
      double[] swap = value;
      value = next;
      next = swap;
    }
    int current = view.currentIndex();
    double bufferMs = view.bufferMs();
    double[] first = forecast.firstStepBytesPerMs() != null
        ? forecast.firstStepBytesPerMs()
        : new double[] {forecast.stepBytesPerMs()[0]};
    double[] firstValues = new double[n];
    for (int a = 0; a < n; a++) {
      long sizeBytes = view.segmentSizeBytes(a, view.nextSegmentIndex());
      double expected = 0;
      for (double bytesPerMs : first) {
        double download = sizeBytes / bytesPerMs + latencyMs;
        expected += ratesMbps[a]
            - options.rebufferPenalty() * Math.max(download - bufferMs, 0) / 1000.0
            + interpolate(value, a, points, stepMs,
                nextBufferMs(bufferMs, download, segmentMs, maxBufferMs));
      }
      firstValues[a] = expected / first.length
          - options.switchPenalty() * Math.abs(ratesMbps[a] - ratesMbps[current]);
    }
    return firstValues;
  }

  private static double nextBufferMs(
      double bufferMs, double downloadMs, double segmentMs, double maxBufferMs) {
    return Math.min(Math.max(bufferMs - downloadMs, 0) + segmentMs, maxBufferMs);
  }

  private static double interpolate(
      double[] value, int variant, int points, double stepMs, double bufferMs) {
    double position = bufferMs / stepMs;
    int low = (int) position;
    if (low >= points - 1) {
      return value[variant * points + points - 1];
    }
    double fraction = position - low;
    int base = variant * points + low;
    return value[base] * (1 - fraction) + value[base + 1] * fraction;
  }

  /** The first-byte latency to charge each download: the latest measured one. */
  private static double latencyMs(AbrView view) {
    List<ThroughputSample> history = view.throughputHistory();
    return history.isEmpty() ? 0 : history.get(history.size() - 1).latencyMs();
  }
}
