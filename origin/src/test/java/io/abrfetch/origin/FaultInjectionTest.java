package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every {@link Fault}, observed from the client side, plus the plan's rules and schedule. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultInjectionTest {

  private static final int SIZE = 200_000;
  private static final String PATH = "/bytes/200000/f.bin";

  private OriginServer server;
  private HttpClient client;

  @BeforeEach
  void start(Vertx vertx) {
    server = OriginServer.start(vertx, OriginOptions.defaults()).await();
    client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(4));
  }

  @AfterEach
  void stop() {
    client.close().await();
    server.close().await();
  }

  @Test
  void delayFirstByte_holdsTheHeadForTheDelay() {
    server.faults().add(PATH, new Fault.DelayFirstByte(Duration.ofMillis(400)));
    HttpProbe.Result result = get(Map.of());

    assertTrue(result.headNanos() >= TimeUnit.MILLISECONDS.toNanos(390), "head after " + result.headNanos());
    assertEquals(200, result.status());
    assertArrayEquals(SyntheticContent.bytes(PATH, 0, SIZE), result.body());
  }

  @Test
  void stallAfterBytes_pausesMidBodyThenCompletes(Vertx vertx) {
    server.faults().add(PATH, new Fault.StallAfterBytes(50_000, Duration.ofMillis(500)));
    List<long[]> arrivals = new ArrayList<>();
    long start = System.nanoTime();
    HttpProbe.Result result = client.request(io.vertx.core.http.HttpMethod.GET, server.port(),
            "127.0.0.1", PATH)
        .compose(request -> request.send())
        .compose(response -> {
          io.vertx.core.Promise<HttpProbe.Result> done = io.vertx.core.Promise.promise();
          io.vertx.core.buffer.Buffer body = io.vertx.core.buffer.Buffer.buffer();
          response.handler(chunk -> {
            arrivals.add(new long[] {body.length(), System.nanoTime() - start});
            body.appendBuffer(chunk);
          });
          response.endHandler(unused -> done.complete(new HttpProbe.Result(response.statusCode(),
              response.headers(), body.getBytes(), null, 0, System.nanoTime() - start)));
          return done.future();
        }).await();

    assertArrayEquals(SyntheticContent.bytes(PATH, 0, SIZE), result.body());
    long gapNanos = 0;
    for (int i = 1; i < arrivals.size(); i++) {
      if (arrivals.get(i)[0] >= 50_000 && arrivals.get(i - 1)[0] < 50_000) {
        gapNanos = arrivals.get(i)[1] - arrivals.get(i - 1)[1];
      }
    }
    assertTrue(gapNanos >= TimeUnit.MILLISECONDS.toNanos(450), "gap at 50000 bytes: " + gapNanos);
  }

  @Test
  void resetAfterBytes_breaksTheBodyAfterExactlyThoseBytes() {
    server.faults().add(PATH, new Fault.ResetAfterBytes(70_000));
    HttpProbe.Result result = get(Map.of());

    assertEquals(200, result.status());
    assertNotNull(result.errorOrNull());
    assertArrayEquals(SyntheticContent.bytes(PATH, 0, 70_000), result.body());
  }

  @Test
  void stallAfterZeroBytes_sendsTheHeadThenWaits() {
    server.faults().add(PATH, new Fault.StallAfterBytes(0, Duration.ofMillis(500)));
    HttpProbe.Result result = get(Map.of());

    assertTrue(result.headNanos() < TimeUnit.MILLISECONDS.toNanos(400), "head after " + result.headNanos());
    assertTrue(result.endNanos() >= TimeUnit.MILLISECONDS.toNanos(490), "end after " + result.endNanos());
    assertArrayEquals(SyntheticContent.bytes(PATH, 0, SIZE), result.body());
  }

  @Test
  void resetAfterZeroBytes_sendsTheHeadThenResets() {
    server.faults().add(PATH, new Fault.ResetAfterBytes(0));
    HttpProbe.Result result = get(Map.of());

    assertEquals(200, result.status());
    assertNotNull(result.errorOrNull());
    assertEquals(0, result.body().length);
  }

  @Test
  void faults_combine_delayThenStallThenShortBody() {
    server.faults().add(PATH, new Fault.DelayFirstByte(Duration.ofMillis(200)), 1);
    server.faults().add(PATH, new Fault.StallAfterBytes(10_000, Duration.ofMillis(200)), 1);
    server.faults().add(PATH, new Fault.ShortBody(1), 1);
    HttpProbe.Result result = get(Map.of());

    assertTrue(result.headNanos() >= TimeUnit.MILLISECONDS.toNanos(190));
    assertTrue(result.endNanos() >= TimeUnit.MILLISECONDS.toNanos(390));
    assertNotNull(result.errorOrNull());
    assertArrayEquals(SyntheticContent.bytes(PATH, 0, SIZE - 1), result.body());
    assertArrayEquals(SyntheticContent.bytes(PATH, 0, SIZE), get(Map.of()).body());
  }

  @Test
  void resetAfterBytes_isATcpResetOnTheWire() throws IOException {
    server.faults().add(PATH, new Fault.ResetAfterBytes(1000));
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(("GET " + PATH + " HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      // A reset surfaces as "Connection reset"; a FIN would be a clean end of stream (-1).
      assertThrows(SocketException.class, () -> {
        while (in.read(buffer) >= 0) {
          // drain until the reset arrives
        }
      });
    }
  }

  @Test
  void status_withAndWithoutRetryAfter() {
    server.faults().add(PATH, new Fault.Status(503, Duration.ofMillis(1500)), 1);
    server.faults().add(PATH, Fault.Status.of(500), 1);
    HttpProbe.Result withRetry = get(Map.of());
    HttpProbe.Result without = get(Map.of());
    HttpProbe.Result recovered = get(Map.of());

    assertEquals(503, withRetry.status());
    assertEquals("2", withRetry.header("Retry-After"));
    assertEquals(500, without.status());
    assertNull(without.header("Retry-After"));
    assertEquals(200, recovered.status());
  }

  @Test
  void status_4xxCodes() {
    for (int code : new int[] {404, 410, 429}) {
      server.faults().add(PATH, Fault.Status.of(code), 1);
      assertEquals(code, get(Map.of()).status());
    }
    assertThrows(IllegalArgumentException.class, () -> Fault.Status.of(302));
  }

  @Test
  void htmlPage200_servesAnHtmlErrorPageWithStatus200() {
    server.faults().add(PATH, new Fault.HtmlPage200());
    HttpProbe.Result result = get(Map.of());

    assertEquals(200, result.status());
    assertTrue(result.header("Content-Type").startsWith("text/html"));
    assertTrue(new String(result.body(), StandardCharsets.UTF_8).contains("<html>"));
  }

  @Test
  void ignoreRange_sendsTheWholeBodyWith200() {
    server.faults().add(PATH, new Fault.IgnoreRange());
    HttpProbe.Result result = get(Map.of("Range", "bytes=1000-1999"));

    assertEquals(200, result.status());
    assertNull(result.header("Content-Range"));
    assertArrayEquals(SyntheticContent.bytes(PATH, 0, SIZE), result.body());
  }

  @Test
  void wrongContentRange_shiftsTheHeaderByOneChunkButSendsTheAskedBytes() {
    server.faults().add(PATH, new Fault.WrongContentRange());
    HttpProbe.Result ranged = get(Map.of("Range", "bytes=1000-1999"));
    HttpProbe.Result whole = get(Map.of());

    int chunk = OriginOptions.DEFAULT_CHUNK_SIZE_BYTES;
    assertEquals(206, ranged.status());
    assertEquals("bytes " + (1000 + chunk) + "-" + (1999 + chunk) + "/" + SIZE,
        ranged.header("Content-Range"));
    assertArrayEquals(SyntheticContent.bytes(PATH, 1000, 1000), ranged.body());
    assertEquals(206, whole.status());
    assertEquals("bytes " + chunk + "-" + (SIZE - 1 + chunk) + "/" + SIZE,
        whole.header("Content-Range"));
  }

  @Test
  void etagChange_newEtagFromThatRequestOn_oldIfMatchGets412() {
    String oldEtag = SyntheticContent.etag(PATH);
    server.faults().add(PATH, new Fault.EtagChange(), 1);
    HttpProbe.Result changed = get(Map.of("Range", "bytes=0-99"));
    HttpProbe.Result resumeWithOld = get(Map.of("Range", "bytes=100-", "If-Match", oldEtag));
    HttpProbe.Result ifRangeWithOld = get(Map.of("Range", "bytes=100-", "If-Range", oldEtag));

    assertEquals(SyntheticContent.etag(PATH, 1), changed.header("ETag"));
    assertEquals(1, server.faults().generation(PATH));
    assertEquals(412, resumeWithOld.status());
    assertEquals(200, ifRangeWithOld.status());
    assertEquals(SIZE, ifRangeWithOld.body().length);
  }

  @Test
  void shortBody_promisesMoreThanItSendsThenCloses() {
    server.faults().add(PATH, new Fault.ShortBody(5000));
    HttpProbe.Result result = get(Map.of());

    assertEquals(Integer.toString(SIZE), result.header("Content-Length"));
    assertNotNull(result.errorOrNull());
    assertArrayEquals(SyntheticContent.bytes(PATH, 0, SIZE - 5000), result.body());
  }

  @Test
  void overlongBody_sendsExtraBytesWithoutContentLength() {
    server.faults().add(PATH, new Fault.OverlongBody(3000));
    HttpProbe.Result result = get(Map.of());

    assertNull(result.header("Content-Length"));
    assertEquals(SIZE + 3000, result.body().length);
    byte[] prefix = java.util.Arrays.copyOf(result.body(), SIZE);
    assertArrayEquals(SyntheticContent.bytes(PATH, 0, SIZE), prefix);
  }

  @Test
  void redirectLoop_pointsBackAtItself() {
    server.faults().add(PATH, new Fault.RedirectLoop());
    HttpProbe.Result first = HttpProbe.get(client, server.baseUrl() + PATH + "?q=1").await();
    HttpProbe.Result second = HttpProbe.get(client, server.baseUrl() + PATH + "?q=1").await();

    assertEquals(302, first.status());
    assertEquals(PATH + "?q=1", first.header("Location"));
    assertEquals(302, second.status());
  }

  @Test
  void limitedRule_appliesToTheNextNMatchingRequestsOnly() {
    server.faults().add("/bytes/", Fault.Status.of(503), 2);
    assertEquals(503, get(Map.of()).status());
    assertEquals(503, HttpProbe.get(client, server.baseUrl() + "/bytes/10/x").await().status());
    assertEquals(200, get(Map.of()).status());
  }

  @Test
  void clearAndRemove_stopInjecting() {
    server.faults().add(PATH, Fault.Status.of(500));
    assertEquals(500, get(Map.of()).status());
    assertEquals(1, server.faults().remove(PATH));
    assertEquals(200, get(Map.of()).status());
    server.faults().add(PATH, Fault.Status.of(500)).clear();
    assertEquals(200, get(Map.of()).status());
  }

  @Test
  void randomSchedule_sameSeedSameFaults_probabilityRespected(Vertx vertx) {
    List<Integer> first = statusesUnderSchedule(7L);
    List<Integer> again = statusesUnderSchedule(7L);
    List<Integer> other = statusesUnderSchedule(8L);

    assertEquals(first, again);
    assertTrue(!first.equals(other), "different seeds gave the same 40 statuses");
    long faulted = first.stream().filter(code -> code != 200).count();
    assertTrue(faulted >= 8 && faulted <= 32, "faulted " + faulted + " of 40 at p=0.5");
    assertTrue(first.stream().allMatch(code -> code == 200 || code == 500 || code == 429));
  }

  @Test
  void faults_areLoggedWithTheRequest() {
    server.faults().add(PATH, Fault.Status.of(429), 1);
    get(Map.of());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.stats().log().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    ServedRequest logged = server.stats().log().get(0);
    assertEquals(List.of(Fault.Status.of(429)), logged.faults());
    assertEquals(429, logged.status());
  }

  private List<Integer> statusesUnderSchedule(long seed) {
    server.faults().clear();
    server.faults().randomly(seed, 0.5, List.of(Fault.Status.of(500), Fault.Status.of(429)));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      statuses.add(HttpProbe.get(client, server.baseUrl() + "/bytes/10/r").await().status());
    }
    return statuses;
  }

  private HttpProbe.Result get(Map<String, String> headers) {
    return HttpProbe.get(client, server.baseUrl() + PATH, headers).await();
  }
}
