package io.abrfetch.player.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.OriginServer;
import io.abrfetch.origin.ServedRequest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Viewers adapt: they switch up on a fast link, abandon and switch down when it drops. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadAdaptationTest {

  @Test
  void shapedDrop_switchesUpThenAbandonsAndSwitchesDown(Vertx vertx, @TempDir Path dir)
      throws Exception {
    // The viewer's link (its profile, replayed from its own start): 50 Mbit/s for 4 s, then
    // 0.1 Mbit/s. Client-side, so the drop comes at the same point of the viewer's life however
    // slowly the machine starts the run.
    Path trace = dir.resolve("drop.log");
    Files.writeString(trace, "0 0\n4 50\n60 0.1\n");
    OriginServer origin = LoadFixture.origin(vertx, LoadFixture.ladder(1_000)
        .bitratesBps(List.of(150_000L, 800_000L, 3_000_000L)).build());
    // Warm the JVM up (class loading of the client and parsers takes seconds on a busy machine),
    // then measure a fresh viewer.
    LoadFixture.runToEnd(vertx, origin.masterPlaylistUrl(),
        LoadOptions.builder().viewers(1).durationMs(1_000).build());
    origin.stats().reset();
    LoadOptions options = LoadOptions.builder()
        .viewers(1)
        .durationMs(8_000)
        .targetBufferUs(3_000_000)
        .profiles(List.of(BandwidthProfile.trace("drop", trace.toString(), 1)))
        .build();

    LoadRun run = LoadFixture.runToEnd(vertx, origin.masterPlaylistUrl(), options);

    LoadMetrics metrics = run.completion().result();
    List<ServedRequest> segments = LoadFixture.requests(origin, "/seg");
    long t0 = origin.stats().log().stream().mapToLong(ServedRequest::startNanos).min().orElse(0);
    String paths = origin.stats().log().stream().map(r -> r.path() + (r.completed() ? "" : "(cut)")
        + "@" + (r.startNanos() - t0) / 1_000_000 + "-" + (r.endNanos() - t0) / 1_000_000)
        .toList() + " errors " + metrics.errorsByKind();
    assertTrue(metrics.upSwitches() >= 1, "up-switches: " + metrics.upSwitches() + " " + paths);
    assertTrue(metrics.abandonments() >= 1, "abandonments: " + metrics.abandonments() + " "
        + paths);
    assertTrue(metrics.downSwitches() >= 1, "down-switches " + paths);
    int lastHigh = -1;
    for (int i = 0; i < segments.size(); i++) {
      if (segments.get(i).path().startsWith("/hls/v2/")) {
        lastHigh = i;
      }
    }
    assertTrue(lastHigh >= 0, "fetched from the top variant on the fast link: " + paths);
    assertTrue(segments.subList(lastHigh + 1, segments.size()).stream()
        .anyMatch(r -> r.path().startsWith("/hls/v0/")), "then the lowest variant: " + paths);
  }

  @Test
  void profileCap_pacesReadsToTheViewersLink(Vertx vertx) {
    OriginServer origin = LoadFixture.origin(vertx, LoadFixture.ladder(1_000)
        .bitratesBps(List.of(200_000L)).build());
    LoadOptions options = LoadOptions.builder()
        .viewers(1)
        .durationMs(3_000)
        .targetBufferUs(10_000_000)
        .profiles(List.of(BandwidthProfile.fixed("slow", 800_000, 1)))
        .build();

    LoadRun run = LoadFixture.runToEnd(vertx, origin.masterPlaylistUrl(), options);

    // A 25 kB segment over an 800 kbit/s link takes about 250 ms (unshaped loopback: ~1 ms).
    LoadMetrics metrics = run.completion().result();
    LoadSummary summary = metrics.summary();
    assertTrue(summary.segmentMsP50() >= 200 && summary.segmentMsP50() <= 400,
        "segment p50 " + summary.segmentMsP50() + " ms");
    // Over 3 s, an 800 kbit/s link carries about 300 kB at most.
    assertTrue(metrics.bytes() <= 330_000, "bytes " + metrics.bytes());
    assertEquals(0, metrics.errors());
  }
}
