package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.BandwidthTrace;
import io.abrfetch.origin.FixedRate;
import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code abrfetch origin}: options become a running origin that serves what they say. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OriginCommandTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void synthetic_optionsBuildTheLadderShapingAndFaults(Vertx vertx) throws Exception {
    OriginCommand command = parse("--synthetic", "--bitrates", "300000,900000", "--segment-s", "2",
        "--live", "--window", "3", "--init", "--aes", "--audio", "--rate-bps", "50000000",
        "--shared-link", "--fault", "/hls/v1/=status:503:1s*2");
    OriginOptions options = command.options();

    assertEquals(List.of(300_000L, 900_000L), options.ladderOrNull().bitratesBps());
    assertEquals(2_000_000, options.ladderOrNull().segmentDurationUs());
    assertTrue(options.ladderOrNull().live());
    assertEquals(1, options.ladderOrNull().audioRenditions());
    assertEquals(new FixedRate(50_000_000), options.shaping().scheduleOrNull());
    assertEquals(LinkShaping.Scope.SHARED, options.shaping().scope());

    OriginServer server = command.start(vertx).await();
    try {
      HttpResponse<String> master = get(server.masterPlaylistUrl());
      assertEquals(200, master.statusCode());
      assertTrue(master.body().contains("v1/index.m3u8"));
      assertTrue(master.body().contains("TYPE=AUDIO"));
      HttpResponse<String> faulted = get(server.baseUrl() + "/hls/v1/index.m3u8");
      assertEquals(503, faulted.statusCode());
      assertEquals("1", faulted.headers().firstValue("Retry-After").orElseThrow());
      assertEquals(503, get(server.baseUrl() + "/hls/v1/index.m3u8").statusCode());
      assertEquals(200, get(server.baseUrl() + "/hls/v1/index.m3u8").statusCode());
    } finally {
      server.close().await();
    }
  }

  @Test
  void randomFaultsAndTrace_areInstalled(Vertx vertx, @TempDir Path dir) throws Exception {
    Path trace = dir.resolve("trace.log");
    Files.writeString(trace, "0.0\t80\r\n1.0\t80\r\n");
    OriginCommand command = parse("--synthetic", "--trace", trace.toString(), "--shared-link",
        "--random-faults", "status:500,status:429", "--fault-probability", "1", "--fault-seed", "3");
    assertTrue(command.options().shaping().scheduleOrNull() instanceof BandwidthTrace);

    OriginServer server = command.start(vertx).await();
    try {
      for (int i = 0; i < 5; i++) {
        int status = get(server.masterPlaylistUrl()).statusCode();
        assertTrue(status == 500 || status == 429, "status " + status);
      }
    } finally {
      server.close().await();
    }
  }

  @Test
  void directory_servesItsFiles(Vertx vertx, @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("index.m3u8"), "#EXTM3U\n");
    OriginCommand command = parse(dir.toString());
    OriginServer server = command.start(vertx).await();
    try {
      HttpResponse<String> playlist = get(server.baseUrl() + "/index.m3u8");
      assertEquals("#EXTM3U\n", playlist.body());
      assertEquals("application/vnd.apple.mpegurl",
          playlist.headers().firstValue("Content-Type").orElseThrow());
    } finally {
      server.close().await();
    }
  }

  @Test
  void badInput_isAUsageErrorWithExitCode2() {
    assertEquals(2, execute(new OriginCommand(), new StringWriter()));
    assertEquals(2, execute(new OriginCommand(), new StringWriter(), "--synthetic", "--fault", "/x=boom"));
    assertEquals(2, execute(new OriginCommand(), new StringWriter(), "--synthetic", "--variants", "3",
        "--bitrates", "1000000,2000000"));
    assertEquals(2, execute(new OriginCommand(), new StringWriter(), "--synthetic", "--rate-bps", "1",
        "--trace", "x"));
    assertEquals(2, execute(new OriginCommand(), new StringWriter(), "/no/such/dir/for/origin"));
    assertEquals(2, execute(new OriginCommand(), new StringWriter(), "--synthetic", "--fault",
        "hls=html"));
    assertEquals(2, execute(new OriginCommand(), new StringWriter(), "--synthetic",
        "--random-faults", "html", "--fault-probability", "2"));
  }

  @Test
  void execute_printsItsUrlsOnOneLineAndServesUntilStopped() throws Exception {
    OriginCommand command = new OriginCommand();
    StringWriter out = new StringWriter();
    AtomicInteger exitCode = new AtomicInteger(-1);
    Thread runner = new Thread(() -> exitCode.set(execute(command, out, "--synthetic", "--vod-segments", "2")));
    runner.start();

    Matcher matcher = awaitLine(out);
    HttpResponse<String> master = get(matcher.group(2));
    assertEquals(200, master.statusCode());
    assertTrue(master.body().startsWith("#EXTM3U"));
    assertEquals(matcher.group(1) + "/hls/master.m3u8", matcher.group(2));

    command.stop();
    runner.join(TimeUnit.SECONDS.toMillis(20));
    assertEquals(0, exitCode.get());
  }

  private static Matcher awaitLine(StringWriter out) throws InterruptedException {
    Pattern line = Pattern.compile("origin listening on (http://127\\.0\\.0\\.1:\\d+) master (\\S+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Matcher matcher = line.matcher(out.toString());
      if (matcher.find()) {
        return matcher;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no URL line printed; output: " + out);
  }

  private static int execute(OriginCommand command, StringWriter out, String... args) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }

  private static OriginCommand parse(String... args) {
    OriginCommand command = new OriginCommand();
    new CommandLine(command).parseArgs(args);
    assertNotNull(command.spec);
    return command;
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
