package io.abrfetch.abr;

/**
 * BOLA-BASIC (Spiteri et al. 2016) with dash.js constants: utility {@code u_i = ln(r_i/r_0) + 1},
 * a buffer target of {@code max(18, 10 + 2 x variants)} seconds, and the variant maximising
 * {@code (Vp (u_i - 1 + gp) - buffer) / r_i}, ties to the higher variant. No placeholder buffer
 * and no throughput cap, as in the benchmark's {@code bola_basic} reference.
 */
public final class BolaPolicy implements AbrPolicy {
  static final double MINIMUM_BUFFER_S = 10;
  static final double MINIMUM_BUFFER_PER_LEVEL_S = 2;
  static final double STABLE_BUFFER_S = 18;

  private BolaPolicy() {}

  /** BOLA-BASIC with dash.js constants. */
  public static BolaPolicy create() {
    return new BolaPolicy();
  }

  @Override
  public String name() {
    return "bola";
  }

  @Override
  public AbrDecision chooseNext(AbrView view) {
    int target = bolaIndex(view);
    int current = view.currentIndex();
    AbrDecision.Reason reason =
        target == current ? AbrDecision.Reason.ALREADY_OPTIMAL
            : target > current ? AbrDecision.Reason.BUFFER_HIGH : AbrDecision.Reason.BUFFER_LOW;
    return AbrDecision.of(current, target, reason);
  }

  /** The BOLA-BASIC choice for the view's buffer level. */
  static int bolaIndex(AbrView view) {
    int n = view.variantCount();
    double bufferS = view.bufferMs() / 1000.0;
    double lowestKbps = view.bitrateKbps(0);
    double topUtility = Math.log(view.bitrateKbps(n - 1) / lowestKbps) + 1;
    double bufferTimeS = Math.max(STABLE_BUFFER_S, MINIMUM_BUFFER_S + MINIMUM_BUFFER_PER_LEVEL_S * n);
    if (n == 1) {
      return 0;
    }
    double gp = (topUtility - 1) / (bufferTimeS / MINIMUM_BUFFER_S - 1);
    double vp = MINIMUM_BUFFER_S / gp;
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double rateKbps = view.bitrateKbps(i);
      double utility = Math.log(rateKbps / lowestKbps) + 1;
      double score = (vp * (utility - 1 + gp) - bufferS) / rateKbps;
      if (score >= bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
}
