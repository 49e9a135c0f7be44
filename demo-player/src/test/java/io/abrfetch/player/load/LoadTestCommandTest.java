package io.abrfetch.player.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.Fault;
import io.abrfetch.origin.OriginServer;
import io.abrfetch.player.Main;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code abrfetch loadtest}: exit codes, error accounting, JSON last, HTML report. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadTestCommandTest {

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    CommandLine commandLine = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  @Test
  void origin5xx_countsErrorsWithStatuses_completes_exitsZero(Vertx vertx, @TempDir Path dir)
      throws Exception {
    OriginServer origin = LoadFixture.origin(vertx, LoadFixture.ladder(500).build());
    origin.faults().randomly("/hls/", 7, 0.2, List.of(new Fault.Status(503, null)));
    Path report = dir.resolve("report.html");

    Result result = run("loadtest", origin.masterPlaylistUrl(), "--viewers", "6", "--duration",
        "3", "--buffer", "2", "--retry-delay", "0.05", "--no-progress", "--json", "--report",
        report.toString());

    assertEquals(0, result.exitCode(), result.err());
    String[] lines = result.out().trim().split("\\R");
    JsonObject json = new JsonObject(lines[lines.length - 1]);
    long errors = json.getLong("errors");
    long requests = json.getLong("requests");
    assertTrue(errors > 0 && requests > errors * 2,
        "errors " + errors + " of " + requests + " requests");
    assertEquals(errors, json.getJsonObject("errorsByStatus").getLong("503"), json.encode());
    assertEquals(errors, json.getJsonObject("errorsByKind").getLong("http"), json.encode());
    assertEquals(6, json.getLong("viewers"));
    // The origin's own count of 503s is what the harness reports (none in flight at the end).
    long served503 = origin.stats().log().stream().filter(r -> r.status() == 503).count();
    assertTrue(Math.abs(served503 - errors) <= 6, "origin 503s " + served503 + ", errors " + errors);
    for (String key : List.of("viewers", "requests", "errors", "bytes", "stallRatio",
        "meanBitrateKbps", "ttfbMsP50", "ttfbMsP99", "segmentMsP50", "segmentMsP99",
        "schedulingLagMsP99")) {
      assertTrue(json.containsKey(key), "JSON key " + key + ": " + json.encode());
    }
    assertTrue(result.out().contains("status 503="), result.out());
    String html = Files.readString(report);
    assertTrue(html.contains("<svg") && html.contains("Active viewers")
        && html.contains("Segment download time"), "report charts");
  }

  @Test
  void badArguments_exitTwoNamingTheInput() {
    Result noUrl = run("loadtest", "--viewers", "2");
    assertEquals(2, noUrl.exitCode());
    assertTrue(noUrl.err().contains("URL"), noUrl.err());

    Result badUrl = run("loadtest", "ftp://example.com/master.m3u8");
    assertEquals(2, badUrl.exitCode());
    assertTrue(badUrl.err().contains("ftp://example.com/master.m3u8"), badUrl.err());

    Result zeroViewers = run("loadtest", "http://127.0.0.1:9/m.m3u8", "--viewers", "0");
    assertEquals(2, zeroViewers.exitCode());
    assertTrue(zeroViewers.err().contains("viewers: 0"), zeroViewers.err());

    Result negativeDuration = run("loadtest", "http://127.0.0.1:9/m.m3u8", "--duration", "-1");
    assertEquals(2, negativeDuration.exitCode());
    assertTrue(negativeDuration.err().contains("--duration"), negativeDuration.err());

    Result badProfile = run("loadtest", "http://127.0.0.1:9/m.m3u8", "--profile", "3g=fast");
    assertEquals(2, badProfile.exitCode());
    assertTrue(badProfile.err().contains("3g=fast"), badProfile.err());

    Result missingTrace = run("loadtest", "http://127.0.0.1:9/m.m3u8", "--profile",
        "lte=trace:/nonexistent/trace.log");
    assertEquals(2, missingTrace.exitCode());
    assertTrue(missingTrace.err().contains("/nonexistent/trace.log"), missingTrace.err());

    Result badPolicy = run("loadtest", "http://127.0.0.1:9/m.m3u8", "--policy", "nope");
    assertEquals(2, badPolicy.exitCode());
    assertTrue(badPolicy.err().contains("nope"), badPolicy.err());

    Result notANumber = run("loadtest", "http://127.0.0.1:9/m.m3u8", "--viewers", "many");
    assertEquals(2, notANumber.exitCode());
  }

  @Test
  void unreachableOrigin_isAResultNotAHarnessFailure() {
    // Nothing listens on port 9 of loopback: every viewer fails its master playlist.
    Result result = run("loadtest", "http://127.0.0.1:9/hls/master.m3u8", "--viewers", "3",
        "--duration", "1.5", "--attempts", "2", "--retry-delay", "0.05", "--no-progress",
        "--json");
    assertEquals(0, result.exitCode(), result.err());
    String[] lines = result.out().trim().split("\\R");
    JsonObject json = new JsonObject(lines[lines.length - 1]);
    assertEquals(3, json.getLong("viewersFailed"), json.encode());
    assertEquals(6, json.getLong("errors"), json.encode());
    assertEquals(6, json.getJsonObject("errorsByKind").getLong("connect"), json.encode());
  }

  @Test
  void silentOrigin_timesOutWithKindTimeout(Vertx vertx) {
    OriginServer origin = LoadFixture.origin(vertx, LoadFixture.ladder(500).build());
    origin.faults().add("/hls/v", new Fault.DelayFirstByte(java.time.Duration.ofSeconds(5)));
    LoadOptions options = LoadOptions.builder()
        .viewers(1)
        .durationMs(2_500)
        .requestTimeoutMs(400)
        .maxAttempts(2)
        .retryDelayMs(50)
        .build();

    LoadMetrics metrics = LoadFixture.runToEnd(vertx, origin.masterPlaylistUrl(), options)
        .completion().result();

    // The media playlist never answers: two attempts time out and the viewer gives up.
    assertEquals(2, metrics.errors(RequestType.MEDIA_PLAYLIST), metrics.errorsByKind().toString());
    assertEquals(2, metrics.errorsByKind().get("timeout"), metrics.errorsByKind().toString());
    assertEquals(1, metrics.summary().viewersFailed());
    assertEquals(0, metrics.activeViewers());
  }
}
