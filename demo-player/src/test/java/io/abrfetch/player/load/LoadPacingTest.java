package io.abrfetch.player.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.OriginServer;
import io.abrfetch.origin.ServedRequest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A viewer with a full buffer requests segments at the segment rate, as the origin logs them. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadPacingTest {

  @Test
  void fullBuffer_requestsAtSegmentRate(Vertx vertx) {
    OriginServer origin = LoadFixture.origin(vertx, LoadFixture.ladder(/* segmentMs= */ 500)
        .build());
    LoadOptions options = LoadOptions.builder()
        .viewers(1)
        .durationMs(5_000)
        .targetBufferUs(2_000_000)
        .build();

    LoadRun run = LoadFixture.runToEnd(vertx, origin.masterPlaylistUrl(), options);

    List<ServedRequest> segments = LoadFixture.requests(origin, "/seg");
    // Startup fills 2 s (4 segments) at once; then one segment per 0.5 s for the rest of ~5 s.
    assertTrue(segments.size() >= 10 && segments.size() <= 16,
        "segment requests: " + segments.size() + " (expected: about 4 + 5 s / 0.5 s)");
    List<Long> gapsMs = new ArrayList<>();
    for (int i = 6; i < segments.size(); i++) {
      gapsMs.add((segments.get(i).startNanos() - segments.get(i - 1).startNanos()) / 1_000_000);
    }
    Collections.sort(gapsMs);
    long medianGapMs = gapsMs.get(gapsMs.size() / 2);
    assertTrue(medianGapMs >= 450 && medianGapMs <= 550,
        "median gap between paced segment requests: " + medianGapMs + " ms (expected: 500 ms)"
            + " gaps " + gapsMs);
    LoadMetrics metrics = run.completion().result();
    assertEquals(segments.size(), metrics.requests(RequestType.SEGMENT));
    assertEquals(0, metrics.errors());
    assertEquals(1, metrics.summary().viewers());
    assertTrue(metrics.summary().stallRatio() == 0, "stall ratio " + metrics.summary());
    assertEquals(1, metrics.requests(RequestType.MASTER));
  }
}
