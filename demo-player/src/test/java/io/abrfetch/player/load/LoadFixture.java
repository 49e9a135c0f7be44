package io.abrfetch.player.load;

import io.abrfetch.origin.LadderOptions;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.abrfetch.origin.ServedRequest;
import io.vertx.core.Vertx;
import java.util.List;

/** Shared setup of the load tests: a real origin on 127.0.0.1 port 0 and short runs. */
final class LoadFixture {

  private LoadFixture() {}

  /** Two low variants, {@code segmentMs} segments. */
  static LadderOptions.Builder ladder(long segmentMs) {
    return LadderOptions.builder()
        .bitratesBps(List.of(100_000L, 300_000L))
        .segmentDurationUs(segmentMs * 1000)
        .vodSegmentCount(120)
        .sizeJitter(0);
  }

  static OriginServer origin(Vertx vertx, LadderOptions ladder) {
    return OriginServer.start(vertx, OriginOptions.builder().ladder(ladder).build()).await();
  }

  static OriginServer origin(Vertx vertx, OriginOptions options) {
    return OriginServer.start(vertx, options).await();
  }

  private static volatile boolean warm;

  /**
   * Runs one short viewer once per JVM before the first measured run: the first requests of a
   * cold JVM (class loading of the HTTP client, parsers, policies) take seconds on a busy
   * machine, which would eat a short test's whole duration.
   */
  static void warmUp(Vertx vertx) {
    if (warm) {
      return;
    }
    OriginServer origin = origin(vertx, ladder(500).audioRenditions(1).initSegments(true)
        .aes128(true).build());
    try {
      LoadRun.start(vertx, origin.masterPlaylistUrl(),
          LoadOptions.builder().viewers(2).durationMs(2_000).targetBufferUs(1_000_000).build(),
          0, 2, System.currentTimeMillis()).await().completion().await();
    } finally {
      origin.close().await();
    }
    warm = true;
  }

  /** Runs all viewers of {@code options} in this process, from now, to completion. */
  static LoadRun runToEnd(Vertx vertx, String url, LoadOptions options) {
    warmUp(vertx);
    LoadRun run = LoadRun.start(vertx, url, options, 0, options.viewers(),
        System.currentTimeMillis() + 50).await();
    run.completion().await();
    return run;
  }

  /** The logged requests whose path ends with {@code suffix}, in arrival order. */
  static List<ServedRequest> requests(OriginServer origin, String pathPart) {
    return origin.stats().log().stream()
        .filter(r -> r.path().contains(pathPart))
        .sorted(java.util.Comparator.comparingLong(ServedRequest::startNanos))
        .toList();
  }
}
