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
    for (int i = 0; i < masters.size(); i++) {
      long offsetMs = (masters.get(i).startNanos() - firstNanos) / 1_000_000;
      long expectedMs = i * 2_000L / 20;
      assertTrue(Math.abs(offsetMs - expectedMs) <= 60,
          "viewer " + i + " started " + offsetMs + " ms after the first (expected: " + expectedMs
              + " ms)");
    }
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
}
