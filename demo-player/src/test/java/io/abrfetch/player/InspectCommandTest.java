package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code abrfetch inspect} against a real HTTP server on 127.0.0.1 and against files. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InspectCommandTest {

  static final String MASTER = """
      #EXTM3U
      #EXT-X-VERSION:4
      #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,URI="audio/en.m3u8"
      #EXT-X-STREAM-INF:BANDWIDTH=1200000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2",AUDIO="aud"
      v1/index.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x180,CODECS="avc1.42c00d,mp4a.40.2",AUDIO="aud"
      v0/index.m3u8
      """;

  static final String MEDIA = """
      #EXTM3U
      #EXT-X-VERSION:6
      #EXT-X-TARGETDURATION:4
      #EXT-X-MEDIA-SEQUENCE:7
      #EXT-X-PLAYLIST-TYPE:VOD
      #EXT-X-MAP:URI="all.mp4",BYTERANGE="800@0"
      #EXT-X-KEY:METHOD=AES-128,URI="/keys/k1"
      #EXTINF:4.0,
      #EXT-X-BYTERANGE:1000@800
      all.mp4
      #EXTINF:3.5,
      #EXT-X-BYTERANGE:2000
      all.mp4
      #EXT-X-ENDLIST
      """;

  private Vertx vertx;
  private HttpServer server;
  private String base;
  private final CountDownLatch endlessClosed = new CountDownLatch(1);

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> {
      HttpServerResponse response = request.response();
      String path = request.path();
      if (path.equals("/hls/master.m3u8")) {
        response.putHeader("content-type", "application/vnd.apple.mpegurl").end(MASTER);
      } else if (path.equals("/hls/v0/index.m3u8")) {
        response.end(MEDIA);
      } else if (path.startsWith("/redirect/")) {
        // /redirect/N hops N more times, then lands on the media playlist in another directory
        int remaining = Integer.parseInt(path.substring("/redirect/".length()));
        String location = remaining <= 1 ? "/hls/v0/index.m3u8" : "/redirect/" + (remaining - 1);
        response.setStatusCode(302).putHeader("location", location).end();
      } else if (path.equals("/endless.m3u8")) {
        // chunked, no Content-Length, never ends: only the size limit can stop the fetch
        response.setChunked(true);
        response.closeHandler(v -> endlessClosed.countDown());
        writeForever(response, Buffer.buffer("#EXTM3U\n" + "#".repeat(64 * 1024 - 8)));
      } else if (path.equals("/stall.m3u8")) {
        response.setChunked(true).write("#EXTM3U\n"); // then nothing, never the end
      } else if (path.equals("/garbage.m3u8")) {
        response.end("<html>not a playlist</html>");
      } else {
        response.setStatusCode(404).end("not found");
      }
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + server.actualPort();
  }

  private static void writeForever(HttpServerResponse response, Buffer chunk) {
    if (response.closed()) {
      return;
    }
    response.write(chunk).onSuccess(v -> writeForever(response, chunk));
  }

  @AfterEach
  void stopServer() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The exit code and what the command printed. */
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new InspectCommand());
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private static void assertOneLineError(Run run, String... fragments) {
    assertEquals(InspectCommand.EXIT_BAD_INPUT, run.exitCode(), run.toString());
    assertEquals("", run.out(), run.toString());
    String message = run.err().strip();
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.startsWith("inspect: "), message);
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), "'" + fragment + "' in: " + message);
    }
  }

  @Test
  void masterUrl_printsLadderLowestFirst_andRenditions() {
    Run run = run(base + "/hls/master.m3u8");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.startsWith("master playlist " + base + "/hls/master.m3u8"), out);
    int low = out.indexOf("#0 400,000 bps");
    int high = out.indexOf("#1 1,200,000 bps");
    assertTrue(low > 0 && high > low, out);
    assertTrue(out.contains(base + "/hls/v0/index.m3u8"), out);
    assertTrue(out.contains("AUDIO group=\"aud\" name=\"English\" lang=en default autoselect"), out);
    assertTrue(out.contains(base + "/hls/audio/en.m3u8"), out);
  }

  @Test
  void masterUrl_json_hasVariantsSortedWithBandwidthUriResolutionCodecs() {
    Run run = run(base + "/hls/master.m3u8", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = new JsonObject(run.out());
    assertEquals("master", json.getString("type"));
    JsonArray variants = json.getJsonArray("variants");
    assertEquals(2, variants.size());
    JsonObject first = variants.getJsonObject(0);
    assertEquals(400_000L, first.getLong("bandwidth"));
    assertEquals(base + "/hls/v0/index.m3u8", first.getString("uri"));
    assertEquals("320x180", first.getString("resolution"));
    assertEquals("avc1.42c00d,mp4a.40.2", first.getString("codecs"));
    assertEquals(1, json.getJsonArray("renditions").size());
    assertFalse(json.containsKey("segments"), "media fields are omitted for a master");
    assertFalse(json.containsKey("targetDurationS"));
  }

  @Test
  void mediaUrl_json_hasSegmentsWithComputedByteRangesKeysAndMaps() {
    Run run = run(base + "/hls/v0/index.m3u8", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = new JsonObject(run.out());
    assertEquals("media", json.getString("type"));
    assertEquals(4, json.getLong("targetDurationS"));
    assertTrue(json.getBoolean("endList"));
    assertEquals("VOD", json.getString("playlistType"));
    assertEquals(7_500_000L, json.getLong("totalDurationUs"));
    JsonArray segments = json.getJsonArray("segments");
    assertEquals(2, segments.size());
    JsonObject second = segments.getJsonObject(1);
    assertEquals(base + "/hls/v0/all.mp4", second.getString("uri"));
    assertEquals(3_500_000L, second.getLong("durationUs"));
    assertEquals(new JsonObject().put("offset", 1800).put("length", 2000), second.getJsonObject("byteRange"));
    assertEquals(base + "/keys/k1", second.getJsonObject("key").getString("uri"));
    assertEquals("0x00000000000000000000000000000008", second.getJsonObject("key").getString("iv"));
    assertEquals(new JsonObject().put("offset", 0).put("length", 800),
        second.getJsonObject("map").getJsonObject("byteRange"));
    assertFalse(json.containsKey("variants"), "master fields are omitted for a media playlist");
  }

  @Test
  void redirectChainOfFive_isFollowed_andUrisResolveAgainstTheFinalUrl() {
    Run run = run(base + "/redirect/5", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = new JsonObject(run.out());
    assertEquals(base + "/hls/v0/index.m3u8", json.getString("uri"));
    assertEquals(base + "/hls/v0/all.mp4", json.getJsonArray("segments").getJsonObject(0).getString("uri"));
  }

  @Test
  void redirectChainOfSix_isTooManyRedirects() {
    assertOneLineError(run(base + "/redirect/6"), "too many redirects", base + "/redirect/6");
  }

  @Test
  void notFound_isExit2NamingTheStatus() {
    assertOneLineError(run(base + "/nope.m3u8"), "HTTP 404", base + "/nope.m3u8");
  }

  @Test
  void connectionRefused_isExit2() throws Exception {
    HttpServer closed = vertx.createHttpServer().requestHandler(r -> r.response().end())
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    int port = closed.actualPort();
    closed.close().await(10, TimeUnit.SECONDS);
    assertOneLineError(run("http://127.0.0.1:" + port + "/x.m3u8"), "connection refused");
  }

  @Test
  void endlessChunkedBody_isTooLarge_andTheConnectionIsClosed() throws Exception {
    assertOneLineError(run(base + "/endless.m3u8"), "too large", "8388608");
    assertTrue(endlessClosed.await(10, TimeUnit.SECONDS), "the client hung up");
  }

  @Test
  void sizeLimitOption_appliesToFetchedBody() {
    assertOneLineError(run(base + "/hls/master.m3u8", "--max-size-bytes", "100"), "too large", "100");
  }

  @Test
  void stalledBody_timesOut() {
    long startNanos = System.nanoTime();
    assertOneLineError(run(base + "/stall.m3u8", "--timeout-ms", "500"), "timed out after 500 ms");
    assertTrue(System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(10), "gave up in time");
  }

  @Test
  void htmlInsteadOfPlaylist_isMalformedNamingKindAndLine() {
    assertOneLineError(run(base + "/garbage.m3u8"), "malformed playlist", "NOT_M3U8", "line 1");
  }

  @Test
  void file_printsMediaSummaryWithByteRangesKeysAndMaps(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("index.m3u8");
    Files.writeString(file, MEDIA, StandardCharsets.UTF_8);
    Run run = run(file.toString());
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains("type: VOD, ended"), out);
    assertTrue(out.contains("target duration: 4 s"), out);
    assertTrue(out.contains("segments: 2, total duration: 7.500 s"), out);
    String segmentFile = "file:" + dir.resolve("all.mp4"); // java.net.URI drops the empty authority
    assertTrue(out.contains("map: " + segmentFile + " bytes 0-799 (800)"), out);
    assertTrue(out.contains("key: AES-128 file:/keys/k1 iv=media sequence"), out);
    assertTrue(out.contains("#8 3.500 s " + segmentFile + " bytes 1800-3799 (2000)"), out);
  }

  @Test
  void fileUrl_readsTheFile_andResolvesAgainstIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("master.m3u8");
    Files.writeString(file, MASTER, StandardCharsets.UTF_8);
    Run run = run(file.toUri().toString(), "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonObject first = new JsonObject(run.out()).getJsonArray("variants").getJsonObject(0);
    assertEquals(dir.resolve("v0/index.m3u8"), Path.of(java.net.URI.create(first.getString("uri"))));
  }

  @Test
  void file_malformed_isExit2NamingLineAndExpectation(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.m3u8");
    Files.writeString(file, "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:four,\na.ts\n");
    assertOneLineError(run(file.toString()), "malformed playlist", "BAD_TAG", "line 3", "expected");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:99999/x.m3u8", "http://user@/x.m3u8", "http://", "http://exa mple/x"})
  void invalidUrl_isExit2NamingTheUrl(String url) {
    assertOneLineError(run(url), url, "not a valid URL");
  }

  @Test
  void file_missing_isExit2(@TempDir Path dir) {
    assertOneLineError(run(dir.resolve("absent.m3u8").toString()), "no such file");
  }
}
