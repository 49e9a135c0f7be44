package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.abrfetch.origin.Fault;
import io.abrfetch.origin.LadderOptions;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code abrfetch download} run in process (picocli) against a real origin on 127.0.0.1: a
 * synthetic ladder whose plaintext is known byte for byte, and a real ffmpeg ladder checked with
 * ffprobe (skipped without ffmpeg).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DownloadCommandTest {

  @TempDir Path dir;
  private Vertx vertx;
  private OriginServer origin;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (origin != null) {
      origin.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private void startOrigin(OriginOptions options) throws Exception {
    origin = OriginServer.start(vertx, options).await(10, TimeUnit.SECONDS);
  }

  private static LadderOptions.Builder ladder() {
    return LadderOptions.builder()
        .bitratesBps(List.of(150_000L, 400_000L, 1_000_000L))
        .segmentDurationUs(1_000_000)
        .vodSegmentCount(8);
  }

  private byte[] expected(int variant, int segments, boolean init) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (init) {
      out.writeBytes(origin.ladder().initSegment(variant));
    }
    for (int n = 0; n < segments; n++) {
      out.writeBytes(origin.ladder().segmentPlaintext(variant, n));
    }
    return out.toByteArray();
  }

  private static void assertOneLineError(Run run, int exitCode, String... fragments) {
    assertEquals(exitCode, run.exitCode(), run.toString());
    String message = run.err().strip();
    assertFalse(message.contains("\n"), "one line: " + message);
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), "'" + fragment + "' in: " + message);
    }
  }

  @Test
  void registeredInMain() {
    assertTrue(Main.commandLine().getSubcommands().containsKey("download"));
  }

  @Test
  void encryptedInitLadder_json_fileHoldsInitThenPlaintext() throws Exception {
    startOrigin(OriginOptions.builder().ladder(ladder().initSegments(true).aes128(true)
        .keyRotationSegments(3).build()).build());
    Path file = dir.resolve("v1.mp4");
    Run run = run("download", origin.masterPlaylistUrl(), "--variant", "1", "--output",
        file.toString(), "--concurrency", "4", "--json", "--progress", "never");

    assertEquals(0, run.exitCode(), run.toString());
    assertArrayEquals(expected(1, 8, true), Files.readAllBytes(file));
    JsonObject json = new JsonObject(run.out());
    assertEquals(1, json.getInteger("variant"));
    assertEquals(8, json.getInteger("segments"));
    assertEquals(Files.size(file), json.getLong("bytes"));
    assertEquals(1, json.getInteger("initSections"));
    assertEquals(8, json.getInteger("encryptedSegments"));
    assertTrue(json.getString("mediaPlaylistUrl").endsWith("/hls/v1/index.m3u8"), run.out());
    assertEquals("", run.err(), "no progress line when asked for none");
  }

  @Test
  void progressAlways_drawsLineOnStderr_textSummaryOnStdout() throws Exception {
    startOrigin(OriginOptions.builder().ladder(ladder().build()).build());
    Path file = dir.resolve("v0.ts");
    Run run = run("download", origin.masterPlaylistUrl(), "-o", file.toString(),
        "--progress", "always");

    assertEquals(0, run.exitCode(), run.toString());
    assertArrayEquals(expected(0, 8, false), Files.readAllBytes(file));
    assertTrue(run.err().contains("\r8/8 segments"), run.err());
    assertTrue(run.out().startsWith("downloaded variant 0: 8 segments, "
        + Files.size(file) + " bytes"), run.out());
  }

  @Test
  void fatalSegment_exit1_namesSegment_fileHoldsPrefix() throws Exception {
    startOrigin(OriginOptions.builder().ladder(ladder().build()).build());
    origin.faults().add("/hls/v2/seg3.ts", Fault.Status.of(404));
    Path file = dir.resolve("partial.ts");
    Run run = run("download", origin.masterPlaylistUrl(), "--variant", "2", "-o",
        file.toString(), "--json", "--progress", "never");

    assertOneLineError(run, DownloadCommand.EXIT_FAILED, "download: SEGMENT", "seg3.ts",
        "holds the first 3 of 8 segments");
    assertArrayEquals(expected(2, 3, false), Files.readAllBytes(file));
    JsonObject error = new JsonObject(run.out()).getJsonObject("error");
    assertEquals("SEGMENT", error.getString("kind"));
    assertEquals(3, error.getLong("mediaSequence"));
    assertEquals(1, error.getInteger("exitCode"));
  }

  @Test
  void badInput_exit2_oneLine() throws Exception {
    startOrigin(OriginOptions.builder().ladder(ladder().build()).build());
    String master = origin.masterPlaylistUrl();
    String out = dir.resolve("o.ts").toString();

    assertOneLineError(run("download", master, "--variant", "3", "-o", out),
        DownloadCommand.EXIT_BAD_INPUT, "NO_SUCH_VARIANT", "has 3 variants");
    assertOneLineError(run("download", master, "--concurrency", "0", "-o", out),
        DownloadCommand.EXIT_BAD_INPUT, "--concurrency 0");
    assertOneLineError(run("download", "ftp://example/x.m3u8", "-o", out),
        DownloadCommand.EXIT_BAD_INPUT, "not an http(s) URL");
    assertOneLineError(run("download", master, "-o", dir.resolve("nope/o.ts").toString()),
        DownloadCommand.EXIT_BAD_INPUT, "no such directory");
    assertOneLineError(run("download", master, "-o", dir.toString()),
        DownloadCommand.EXIT_BAD_INPUT, "is a directory");
    assertEquals(DownloadCommand.EXIT_BAD_INPUT, run("download", master).exitCode(),
        "--output is required");
    assertEquals(DownloadCommand.EXIT_BAD_INPUT,
        run("download", master, "-o", out, "--progress", "sometimes").exitCode());
  }

  @Test
  void livePlaylist_exit2() throws Exception {
    startOrigin(OriginOptions.builder().ladder(ladder().live(true).build()).build());
    assertOneLineError(run("download", origin.masterPlaylistUrl(), "-o",
        dir.resolve("live.ts").toString()), DownloadCommand.EXIT_BAD_INPUT, "LIVE_UNSUPPORTED");
  }

  @Test
  void unreachableOrigin_exit1() {
    // Port 9 on loopback: nothing listens (connection refused).
    assertOneLineError(run("download", "http://127.0.0.1:9/master.m3u8", "-o",
        dir.resolve("x.ts").toString()), DownloadCommand.EXIT_FAILED, "PLAYLIST_UNAVAILABLE",
        "nothing was written to");
  }

  // ---------------------------------------------------------------- real media

  @Test
  void ffmpegLadder_downloadedVariantIsPlayableMedia() throws Exception {
    Path ladderDir = Files.createDirectories(dir.resolve("ladder"));
    assumeTrue(exec(ladderDir, "ffmpeg", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "4",
        "-map", "0:v", "-map", "0:v", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
        "-b:v:0", "200k", "-s:v:0", "160x120", "-b:v:1", "400k",
        "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4", "-master_pl_name", "master.m3u8",
        "-var_stream_map", "v:0 v:1", "v%v/index.m3u8") != null,
        "ffmpeg (with libx264) not found or failed: skipping the real-media download test");
    startOrigin(OriginOptions.builder().directory(ladderDir).build());
    String base = origin.baseUrl();
    Path file = dir.resolve("variant1.mp4");

    Run run = run("download", base + "/master.m3u8", "--variant", "1", "-o", file.toString(),
        "--progress", "never");

    assertEquals(0, run.exitCode(), run.toString());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(Files.readAllBytes(ladderDir.resolve("v1/init_1.mp4")));
    for (int n = 0; n < 4; n++) {
      expected.writeBytes(Files.readAllBytes(ladderDir.resolve("v1/index" + n + ".m4s")));
    }
    assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    String probe = exec(dir, "ffprobe", "-v", "error", "-select_streams", "v:0",
        "-show_entries", "stream=codec_name,width,height:format=duration", "-of",
        "default=noprint_wrappers=1", file.toString());
    assumeTrue(probe != null, "ffprobe not found: skipping the probe of the downloaded file");
    assertTrue(probe.contains("codec_name=h264"), probe);
    assertTrue(probe.contains("width=320"), probe);
    assertTrue(probe.contains("height=240"), probe);
    double durationS = Double.parseDouble(probe.lines()
        .filter(l -> l.startsWith("duration=")).findFirst().orElseThrow().substring(9));
    assertEquals(4.0, durationS, 0.2, probe);
  }

  /** Runs a command in {@code workDir}; its stdout, or null when it is missing or fails. */
  private static String exec(Path workDir, String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(new ArrayList<>(List.of(command)))
          .directory(workDir.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      return process.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    }
  }
}
