package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AbrBenchCommandTest {
  private static Path shared;

  @BeforeAll
  static void findTraces() {
    String configured = System.getProperty("abrfetch.shared.dir");
    for (String candidate : new String[] {configured, "../../shared", "../shared"}) {
      if (candidate != null && Files.isDirectory(Path.of(candidate, "abr-traces", "video"))) {
        shared = Path.of(candidate, "abr-traces").toAbsolutePath().normalize();
        return;
      }
    }
    assumeTrue(false, "shared/abr-traces not found (set -Dabrfetch.shared.dir): skipping");
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new AbrBenchCommand());
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int exitCode = command.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** The first {@code count} traces of validation-oboe, copied to a folder of their own. */
  private static Path someTraces(Path dir, int count) throws IOException {
    Path traces = Files.createDirectories(dir.resolve("traces"));
    try (var files = Files.list(shared.resolve("validation-oboe"))) {
      for (Path file : files.sorted().limit(count).toList()) {
        Files.copy(file, traces.resolve(file.getFileName()));
      }
    }
    return traces;
  }

  @Test
  void json_lastLineIsOneObject_withEveryPolicyAndItsFourMeasures(@TempDir Path dir)
      throws IOException {
    Path traces = someTraces(dir, 3);
    Run run = run("--traces", traces.toString(), "--video", shared.resolve("video").toString(),
        "--json");

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().strip().lines().toList();
    JsonObject json = new JsonObject(lines.get(lines.size() - 1));
    assertEquals(3, json.getInteger("traces"));
    JsonArray results = json.getJsonArray("results");
    assertEquals(8, results.size());
    for (int i = 0; i < results.size(); i++) {
      JsonObject result = results.getJsonObject(i);
      for (String key : List.of("qoePerChunk", "bitrateKbps", "rebufferS", "switches")) {
        assertTrue(result.getValue(key) instanceof Number, key + " in " + result);
      }
    }
    assertEquals("bb", results.getJsonObject(0).getString("policy"));
    assertEquals("default", results.getJsonObject(7).getString("policy"));
    assertTrue(run.out().contains("qoe/chunk"), "the table comes first: " + run.out());
  }

  @Test
  void selectedPolicies_matchTheGoldenMeanOfTheirTraces(@TempDir Path dir) throws IOException {
    Path traces = someTraces(dir, 2);
    Run run = run("--traces", traces.toString(), "--video", shared.resolve("video").toString(),
        "--policy", "bb", "--policy", "robust-mpc-fixed", "--json");

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().strip().lines().toList();
    JsonArray results = new JsonObject(lines.get(lines.size() - 1)).getJsonArray("results");
    assertEquals(2, results.size());
    // golden/oboe_bb.csv: trace_0.txt 1.677660, trace_1.txt 2.804255 per chunk.
    assertEquals((1.677660 + 2.804255) / 2,
        results.getJsonObject(0).getDouble("qoePerChunk"), 1e-6);
  }

  @Test
  void unknownPolicy_isAUsageError() {
    Run run = run("--traces", shared.resolve("validation-oboe").toString(),
        "--video", shared.resolve("video").toString(), "--policy", "pensieve");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("pensieve"), run.err());
  }

  @Test
  void missingTraceFolder_exitsWithTheDataErrorCode(@TempDir Path dir) {
    Run run = run("--traces", dir.resolve("absent").toString(),
        "--video", shared.resolve("video").toString());
    assertEquals(AbrBenchCommand.EXIT_BAD_DATA, run.exitCode());
    assertTrue(run.err().contains("absent"), run.err());
  }
}
