package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.abrfetch.abr.AbrController;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.abrfetch.origin.SyntheticContent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real origin on 127.0.0.1 port 0 per test, and helpers to build downloaders against it with
 * short timeouts, run code on the downloader's event loop, and wait for futures.
 */
@ExtendWith(VertxExtension.class)
abstract class OriginTestBase {

  static final Duration INACTIVITY = Duration.ofMillis(700);

  Vertx vertx;
  OriginServer origin;
  Context loop;
  SimpleMeterRegistry registry;
  AbrController abr;
  EventRecorder events;
  final List<Downloader> downloaders = new ArrayList<>();

  @BeforeEach
  void startOrigin(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.origin = await(OriginServer.start(vertx, originOptions()));
    this.loop = vertx.getOrCreateContext();
    this.registry = new SimpleMeterRegistry();
    this.abr = AbrController.create();
    this.events = new EventRecorder();
    warmUpOnce();
  }

  /** The test origin's options: unshaped by default. */
  OriginOptions originOptions() {
    return OriginOptions.defaults();
  }

  private static boolean warmedUp;

  /**
   * The first HTTP exchange of a JVM loads hundreds of classes on both sides and can take most of
   * a second on a busy machine; tests use sub-second inactivity timeouts, so one untimed fetch
   * (generous default timeouts, separate registry) goes first.
   */
  private void warmUpOnce() throws Exception {
    if (warmedUp) {
      return;
    }
    Downloader warm = Downloader.create(vertx, DownloaderOptions.defaults(), AbrController.create());
    try {
      await(warm.register(Peer.of("warm-up")).fetch(
          FetchRequest.builder(url("/bytes/65536/warm-up")).range(ByteRange.of(10, 1000)).build())
          .result());
    } finally {
      await(warm.close());
    }
    origin.stats().reset();
    warmedUp = true;
  }

  @AfterEach
  void stopAll() throws Exception {
    for (Downloader d : downloaders) {
      await(d.close());
    }
    await(origin.close());
  }

  /** The options of test downloaders: short timeouts and retry delays, watchdog timer off. */
  static DownloaderOptions.Builder testOptions() {
    return DownloaderOptions.builder()
        .inactivityTimeout(INACTIVITY)
        .minSoftTimeout(Duration.ofSeconds(10))
        .watchdogTickInterval(Duration.ZERO)
        .retryPolicy(ExponentialBackoffPolicy.builder().baseDelay(Duration.ofMillis(20))
            .maxDelay(Duration.ofMillis(200)).maxRetryAfter(Duration.ofSeconds(5)).build());
  }

  /** A downloader created on {@link #loop} (so batches submitted there are ranked together). */
  Downloader downloader(Consumer<DownloaderOptions.Builder> tweak) throws Exception {
    DownloaderOptions.Builder b = testOptions();
    tweak.accept(b);
    DownloaderOptions options = b.build();
    Downloader d = onLoop(() -> Downloader.create(vertx, options, abr, registry));
    d.addListener(events);
    downloaders.add(d);
    return d;
  }

  Downloader downloader() throws Exception {
    return downloader(b -> {});
  }

  /** Runs {@code action} on the downloader's event loop and waits for it. */
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

  void onLoop(Runnable action) throws Exception {
    onLoop(() -> {
      action.run();
      return null;
    });
  }

  static <T> T await(Future<T> future) throws Exception {
    return Await.result(future, 20);
  }

  /** Waits for {@code future} to fail and returns its {@link FetchException}. */
  static FetchException awaitFailure(Future<?> future) throws Exception {
    return Await.failure(future, FetchException.class, 20);
  }

  /**
   * What {@code server} served at {@code path}, in arrival order. The origin logs a request when
   * it ends, which can be just after the client gave up on it, so this waits (up to 5 s) until
   * every request that arrived has been logged.
   */
  static List<io.abrfetch.origin.ServedRequest> servedLog(OriginServer server, String path)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (true) {
      List<io.abrfetch.origin.ServedRequest> log = server.stats().log().stream()
          .filter(r -> r.path().equals(path))
          .sorted(java.util.Comparator.comparingLong(io.abrfetch.origin.ServedRequest::startNanos))
          .toList();
      if (log.size() >= server.stats().requests(path) || System.currentTimeMillis() > deadline) {
        return log;
      }
      Thread.sleep(5);
    }
  }

  String url(String path) {
    return origin.baseUrl() + path;
  }

  static void assertBytes(String path, long offset, byte[] actual) {
    byte[] expected = SyntheticContent.bytes(path, offset, actual.length);
    assertArrayEquals(expected, actual, "bytes of " + path + " from " + offset);
  }

  static void assertWholeObject(String path, int sizeBytes, byte[] actual) {
    if (actual.length != sizeBytes) {
      fail("expected " + sizeBytes + " bytes of " + path + ", got " + actual.length);
    }
    assertBytes(path, 0, actual);
  }

  double counter(String name, String... tags) {
    var search = registry.find(FetchMetrics.PREFIX + name);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    var c = search.counter();
    return c == null ? 0 : c.count();
  }
}
