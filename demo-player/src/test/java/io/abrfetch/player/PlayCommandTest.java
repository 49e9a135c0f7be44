package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.Fault;
import io.abrfetch.origin.OriginOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code abrfetch play}: output file, JSON, exit codes, against a real synthetic origin. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlayCommandTest extends PlayerTestBase {

  /** Init sections on, no alternate audio: the output file is the variant stream alone. */
  private void startFmp4Origin() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().audioRenditions(0)
        .initSegments(true).build()));
  }

  /** What the output must hold: each chunk's init section when it changes, then its bytes. */
  private byte[] expectedOutput(JsonArray variantPerChunk) {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    int previous = -1;
    for (int sequence = 0; sequence < variantPerChunk.size(); sequence++) {
      int variant = variantPerChunk.getInteger(sequence);
      if (variant != previous) {
        expected.writeBytes(origin.ladder().initSegment(variant));
      }
      expected.writeBytes(origin.ladder().segmentPlaintext(variant, sequence));
      previous = variant;
    }
    return expected.toByteArray();
  }

  @Test
  void output_holdsTheInitSectionThenTheSegmentsInPlayOrder(@TempDir Path dir) throws Exception {
    startFmp4Origin();
    Path file = dir.resolve("out.mp4");
    CommandRun run = CommandRun.of("play", origin.masterPlaylistUrl(), "--output",
        file.toString(), "--rate", "8", "--json");

    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = new JsonObject(run.out().strip());
    JsonArray variants = json.getJsonArray("variantPerChunk");
    assertEquals(8, variants.size());
    assertArrayEquals(expectedOutput(variants), Files.readAllBytes(file));
  }

  @Test
  void json_isTheOnlyThingOnStdout_withEveryQoeField() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().build()));
    CommandRun run = CommandRun.of("play", origin.masterPlaylistUrl(), "--rate", "8", "--json",
        "--policy", "throughput");

    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), "one JSON line on stdout: " + run.out());
    JsonObject json = new JsonObject(lines.get(0));
    for (String key : List.of("startupMs", "stalls", "stallMs", "meanBitrateKbps", "switches",
        "segments", "bytes", "playedMs", "endReason")) {
      assertTrue(json.containsKey(key), key + " missing: " + json);
    }
    assertTrue(json.getLong("startupMs") >= 0);
    assertEquals(8_000, json.getLong("playedMs"));
    assertEquals(16, json.getLong("segments"), "8 video + 8 audio");
    assertTrue(json.getLong("bytes") > 0);
    assertTrue(json.getDouble("meanBitrateKbps") >= 200);
    assertEquals(8, json.getJsonArray("qoePerChunk").size());
    assertTrue(json.getJsonArray("qoePerChunk").getValue(0) instanceof Number);
    assertEquals("end-of-stream", json.getString("endReason"));
    assertEquals("throughput", json.getString("policy"));
  }

  @Test
  void durationAndText_stopAfterTheGivenMediaTime() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().build()));
    CommandRun run = CommandRun.of("play", origin.masterPlaylistUrl(), "--rate", "8",
        "--duration", "3");

    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("played 3.") && run.out().contains("(max-duration)"),
        run.toString());
  }

  @Test
  void outputDash_writesTheMediaToStdout_andTheJsonToStderr() throws Exception {
    startFmp4Origin();
    PrintStream stdout = System.out;
    ByteArrayOutputStream media = new ByteArrayOutputStream();
    CommandRun run;
    System.setOut(new PrintStream(media, true));
    try {
      run = CommandRun.of("play", origin.masterPlaylistUrl(), "--output", "-", "--rate", "8",
          "--json");
    } finally {
      System.setOut(stdout);
    }

    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("", run.out(), "nothing but media on stdout");
    String jsonLine = run.err().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
    JsonArray variants = new JsonObject(jsonLine).getJsonArray("variantPerChunk");
    assertArrayEquals(expectedOutput(variants), media.toByteArray());
  }

  @Test
  void badArguments_exitWith2_andNameTheInput() throws Exception {
    CommandRun noUrl = CommandRun.of("play");
    assertEquals(2, noUrl.exitCode(), noUrl.toString());
    assertTrue(noUrl.err().contains("URL"), noUrl.err());

    CommandRun ftp = CommandRun.of("play", "ftp://example/x.m3u8");
    assertEquals(2, ftp.exitCode());
    assertTrue(ftp.err().contains("URL: ftp://example/x.m3u8 (expected: an absolute http(s) URL)"),
        ftp.err());

    CommandRun duration = CommandRun.of("play", "http://127.0.0.1:1/x.m3u8", "--duration", "-1");
    assertEquals(2, duration.exitCode());
    assertTrue(duration.err().contains("--duration: -1.0"), duration.err());

    CommandRun policy = CommandRun.of("play", "http://127.0.0.1:1/x.m3u8", "--policy", "nope");
    assertEquals(2, policy.exitCode());
    assertTrue(policy.err().contains("--policy: 'nope'"), policy.err());

    CommandRun output = CommandRun.of("play", "http://127.0.0.1:1/x.m3u8", "--output",
        "/nonexistent-dir/out.ts");
    assertEquals(2, output.exitCode());
    assertTrue(output.err().contains("--output: /nonexistent-dir/out.ts"), output.err());
  }

  @Test
  void unreadableUrl_exitsWith2_withTheTypedReason() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().build()));
    CommandRun run = CommandRun.of("play", origin.baseUrl() + "/hls/missing.m3u8", "--json");

    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("", run.out(), "no JSON when nothing played");
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith("play: cannot open ") 
        && lines.get(0).contains("PLAYLIST_UNAVAILABLE"), run.err());
  }

  @Test
  void playbackFailure_exitsWith1_withOneTypedLine() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().audioRenditions(0).build()));
    for (int v = 0; v < 3; v++) {
      origin.faults().add("/hls/v" + v + "/seg3.ts", Fault.Status.of(404));
    }
    CommandRun run = CommandRun.of("play", origin.masterPlaylistUrl(), "--rate", "8", "--json");

    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("", run.out());
    // stderr also carries the status lines (stdout is reserved for the JSON).
    List<String> lines = run.err().lines().filter(l -> l.startsWith("play:")).toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith("play: playback failed: SEGMENT: "), lines.get(0));
    assertFalse(run.err().contains("\tat "), "no stack trace");
  }
}
