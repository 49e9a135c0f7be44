package io.abrfetch.player.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.OriginServer;
import io.abrfetch.origin.ServedRequest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Viewers start on the ramp's schedule; live playlists are reloaded as RFC 8216 6.3.4 says. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadRampAndLiveTest {

  @Test
  void rampUp_viewerIStartsAtITimesRampOverN(Vertx vertx) {
    OriginServer origin = LoadFixture.origin(vertx, LoadFixture.ladder(500).build());
    LoadOptions options = LoadOptions.builder()
        .viewers(20)
        .rampUpMs(2_000)
        .durationMs(2_500)
        .targetBufferUs(1_000_000)
        .eventLoops(2)
        .build();

    LoadRun run = LoadFixture.runToEnd(vertx, origin.masterPlaylistUrl(), options);

    List<ServedRequest> masters = LoadFixture.requests(origin, "master.m3u8");
    assertEquals(20, masters.size(), "master playlist requests");
    long firstNanos = masters.get(0).startNanos();
    int onTime = 0;
    List<Long> offsetsMs = new ArrayList<>();
    for (int i = 0; i < masters.size(); i++) {
      long offsetMs = (masters.get(i).startNanos() - firstNanos) / 1_000_000;
      offsetsMs.add(offsetMs);
      long expectedMs = i * 2_000L / 20;
      // Timers fire late on a busy machine: each start within 250 ms, most within 60 ms.
      assertTrue(Math.abs(offsetMs - expectedMs) <= 250,
          "viewer " + i + " started " + offsetMs + " ms after the first (expected: " + expectedMs
              + " ms): " + offsetsMs);
      if (Math.abs(offsetMs - expectedMs) <= 60) {
        onTime++;
      }
    }
    assertTrue(onTime >= 16, "starts within 60 ms of plan: " + onTime + " of 20: " + offsetsMs);
    // The timeline's active viewers rise with the ramp: about 10 at 1 s, 20 from 2 s on.
    List<LoadSample> timeline = run.timeline();
    assertTrue(timeline.size() >= 2, "samples: " + timeline);
    LoadSample first = timeline.get(0);
    assertTrue(first.activeViewers() >= 8 && first.activeViewers() <= 12,
        "active viewers at " + first.elapsedMs() + " ms: " + first.activeViewers());
    assertEquals(20, run.completion().result().summary().viewers());
  }

  @Test
  void liveReload_waitsATargetDurationAfterAChangeAndHalfAfterNone(Vertx vertx) {
    OriginServer origin = LoadFixture.origin(vertx, LoadFixture.ladder(1_000)
        .bitratesBps(List.of(100_000L))
        .live(true)
        .windowSegments(6)
        .build());
    LoadOptions options = LoadOptions.builder()
        .viewers(1)
        .durationMs(5_500)
        .targetBufferUs(10_000_000)
        .build();

    LoadRun run = LoadFixture.runToEnd(vertx, origin.masterPlaylistUrl(), options);

    List<ServedRequest> reloads = LoadFixture.requests(origin, "/v0/index.m3u8");
    assertTrue(reloads.size() >= 5 && reloads.size() <= 12,
        "playlist loads in 5.5 s with a 1 s target duration: " + reloads.size());
    List<Long> gapsMs = new ArrayList<>();
    for (int i = 1; i < reloads.size(); i++) {
      gapsMs.add((reloads.get(i).startNanos() - reloads.get(i - 1).startNanos()) / 1_000_000);
    }
    for (long gapMs : gapsMs) {
      // 1 s after a load that changed the playlist, 0.5 s after one that did not.
      assertTrue(gapMs >= 480 && gapMs <= 1_150, "reload gaps (ms): " + gapsMs);
    }
    // A live viewer fetches each new segment once, as it appears (one per second), never ahead.
    Map<String, Long> segmentCounts = new TreeMap<>();
    LoadFixture.requests(origin, "/v0/seg").forEach(r -> segmentCounts.merge(r.path(), 1L,
        Long::sum));
    assertTrue(segmentCounts.values().stream().allMatch(c -> c == 1), "repeats: " + segmentCounts);
    assertTrue(segmentCounts.size() >= 6 && segmentCounts.size() <= 11,
        "segments: 3 from the live edge + about one per second: " + segmentCounts.keySet());
    assertEquals(0, run.completion().result().errors(), "errors: "
        + run.completion().result().errorsByKind());
  }

  @Test
  void keysInitAndAudio_areFetchedOncePerUriAndCountedByType(Vertx vertx) {
    OriginServer origin = LoadFixture.origin(vertx, LoadFixture.ladder(500)
        .bitratesBps(List.of(100_000L))
        .initSegments(true)
        .aes128(true)
        .keyRotationSegments(4)
        .audioRenditions(1)
        .audioBitrateBps(32_000)
        .build());
    LoadOptions options = LoadOptions.builder()
        .viewers(1)
        .durationMs(3_000)
        .targetBufferUs(2_000_000)
        .build();

    LoadMetrics metrics = LoadFixture.runToEnd(vertx, origin.masterPlaylistUrl(), options)
        .completion().result();

    assertEquals(0, metrics.errors(), "errors: " + metrics.errorsByKind());
    long videoSegments = metrics.requests(RequestType.SEGMENT);
    long audioSegments = metrics.requests(RequestType.AUDIO);
    assertTrue(videoSegments >= 4 && audioSegments >= 4,
        "video " + videoSegments + ", audio " + audioSegments + "; origin log "
            + origin.stats().log().stream().map(r -> r.path() + " " + r.status()).toList());
    // One init segment per track; one key per 4 segments per track (rotation), fetched once each.
    assertEquals(2, metrics.requests(RequestType.INIT));
    assertEquals(LoadFixture.requests(origin, ".key").size(), metrics.requests(RequestType.KEY));
    long expectedKeys = (videoSegments + 3) / 4 + (audioSegments + 3) / 4;
    assertTrue(Math.abs(metrics.requests(RequestType.KEY) - expectedKeys) <= 2,
        "keys " + metrics.requests(RequestType.KEY) + " for " + videoSegments + " + "
            + audioSegments + " segments");
    // Master + one video and one audio playlist (VOD: loaded once each).
    assertEquals(1, metrics.requests(RequestType.MASTER));
    assertEquals(2, metrics.requests(RequestType.MEDIA_PLAYLIST));
  }
}
