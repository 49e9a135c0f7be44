package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.abrfetch.abr.AbrController;
import io.abrfetch.abr.AbrControllerOptions;
import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.fetcher.Await;
import io.abrfetch.fetcher.Downloader;
import io.abrfetch.fetcher.DownloaderOptions;
import io.abrfetch.fetcher.ExponentialBackoffPolicy;
import io.abrfetch.fetcher.FetchEvent;
import io.abrfetch.origin.LadderOptions;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real synthetic-ladder origin on 127.0.0.1 port 0, a downloader and an ABR controller created
 * on one event loop, and helpers to open sessions and read tracks to their end.
 */
@ExtendWith(VertxExtension.class)
abstract class HlsTestBase {

  Vertx vertx;
  Context loop;
  OriginServer origin;
  AbrController abr;
  Downloader downloader;
  final List<FetchEvent> fetchEvents = new CopyOnWriteArrayList<>();
  final List<HlsEvent> hlsEvents = new CopyOnWriteArrayList<>();
  final List<HlsSession> sessions = new ArrayList<>();

  @BeforeEach
  void setUpVertx(Vertx vertx) {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (HlsSession s : sessions) {
      await(s.close());
    }
    if (downloader != null) {
      await(downloader.close());
    }
    if (origin != null) {
      await(origin.close());
    }
  }

  /** A small ladder: 1 s segments, three variants of 150, 400 and 1,000 kbit/s, VOD of 6. */
  static LadderOptions.Builder smallLadder() {
    return LadderOptions.builder()
        .bitratesBps(List.of(150_000L, 400_000L, 1_000_000L))
        .segmentDurationUs(1_000_000)
        .vodSegmentCount(6)
        .sizeJitter(0.1);
  }

  void startOrigin(LadderOptions ladder) throws Exception {
    startOrigin(OriginOptions.builder().ladder(ladder));
  }

  void startOrigin(OriginOptions.Builder options) throws Exception {
    origin = await(OriginServer.start(vertx, options.build()));
  }

  /** Short downloader timeouts and retry delays; the watchdog timer off. */
  void startDownloader(AbrPolicy policy, Consumer<DownloaderOptions.Builder> tweak)
      throws Exception {
    abr = AbrController.create(AbrControllerOptions.builder().policy(policy).build(),
        new SimpleMeterRegistry());
    DownloaderOptions.Builder b = DownloaderOptions.builder()
        .inactivityTimeout(Duration.ofSeconds(3))
        .watchdogTickInterval(Duration.ZERO)
        .retryPolicy(ExponentialBackoffPolicy.builder().baseDelay(Duration.ofMillis(20))
            .maxDelay(Duration.ofMillis(100)).maxRetryAfter(Duration.ofSeconds(2)).build());
    tweak.accept(b);
    DownloaderOptions options = b.build();
    downloader = onLoop(() -> Downloader.create(vertx, options, abr, new SimpleMeterRegistry()));
    downloader.addListener(fetchEvents::add);
  }

  void startDownloader() throws Exception {
    startDownloader(AbrPolicy.named("throughput"), b -> {});
  }

  static HlsSessionOptions.Builder fastOptions() {
    return HlsSessionOptions.builder().segmentRetryDelay(Duration.ofMillis(50));
  }

  HlsSession open(String url, HlsSessionOptions options) throws Exception {
    HlsSession session = await(openFuture(url, options));
    sessions.add(session);
    return session;
  }

  Future<HlsSession> openFuture(String url, HlsSessionOptions options) throws Exception {
    return onLoop(() -> {
      return HlsSession.open(vertx, downloader, abr, url, options, hlsEvents::add);
    });
  }

  /** Everything a reader saw on one track. */
  static final class Reading {
    final ConcurrentLinkedQueue<MediaSegment> segments = new ConcurrentLinkedQueue<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    final CompletableFuture<Throwable> failed = new CompletableFuture<>();

    List<MediaSegment> list() {
      return new ArrayList<>(segments);
    }
  }

  /** Reads {@code track} as fast as it can (flowing mode). */
  static Reading read(Track track) {
    Reading reading = new Reading();
    track.exceptionHandler(reading.failed::complete);
    track.endHandler(v -> reading.ended.complete(null));
    track.handler(reading.segments::add);
    return reading;
  }

  /** Every segment's bytes equal the origin's plaintext of that variant and sequence. */
  void assertVideoPlaintext(List<MediaSegment> segments) {
    for (MediaSegment s : segments) {
      assertArrayEquals(origin.ladder().segmentPlaintext(s.variantIndex(), s.mediaSequence()),
          s.data().getBytes(), "video segment " + s.mediaSequence() + " of variant "
              + s.variantIndex());
    }
  }

  /** Sequences ascend by one, and each segment starts where the one before ended. */
  static void assertContiguous(List<MediaSegment> segments) {
    for (int i = 1; i < segments.size(); i++) {
      MediaSegment before = segments.get(i - 1);
      MediaSegment s = segments.get(i);
      assertEquals(before.mediaSequence() + 1, s.mediaSequence(), "sequence after "
          + before.mediaSequence());
      assertEquals(before.endUs(), s.startUs(), "start of " + s.mediaSequence());
    }
  }

  <T> T onLoop(Supplier<T> action) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        done.complete(action.get());
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> future) throws Exception {
    return Await.result(future, 30);
  }

  static <T> T await(CompletableFuture<T> future, int seconds) throws Exception {
    return Await.result(future, seconds);
  }

  /** Waits for {@code future} to fail and returns its {@link HlsException}. */
  static HlsException awaitHlsFailure(Future<?> future) throws Exception {
    return Await.failure(future, HlsException.class, 30);
  }

  /** Polls {@code condition}; on timeout fails with the session events seen so far. */
  void waitFor(java.util.function.BooleanSupplier condition, long timeoutMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in " + timeoutMs + " ms; events: "
            + hlsEvents);
      }
      Thread.sleep(10);
    }
  }

  <E extends HlsEvent> List<E> events(Class<E> type) {
    List<E> out = new ArrayList<>();
    for (HlsEvent e : hlsEvents) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }
}
