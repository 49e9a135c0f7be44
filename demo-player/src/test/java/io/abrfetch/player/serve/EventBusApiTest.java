package io.abrfetch.player.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.abr.EwmaBandwidthEstimator;
import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The event-bus API: open, list, status, manual variant, cap, auto, close, events, failures. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventBusApiTest extends ServeTestBase {

  @Test
  void session_opensListsSteersAndCloses() throws Exception {
    startOrigin();
    deploy(fastConfig());

    JsonObject opened = openMaster();
    String id = opened.getString("id");
    assertNotNull(id);
    assertEquals(id, opened.getString("sessionId"));
    assertEquals("default", opened.getString("policy"));
    assertEquals("abrfetch.session." + id + ".events", opened.getString("eventsAddress"));
    assertEquals(origin.masterPlaylistUrl(), opened.getString("url"));

    List<JsonObject> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(
        opened.getString("eventsAddress"), message -> events.add(message.body()));
    await(consumer.completion());

    JsonArray listed = request("list", new JsonObject()).getJsonArray("sessions");
    assertEquals(1, listed.size());
    assertEquals(id, listed.getJsonObject(0).getString("id"));

    JsonObject playing = waitForStatus(id, s -> s.getString("state").equals("playing")
        && s.getLong("segments") >= 2, 10_000);
    assertEquals(List.of(200_000L, 500_000L, 1_200_000L).size(),
        playing.getJsonObject("abr").getJsonArray("ladderBps").size());
    assertEquals("auto", playing.getJsonObject("abr").getString("mode"));
    assertTrue(playing.getLong("bytes") > 0, playing.encode());
    assertTrue(playing.getLong("estimateBps") > 0, playing.encode());

    // Manual: the next segments come from variant 0.
    JsonObject manual = request("variant", new JsonObject().put("id", id).put("mode", "manual")
        .put("index", 0));
    assertEquals("manual", manual.getJsonObject("abr").getString("mode"));
    assertEquals(0, manual.getJsonObject("abr").getInteger("manualIndex"));
    waitForStatus(id, s -> s.getInteger("variantIndex") == 0, 10_000);

    // Back to auto under a cap at the middle rung's bitrate: variant 1 at most, and ABR on a
    // fast loopback link climbs to it.
    request("variant", new JsonObject().put("id", id).put("mode", "auto"));
    long middleBps = playing.getJsonObject("abr").getJsonArray("ladderBps").getLong(1);
    JsonObject capped = request("cap", new JsonObject().put("id", id).put("capBps", middleBps));
    assertEquals(middleBps, capped.getJsonObject("abr").getLong("capBps"));
    assertEquals("auto", capped.getJsonObject("abr").getString("mode"));
    waitForStatus(id, s -> s.getInteger("variantIndex") == 1, 10_000);

    JsonObject uncapped = request("cap", new JsonObject().put("id", id).putNull("capBps"));
    assertTrue(uncapped.getJsonObject("abr").containsKey("capBps"));
    assertEquals(null, uncapped.getJsonObject("abr").getValue("capBps"));

    JsonObject closed = request("close", new JsonObject().put("id", id));
    assertEquals("closed", closed.getJsonObject("result").getString("endReason"));
    assertTrue(closed.getJsonObject("result").getLong("segments") >= 2, closed.encode());
    assertEquals(0, request("list", new JsonObject()).getJsonArray("sessions").size());
    assertEquals(404, requestFailure("status", new JsonObject().put("id", id)).failureCode());

    // Events: progress while playing, the manual switch down to 0, the end.
    waitFor(() -> events.stream().anyMatch(e -> e.getString("type").equals("ended")), 5_000,
        "an ended event");
    assertTrue(events.stream().anyMatch(e -> e.getString("type").equals("progress")
        && e.getString("sessionId").equals(id)), "progress events: " + events.size());
    assertTrue(events.stream().anyMatch(e -> e.getString("type").equals("switched")
        && e.getInteger("toIndex") == 0), "a switch to variant 0");
    await(consumer.unregister());
  }

  @Test
  void progressEvents_areThrottled() throws Exception {
    startOrigin();
    deploy(fastConfig().put("eventBus", new JsonObject().put("progressIntervalMs", 500)));
    String id = openMaster().getString("id");
    List<Long> progressNanos = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(
        verticle.serveConfig().eventBus().eventsAddress(id), message -> {
          if (message.body().getString("type").equals("progress")) {
            progressNanos.add(System.nanoTime());
          }
        });
    await(consumer.completion());
    Thread.sleep(2_100);
    await(consumer.unregister());
    // The player reports every 100 ms (about 21 in 2.1 s); one per 500 ms gets through.
    assertTrue(progressNanos.size() >= 3 && progressNanos.size() <= 6,
        "progress events in 2.1 s: " + progressNanos.size());
    for (int i = 1; i < progressNanos.size(); i++) {
      long gapMs = (progressNanos.get(i) - progressNanos.get(i - 1)) / 1_000_000;
      // 500 ms apart when published; delivery jitter on a loaded machine eats into it.
      assertTrue(gapMs >= 300, "gap " + gapMs + " ms between progress events");
    }
    request("close", new JsonObject().put("id", id));
  }

  @Test
  void badRequests_failWithTypedCodes() throws Exception {
    startOrigin();
    deploy(fastConfig().put("sessions", new JsonObject().put("max", 1)));

    ReplyException noUrl = requestFailure("open", new JsonObject());
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, noUrl.failureType());
    assertEquals(400, noUrl.failureCode());
    assertEquals("url: required", noUrl.getMessage());

    ReplyException badBuffer = requestFailure("open", new JsonObject()
        .put("url", origin.masterPlaylistUrl()).put("targetBufferMs", -3));
    assertEquals(400, badBuffer.failureCode());
    assertEquals("targetBufferMs: expected a positive integer, got -3", badBuffer.getMessage());

    ReplyException unknownKey = requestFailure("open", new JsonObject()
        .put("url", origin.masterPlaylistUrl()).put("bufer", 3));
    assertEquals(400, unknownKey.failureCode());
    assertTrue(unknownKey.getMessage().startsWith("bufer: unknown key"), unknownKey.getMessage());

    ReplyException badPolicy = requestFailure("open", new JsonObject()
        .put("url", origin.masterPlaylistUrl()).put("policy", "fastest"));
    assertEquals(400, badPolicy.failureCode());
    assertTrue(badPolicy.getMessage().startsWith("policy: expected one of"));

    ReplyException output = requestFailure("open", new JsonObject()
        .put("url", origin.masterPlaylistUrl()).put("output", "x.ts"));
    assertEquals(400, output.failureCode());
    assertTrue(output.getMessage().startsWith("output: not allowed"), output.getMessage());

    ReplyException ftp = requestFailure("open", new JsonObject().put("url", "ftp://x/y.m3u8"));
    assertEquals(400, ftp.failureCode());
    assertTrue(ftp.getMessage().startsWith("url: ftp://x/y.m3u8"), ftp.getMessage());

    ReplyException missing = requestFailure("open", new JsonObject()
        .put("url", origin.baseUrl() + "/hls/nothing.m3u8"));
    assertEquals(502, missing.failureCode());
    assertTrue(missing.getMessage().contains("PLAYLIST_UNAVAILABLE"), missing.getMessage());

    assertEquals(400, requestFailure("open", "not json").failureCode());
    assertEquals(400, requestFailure("status", new JsonObject()).failureCode());
    assertEquals(404, requestFailure("status", new JsonObject().put("id", "s999"))
        .failureCode());
    assertEquals(404, requestFailure("close", new JsonObject().put("id", "s999"))
        .failureCode());
    assertEquals(404, requestFailure("cap", new JsonObject().put("id", "s999")
        .put("capBps", 1)).failureCode());

    String id = openMaster().getString("id");
    ReplyException tooMany = requestFailure("open", new JsonObject()
        .put("url", origin.masterPlaylistUrl()));
    assertEquals(429, tooMany.failureCode());
    waitForStatus(id, s -> s.getString("state").equals("playing"), 10_000);

    ReplyException badIndex = requestFailure("variant", new JsonObject().put("id", id)
        .put("mode", "manual").put("index", 7));
    assertEquals(400, badIndex.failureCode());
    assertEquals("index: 7 (expected: 0..2)", badIndex.getMessage());
    assertEquals(400, requestFailure("variant", new JsonObject().put("id", id)
        .put("mode", "manual")).failureCode());
    assertEquals(400, requestFailure("variant", new JsonObject().put("id", id)
        .put("mode", "auto").put("index", 1)).failureCode());
    assertEquals(400, requestFailure("variant", new JsonObject().put("id", id)
        .put("mode", "fast")).failureCode());
    ReplyException noCap = requestFailure("cap", new JsonObject().put("id", id));
    assertEquals(400, noCap.failureCode());
    assertTrue(noCap.getMessage().startsWith("capBps: required"), noCap.getMessage());
    ReplyException zeroCap = requestFailure("cap", new JsonObject().put("id", id)
        .put("capBps", 0));
    assertEquals("capBps: expected a positive integer, got 0", zeroCap.getMessage());
    request("close", new JsonObject().put("id", id));
  }

  @Test
  void sessionEndingByItself_keepsItsResultReadable() throws Exception {
    startOrigin(OriginOptions.builder().ladder(ladder().vodSegmentCount(3).build()));
    deploy(fastConfig().put("player", new JsonObject().put("playbackRate", 8)
        .put("statusIntervalMs", 100)));
    String id = openMaster().getString("id");
    JsonObject ended = waitForStatus(id, s -> s.containsKey("result"), 15_000);
    assertEquals("end-of-stream", ended.getJsonObject("result").getString("endReason"));
    assertEquals(0, request("list", new JsonObject()).getJsonArray("sessions").size());
    assertEquals(409, requestFailure("cap", new JsonObject().put("id", id).put("capBps", 1))
        .failureCode());
    // Closing a finished session hands its result over once, then forgets it.
    assertEquals("end-of-stream", request("close", new JsonObject().put("id", id))
        .getJsonObject("result").getString("endReason"));
    assertEquals(404, requestFailure("status", new JsonObject().put("id", id)).failureCode());
  }

  @Test
  void perOpenPolicy_andOptions_areApplied() throws Exception {
    startOrigin();
    deploy(fastConfig().put("abr", new JsonObject().put("policy", "throughput")));
    JsonObject defaults = openMaster();
    assertEquals("throughput", defaults.getString("policy"));
    JsonObject bola = open(new JsonObject().put("url", origin.masterPlaylistUrl())
        .put("policy", "bola").put("initialVariantIndex", 0).put("audio", false)
        .put("maxPlayDurationMs", 1000));
    assertEquals("bola", bola.getString("policy"));
    JsonObject bolaEnded = waitForStatus(bola.getString("id"), s -> s.containsKey("result"),
        10_000);
    assertEquals("max-duration", bolaEnded.getJsonObject("result").getString("endReason"));
    request("close", new JsonObject().put("id", defaults.getString("id")));
  }

  @Test
  void output_writesThePlayedMediaIntoTheOutputDirectoryOnly(@TempDir Path dir)
      throws Exception {
    startOrigin();
    deploy(fastConfig().put("sessions", new JsonObject().put("outputDirectory", dir.toString()))
        .put("player", new JsonObject().put("playbackRate", 8).put("statusIntervalMs", 100)));

    for (String bad : new String[] {"../x.ts", "a/b.ts", ".hidden", ""}) {
      ReplyException e = requestFailure("open", new JsonObject()
          .put("url", origin.masterPlaylistUrl()).put("output", bad));
      assertEquals(400, e.failureCode(), bad);
      assertTrue(e.getMessage().startsWith("output: expected"), e.getMessage());
    }

    JsonObject opened = open(new JsonObject().put("url", origin.masterPlaylistUrl())
        .put("output", "match.ts").put("maxPlayDurationMs", 3000));
    assertEquals("match.ts", opened.getString("output"));
    ReplyException twice = requestFailure("open", new JsonObject()
        .put("url", origin.masterPlaylistUrl()).put("output", "match.ts"));
    assertEquals(409, twice.failureCode());

    JsonObject ended = waitForStatus(opened.getString("id"), s -> s.containsKey("result"),
        15_000);
    assertEquals("max-duration", ended.getJsonObject("result").getString("endReason"));
    byte[] written = Files.readAllBytes(dir.resolve("match.ts"));
    assertTrue(written.length > 0 && written.length <= ended.getJsonObject("result")
        .getLong("bytes"), written.length + " bytes written");
    assertEquals(0x47, written[0] & 0xff, "a TS sync byte first");
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the one output file");
    }
  }

  @Test
  void sessionEstimate_comesFromItsOwnTransfers() throws Exception {
    // 3 Mbit/s per connection: the session's controller must measure about that, not keep its
    // 1 Mbit/s default (the downloader feeds only its own controller; the verticle routes).
    startOrigin(OriginOptions.builder().ladder(ladder().build())
        .shaping(LinkShaping.fixedRate(3_000_000, LinkShaping.Scope.PER_CONNECTION)));
    deploy(fastConfig());
    String id = open(new JsonObject().put("url", origin.masterPlaylistUrl())
        .put("initialVariantIndex", 2)).getString("id");
    JsonObject status = waitForStatus(id, s -> s.getLong("segments") >= 4, 15_000);
    long estimateBps = status.getLong("estimateBps");
    assertTrue(estimateBps != EwmaBandwidthEstimator.Options.DEFAULT_ESTIMATE_BPS
        && estimateBps > 1_500_000 && estimateBps < 6_000_000, "estimate " + estimateBps);
    request("close", new JsonObject().put("id", id));
  }
}
