package io.abrfetch.player;

import io.abrfetch.abr.AbrController;
import io.abrfetch.abr.AbrControllerOptions;
import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.fetcher.Downloader;
import io.abrfetch.fetcher.DownloaderOptions;
import io.abrfetch.fetcher.ExponentialBackoffPolicy;
import io.abrfetch.fetcher.hls.HlsSessionOptions;
import io.abrfetch.origin.LadderOptions;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real synthetic-ladder origin on 127.0.0.1 port 0, an ABR controller and a downloader, and
 * helpers to start players on them and wait for their results.
 */
@ExtendWith(VertxExtension.class)
abstract class PlayerTestBase {
  Vertx vertx;
  OriginServer origin;
  AbrController abr;
  Downloader downloader;
  final List<HeadlessPlayer> players = new ArrayList<>();
  final List<PlayerEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUpVertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (HeadlessPlayer player : players) {
      await(player.close());
    }
    if (downloader != null) {
      await(downloader.close());
    }
    if (origin != null) {
      await(origin.close());
    }
  }

  /** 1 s segments, three variants of 200, 800 and 2,400 kbit/s, VOD of 8, one audio rendition. */
  static LadderOptions.Builder smallLadder() {
    return LadderOptions.builder()
        .bitratesBps(List.of(200_000L, 800_000L, 2_400_000L))
        .segmentDurationUs(1_000_000)
        .vodSegmentCount(8)
        .audioRenditions(1)
        .audioBitrateBps(64_000);
  }

  void startOrigin(OriginOptions.Builder options) throws Exception {
    origin = await(OriginServer.start(vertx, options.build()));
  }

  void startDownloader(String policy, Consumer<DownloaderOptions.Builder> tweak) {
    abr = AbrController.create(AbrControllerOptions.builder().policy(AbrPolicy.named(policy))
        .build(), new SimpleMeterRegistry());
    DownloaderOptions.Builder b = DownloaderOptions.builder()
        .inactivityTimeout(Duration.ofSeconds(3))
        .watchdogTickInterval(Duration.ZERO)
        .retryPolicy(ExponentialBackoffPolicy.builder().baseDelay(Duration.ofMillis(20))
            .maxDelay(Duration.ofMillis(100)).maxRetryAfter(Duration.ofSeconds(2)).build());
    tweak.accept(b);
    downloader = Downloader.create(vertx, b.build(), abr, new SimpleMeterRegistry());
  }

  void startDownloader() {
    startDownloader("throughput", b -> {});
  }

  /** Plays {@code rate} times faster than real time, starting and resuming at 1 s buffered. */
  static HeadlessPlayerOptions.Builder fastOptions(double rate) {
    return HeadlessPlayerOptions.builder()
        .session(HlsSessionOptions.builder().segmentRetryDelay(Duration.ofMillis(50))
            .audioBitrateBps(64_000).build())
        .clock(PlaybackClockOptions.builder().playbackRate(rate).startupThresholdUs(1_000_000)
            .rebufferThresholdUs(1_000_000).build())
        .statusIntervalMs(200);
  }

  HeadlessPlayer play(String url, HeadlessPlayerOptions options, MediaSink sink)
      throws Exception {
    HeadlessPlayer player = await(HeadlessPlayer.start(vertx, downloader, abr, url, options,
        sink));
    player.addListener(events::add);
    players.add(player);
    return player;
  }

  <T extends PlayerEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T> T await(Future<T> future) throws Exception {
    return await(future, 30);
  }

  static <T> T await(Future<T> future, int seconds) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Waits for {@code future} to fail and returns the cause. */
  static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
