package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server respects a slow client, frees what a request held, and stops cleanly. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BackpressureAndLifecycleTest {

  @Test
  void pausedClient_boundsWhatTheServerWrites(Vertx vertx) throws Exception {
    OriginServer server = OriginServer.start(vertx, OriginOptions.defaults()).await();
    HttpClient client = vertx.createHttpClient();
    long sizeBytes = 96L * 1024 * 1024;
    AtomicLong received = new AtomicLong();
    Promise<HttpClientResponse> paused = Promise.promise();
    client.request(HttpMethod.GET, server.port(), "127.0.0.1", "/bytes/" + sizeBytes + "/slow")
        .compose(request -> request.send().map(response -> {
          response.pause();
          response.handler(chunk -> received.addAndGet(chunk.length()));
          paused.complete(response);
          return response;
        }));
    HttpClientResponse response = paused.future().await();

    Thread.sleep(1000);
    long servedWhilePaused = server.stats().bodyBytesServed();
    // Socket buffers and write queues hold a few MB at most; without backpressure it would be all 96 MB.
    assertTrue(servedWhilePaused < 32L * 1024 * 1024, "served " + servedWhilePaused + " to a paused client");
    Thread.sleep(300);
    assertTrue(server.stats().bodyBytesServed() - servedWhilePaused < 1024 * 1024,
        "kept writing to a paused client");

    Promise<Void> ended = Promise.promise();
    response.endHandler(unused -> ended.complete());
    response.resume();
    ended.future().await();
    assertEquals(sizeBytes, received.get());
    // The server counts a chunk when its write completes, which can come after the client has
    // the last byte: wait for the count to catch up, then check it is exact.
    awaitTrue(() -> server.stats().bodyBytesServed() >= sizeBytes);
    assertEquals(sizeBytes, server.stats().bodyBytesServed());
    client.close().await();
    server.close().await();
  }

  @Test
  void connectionsAndActiveRequestsReturnToZero(Vertx vertx) throws Exception {
    OriginServer server = OriginServer.start(vertx, OriginOptions.defaults()).await();
    HttpClient client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(3));
    server.faults().add("/bytes/", new Fault.ResetAfterBytes(100), 1);
    for (int i = 0; i < 6; i++) {
      HttpProbe.get(client, server.baseUrl() + "/bytes/1000/z" + i).await();
    }
    client.close().await();

    awaitTrue(() -> server.stats().openConnections() == 0);
    assertEquals(0, server.stats().activeRequests());
    awaitTrue(() -> server.stats().log().size() == 6);
    ServedRequest reset = server.stats().log().stream()
        .filter(served -> !served.faults().isEmpty()).findFirst().orElseThrow();
    assertFalse(reset.completed());
    assertEquals(100, reset.bodyBytes());
    assertEquals(5, server.stats().log().stream().filter(ServedRequest::completed).count());
    server.close().await();
  }

  @Test
  void close_duringAStall_endsPromptlyAndBreaksTheResponse(Vertx vertx) {
    OriginServer server = OriginServer.start(vertx, OriginOptions.defaults()).await();
    HttpClient client = vertx.createHttpClient();
    server.faults().add("/bytes/", new Fault.StallAfterBytes(1000, Duration.ofSeconds(60)));
    var result = HttpProbe.get(client, server.baseUrl() + "/bytes/100000/stall");
    awaitTrue(() -> server.stats().bodyBytesServed() == 1000);

    long startNanos = System.nanoTime();
    server.close().await();
    HttpProbe.Result broken = result.await();

    assertTrue(System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(5), "close waited for the stall");
    assertNotNull(broken.errorOrNull());
    assertEquals(1000, broken.body().length);
    client.close().await();
  }

  @Test
  void idleShapedLink_savesNoBurstForTheNextTransfer(Vertx vertx) throws Exception {
    OriginServer server = OriginServer.start(vertx, OriginOptions.builder()
        .shaping(LinkShaping.fixedRate(/* rateBps= */ 8_000_000, LinkShaping.Scope.PER_CONNECTION))
        .build()).await();
    HttpClient client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(1));
    HttpProbe.get(client, server.baseUrl() + "/bytes/200000/first").await();
    Thread.sleep(600);
    String path = "/bytes/200000/second";
    HttpProbe.Result second = HttpProbe.get(client, server.baseUrl() + path).await();

    // 200 kB at 1 MB/s is 0.2 s even after 0.6 s of idle link (burst at most 20 ms).
    assertEquals(Buffer.buffer(SyntheticContent.bytes(path, 0, 200_000)), Buffer.buffer(second.body()));
    double seconds = second.endNanos() / 1e9;
    assertTrue(seconds > 0.17 && seconds < 0.3, "took " + seconds + " s");
    assertEquals(1, server.stats().maxOpenConnections());
    client.close().await();
    server.close().await();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.onSpinWait();
    }
  }
}
