package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.BandwidthTrace;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code abrfetch demo}: a short real-time run writes the report and prints the QoE. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DemoCommandTest {

  @Test
  void shortRun_writesTheReport_andOneJsonObject(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("report.html");
    CommandRun run = CommandRun.of("demo", "--seconds", "6", "--json", "--report",
        report.toString());

    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), "stdout is the JSON object alone: " + run.out());
    JsonObject json = new JsonObject(lines.get(0));
    assertEquals("max-duration", json.getString("endReason"));
    assertTrue(json.getLong("playedMs") >= 6_000 && json.getLong("playedMs") < 6_500,
        json.encode());
    assertEquals(report.toAbsolutePath().toString(), json.getString("report"));
    assertTrue(json.getLong("startupMs") >= 0);
    assertTrue(run.err().contains("demo: 6 variants"), "the banner goes to stderr: " + run.err());

    String html = Files.readString(report, StandardCharsets.UTF_8);
    XmlFixture.parse(html);
    for (String text : List.of("abrfetch demo", "Bitrate", "Buffer",
        "Bandwidth estimate and throughput", "built-in demo-trace.txt", "default")) {
      assertTrue(html.contains(text), text + " missing from the report");
    }

    ChromiumScreenshot.assumeAvailable();
    BufferedImage image = ChromiumScreenshot.take(report, dir, "abrfetch-demo-screenshot.png");
    ChromiumScreenshot.assertEveryTimeSeriesDrawn(image);
  }

  @Test
  void traceOption_readsATraceFile_andBadInputExitsWith2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.txt");
    Files.writeString(bad, "0 1.0\nnot a number\n");
    CommandRun badTrace = CommandRun.of("demo", "--trace", bad.toString(), "--report",
        dir.resolve("r.html").toString());
    assertEquals(2, badTrace.exitCode(), badTrace.toString());
    assertTrue(badTrace.err().contains("--trace: "), badTrace.err());

    CommandRun missing = CommandRun.of("demo", "--trace", dir.resolve("none.txt").toString());
    assertEquals(2, missing.exitCode(), missing.toString());

    CommandRun seconds = CommandRun.of("demo", "--seconds", "0");
    assertEquals(2, seconds.exitCode());
    assertTrue(seconds.err().contains("--seconds: 0.0"), seconds.err());

    CommandRun policy = CommandRun.of("demo", "--policy", "nope");
    assertEquals(2, policy.exitCode());
    assertTrue(policy.err().contains("--policy: 'nope'"), policy.err());
  }

  @Test
  void builtInTrace_dropsAndRecovers() {
    BandwidthTrace trace = DemoCommand.builtInTrace();
    // The demo's point: the link falls under the middle of the ladder and comes back above it.
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    for (long s = 1; s < 60; s++) {
      double bps = trace.rateBpsAt(s * 1_000_000_000L);
      lowest = Math.min(lowest, bps);
      highest = Math.max(highest, bps);
    }
    assertTrue(lowest < DemoCommand.LADDER_BPS.get(1), "lowest " + lowest);
    assertTrue(highest > DemoCommand.LADDER_BPS.get(DemoCommand.LADDER_BPS.size() - 1),
        "highest " + highest);
    assertEquals(60, trace.periodS(), 1e-9);
  }
}
