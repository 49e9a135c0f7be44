package io.abrfetch.abr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.abr.AbrPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java simulator and the reference policies against the benchmark's golden files: the same
 * quality sequence and the same QoE sum (6 decimals) on every trace of {@code validation-oboe/}.
 */
class GoldenResultsTest {
  private static Path root;
  private static List<Trace> oboe;
  private static QoeBenchmark benchmark;

  @BeforeAll
  static void load() {
    root = SharedTraces.folder();
    oboe = Trace.loadFolder(root.resolve("validation-oboe"));
    benchmark = QoeBenchmark.create(ChunkSizes.load(root.resolve("video")));
  }

  @ParameterizedTest(name = "{0} reproduces golden/{1}")
  @CsvSource({
    "bb, oboe_bb.csv",
    "bola, oboe_bola_basic.csv",
    "rb, oboe_rb.csv",
    "robust-mpc, oboe_robustmpc.csv",
    "robust-mpc-fixed, oboe_robustmpc_fixed.csv",
  })
  void policyReproducesGoldenSequenceAndQoe_onEveryOboeTrace(String policy, String golden)
      throws IOException {
    PolicyResult result = benchmark.run(AbrPolicy.named(policy), oboe, 2);
    List<String> lines = Files.readAllLines(root.resolve("golden").resolve(golden));
    assertEquals(oboe.size() + 1, lines.size(), "golden rows");
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < oboe.size(); i++) {
      String[] fields = lines.get(i + 1).split(",");
      TraceResult trace = result.traces().get(i);
      assertEquals(fields[0], trace.trace(), "trace order");
      String qoe = String.format(Locale.ROOT, "%.6f", trace.qoeSum());
      if (!fields[5].equals(trace.qualitySequence()) || !fields[1].equals(qoe)) {
        mismatches.add(fields[0] + ": golden " + fields[5] + " " + fields[1] + ", ours "
            + trace.qualitySequence() + " " + qoe);
      }
    }
    assertTrue(mismatches.isEmpty(),
        mismatches.size() + " traces differ, first: " + mismatches.stream().limit(3).toList());
  }

  @Test
  void referenceMeans_matchTheReadme() {
    // README section 7: BB 1.842, RB 1.850, BOLA-basic 1.841, robustMPC 2.181, fixed 2.194.
    assertEquals(1.842, benchmark.run(AbrPolicy.named("bb"), oboe, 2).qoePerChunk(), 5e-4);
    assertEquals(1.850, benchmark.run(AbrPolicy.named("rb"), oboe, 2).qoePerChunk(), 5e-4);
    assertEquals(1.841, benchmark.run(AbrPolicy.named("bola"), oboe, 2).qoePerChunk(), 5e-4);
  }
}
