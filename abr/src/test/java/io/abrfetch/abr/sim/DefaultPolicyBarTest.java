package io.abrfetch.abr.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.abr.AbrPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance bar of the default policy on both trace sets: mean per-chunk QoE_lin at least 3%
 * above robust MPC (fixed), with fewer switches per trace than robust MPC.
 */
class DefaultPolicyBarTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"validation-oboe", "train"})
  void defaultBeatsRobustMpcFixedByThreePercent_withFewerSwitchesThanRobustMpc(String set) {
    Path root = SharedTraces.folder();
    List<Trace> traces = Trace.loadFolder(root.resolve(set));
    QoeBenchmark benchmark = QoeBenchmark.create(ChunkSizes.load(root.resolve("video")));
    PolicyResult ours = benchmark.run(AbrPolicy.defaultPolicy(), traces, 2);
    PolicyResult fixed = benchmark.run(AbrPolicy.named("robust-mpc-fixed"), traces, 2);
    PolicyResult published = benchmark.run(AbrPolicy.named("robust-mpc"), traces, 1);
    String summary = String.format(Locale.ROOT,
        "%s: default %.4f (%d switches x100), robust-mpc-fixed %.4f, robust-mpc switches %.2f",
        set, ours.qoePerChunk(), Math.round(ours.switches() * 100), fixed.qoePerChunk(),
        published.switches());
    assertTrue(ours.qoePerChunk() >= fixed.qoePerChunk() * 1.03, summary);
    assertTrue(ours.switches() < published.switches(), summary);
  }
}
