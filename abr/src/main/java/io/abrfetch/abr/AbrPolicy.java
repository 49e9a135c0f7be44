package io.abrfetch.abr;

import java.util.List;
import java.util.Locale;

/**
 * An adaptive-bitrate rule: a pure function from an {@link AbrView} to an {@link AbrDecision}.
 *
 * <p>Implementations hold only immutable configuration, do no I/O and keep no memory between
 * calls (whatever they need to remember is in the view's throughput history), so one instance
 * serves any number of peers on any threads, and the trace simulator and the live
 * {@link AbrController} run the very same code.
 *
 * <p>When the view carries a {@linkplain AbrView#download() download in flight}, the question is
 * whether to abandon it: {@link #decide} then answers {@link AbrDecision.Abandon} or
 * {@link AbrDecision.Stay} through {@link AbandonRule}. Otherwise it picks the variant of the next
 * segment through {@link #chooseNext}.
 */
public interface AbrPolicy {

  /** The policy names {@link #named} accepts, in benchmark order. */
  List<String> NAMES =
      List.of("bb", "rb", "bola", "robust-mpc", "robust-mpc-fixed", "throughput", "hybrid",
          "default");

  /** Decides about the view: abandonment when a download is in flight, else the next variant. */
  default AbrDecision decide(AbrView view) {
    if (view.download() != null) {
      return AbandonRule.DEFAULT.evaluate(view);
    }
    return chooseNext(view);
  }

  /** Picks the variant of the next segment. */
  AbrDecision chooseNext(AbrView view);

  /** The policy's benchmark name. */
  String name();

  /**
   * Whether the policy reads throughput samples of earlier sessions (robust MPC's published
   * global error list does). The benchmark must then run traces one after the other, in order.
   */
  default boolean readsEarlierSessions() {
    return false;
  }

  /**
   * The policy called {@code name} (one of {@link #NAMES}, case-insensitive).
   *
   * @throws IllegalArgumentException for any other name
   */
  static AbrPolicy named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "bb" -> BufferBasedPolicy.create();
      case "rb" -> RateBasedPolicy.create();
      case "bola" -> BolaPolicy.create();
      case "robust-mpc" -> RobustMpcPolicy.published();
      case "robust-mpc-fixed" -> RobustMpcPolicy.fixed();
      case "throughput" -> ThroughputPolicy.create();
      case "hybrid" -> HybridPolicy.create();
      case "default" -> defaultPolicy();
      default -> throw new IllegalArgumentException(
          "policy: '" + name + "' (expected: one of " + NAMES + ")");
    };
  }

  /** The project's default policy: {@link HorizonPlanPolicy} with its default options. */
  static AbrPolicy defaultPolicy() {
    return HorizonPlanPolicy.create();
  }
}
