package io.abrfetch.abr;

/**
 * Buffer-based rule (BB, Huang et al. 2014, as in Pensieve's {@code test/bb.py}): the lowest
 * variant below a reservoir, the highest above reservoir + cushion, and a linear map of the
 * ladder index in between. Ignores throughput entirely.
 */
public final class BufferBasedPolicy implements AbrPolicy {
  public static final double DEFAULT_RESERVOIR_S = 5;
  public static final double DEFAULT_CUSHION_S = 10;

  private final double reservoirS;
  private final double cushionS;

  private BufferBasedPolicy(double reservoirS, double cushionS) {
    if (!(reservoirS >= 0)) {
      throw new IllegalArgumentException("reservoirS: " + reservoirS + " (expected: >= 0)");
    }
    if (!(cushionS > 0)) {
      throw new IllegalArgumentException("cushionS: " + cushionS + " (expected: > 0)");
    }
    this.reservoirS = reservoirS;
    this.cushionS = cushionS;
  }

  /** BB with the reference reservoir (5 s) and cushion (10 s). */
  public static BufferBasedPolicy create() {
    return new BufferBasedPolicy(DEFAULT_RESERVOIR_S, DEFAULT_CUSHION_S);
  }

  /** BB with another reservoir and cushion, in seconds. */
  public static BufferBasedPolicy create(double reservoirS, double cushionS) {
    return new BufferBasedPolicy(reservoirS, cushionS);
  }

  @Override
  public String name() {
    return "bb";
  }

  @Override
  public AbrDecision chooseNext(AbrView view) {
    double bufferS = view.bufferMs() / 1000.0;
    int top = view.variantCount() - 1;
    int target;
    if (bufferS < reservoirS) {
      target = 0;
    } else if (bufferS >= reservoirS + cushionS) {
      target = top;
    } else {
      // Same operation order as the reference: (A_DIM - 1) * (b - RESERVOIR) / CUSHION, truncated.
      target = (int) (top * (bufferS - reservoirS) / cushionS);
    }
    int current = view.currentIndex();
    AbrDecision.Reason reason =
        target == current ? AbrDecision.Reason.ALREADY_OPTIMAL
            : target > current ? AbrDecision.Reason.BUFFER_HIGH : AbrDecision.Reason.BUFFER_LOW;
    return AbrDecision.of(current, target, reason);
  }
}
