package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP semantics of the origin: blobs, ranges, validators, HEAD, keep-alive and stats. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OriginServerTest {

  private static final String PATH = "/bytes/100000/a.bin";

  private OriginServer server;
  private HttpClient client;

  @BeforeEach
  void start(Vertx vertx) {
    server = OriginServer.start(vertx, OriginOptions.defaults()).await();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(4));
  }

  @AfterEach
  void stop() {
    client.close().await();
    server.close().await();
  }

  @Test
  void blob_servesExactDeterministicBytesWithValidators() {
    HttpProbe.Result result = HttpProbe.get(client, server.baseUrl() + PATH).await();

    assertEquals(200, result.status());
    assertNull(result.errorOrNull());
    assertEquals("100000", result.header("Content-Length"));
    assertEquals("bytes", result.header("Accept-Ranges"));
    assertEquals(SyntheticContent.etag(PATH), result.header("ETag"));
    assertArrayEquals(SyntheticContent.bytes(PATH, 0, 100_000), result.body());
  }

  @Test
  void blob_differentNamesGiveDifferentBytesAndEtags() {
    HttpProbe.Result a = HttpProbe.get(client, server.baseUrl() + "/bytes/4096/a").await();
    HttpProbe.Result b = HttpProbe.get(client, server.baseUrl() + "/bytes/4096/b").await();
    HttpProbe.Result bare = HttpProbe.get(client, server.baseUrl() + "/bytes/4096").await();

    assertFalse(java.util.Arrays.equals(a.body(), b.body()));
    assertNotEquals(a.header("ETag"), b.header("ETag"));
    assertArrayEquals(SyntheticContent.bytes("/bytes/4096", 0, 4096), bare.body());
  }

  @Test
  void blob_emptyAndMalformedSizes() {
    HttpProbe.Result empty = HttpProbe.get(client, server.baseUrl() + "/bytes/0").await();
    HttpProbe.Result malformed = HttpProbe.get(client, server.baseUrl() + "/bytes/12x").await();
    HttpProbe.Result missing = HttpProbe.get(client, server.baseUrl() + "/nothing/here").await();

    assertEquals(200, empty.status());
    assertEquals(0, empty.body().length);
    assertEquals(400, malformed.status());
    assertEquals(404, missing.status());
  }

  @Test
  void range_closedOpenAndSuffixGive206WithContentRange() {
    HttpProbe.Result closed = range("bytes=100-199");
    HttpProbe.Result open = range("bytes=99000-");
    HttpProbe.Result suffix = range("bytes=-500");
    HttpProbe.Result clamped = range("bytes=99990-200000");

    assertEquals(206, closed.status());
    assertEquals("bytes 100-199/100000", closed.header("Content-Range"));
    assertEquals("100", closed.header("Content-Length"));
    assertArrayEquals(SyntheticContent.bytes(PATH, 100, 100), closed.body());
    assertEquals("bytes 99000-99999/100000", open.header("Content-Range"));
    assertArrayEquals(SyntheticContent.bytes(PATH, 99_000, 1000), open.body());
    assertEquals("bytes 99500-99999/100000", suffix.header("Content-Range"));
    assertArrayEquals(SyntheticContent.bytes(PATH, 99_500, 500), suffix.body());
    assertEquals("bytes 99990-99999/100000", clamped.header("Content-Range"));
    assertEquals(10, clamped.body().length);
  }

  @Test
  void range_unsatisfiableGives416WithSize() {
    HttpProbe.Result pastEnd = range("bytes=100000-");
    HttpProbe.Result zeroSuffix = range("bytes=-0");

    assertEquals(416, pastEnd.status());
    assertEquals("bytes */100000", pastEnd.header("Content-Range"));
    assertEquals(416, zeroSuffix.status());
  }

  @Test
  void range_malformedOrMultipleIsIgnored() {
    assertEquals(200, range("bytes=abc").status());
    assertEquals(200, range("bytes=5-1").status());
    HttpProbe.Result multi = range("bytes=0-1,5-6");
    assertEquals(200, multi.status());
    assertEquals(100_000, multi.body().length);
  }

  @Test
  void ifMatch_mismatchGives412_matchServes() {
    String etag = SyntheticContent.etag(PATH);
    HttpProbe.Result mismatch = get(Map.of("If-Match", "\"other\""));
    HttpProbe.Result match = get(Map.of("If-Match", etag, "Range", "bytes=0-9"));
    HttpProbe.Result star = get(Map.of("If-Match", "*"));

    assertEquals(412, mismatch.status());
    assertEquals(206, match.status());
    assertEquals(200, star.status());
  }

  @Test
  void ifRange_mismatchGivesFull200_matchGives206() {
    String etag = SyntheticContent.etag(PATH);
    HttpProbe.Result stale = get(Map.of("If-Range", "\"stale\"", "Range", "bytes=10-19"));
    HttpProbe.Result current = get(Map.of("If-Range", etag, "Range", "bytes=10-19"));

    assertEquals(200, stale.status());
    assertEquals(100_000, stale.body().length);
    assertNull(stale.header("Content-Range"));
    assertEquals(206, current.status());
    assertArrayEquals(SyntheticContent.bytes(PATH, 10, 10), current.body());
  }

  @Test
  void ifNoneMatch_currentEtagGives304() {
    HttpProbe.Result result = get(Map.of("If-None-Match", SyntheticContent.etag(PATH)));
    assertEquals(304, result.status());
    assertEquals(0, result.body().length);
  }

  @Test
  void head_sendsHeadersWithoutBody() {
    HttpProbe.Result result =
        HttpProbe.send(client, HttpMethod.HEAD, server.baseUrl() + PATH, Map.of()).await();

    assertEquals(200, result.status());
    assertEquals("100000", result.header("Content-Length"));
    assertEquals(SyntheticContent.etag(PATH), result.header("ETag"));
    assertEquals(0, result.body().length);
    assertEquals(0, server.stats().bodyBytesServed());
  }

  @Test
  void otherMethods_get405() {
    HttpProbe.Result result =
        HttpProbe.send(client, HttpMethod.DELETE, server.baseUrl() + PATH, Map.of()).await();
    assertEquals(405, result.status());
    assertEquals("GET, HEAD", result.header("Allow"));
  }

  @Test
  void keepAlive_sequentialRequestsReuseOneConnection(Vertx vertx) {
    HttpClient single = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1));
    for (int i = 0; i < 5; i++) {
      assertEquals(200, HttpProbe.get(single, server.baseUrl() + "/bytes/1000/k" + i).await().status());
    }
    single.close().await();

    assertEquals(5, server.stats().requests());
    assertEquals(1, server.stats().maxOpenConnections());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.stats().log().size() < 5 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(server.stats().log().stream().allMatch(served -> served.connectionId() == 1));
  }

  @Test
  void stats_countRequestsPerPathBytesAndLog() {
    get(Map.of());
    get(Map.of("Range", "bytes=0-99"));
    HttpProbe.get(client, server.baseUrl() + "/bytes/10/other").await();

    OriginStats stats = server.stats();
    assertEquals(3, stats.requests());
    assertEquals(2, stats.requests(PATH));
    assertEquals(1, stats.requests("/bytes/10/other"));
    assertEquals(100_000 + 100 + 10, stats.bodyBytesServed());
    List<ServedRequest> log = waitForLog(3);
    ServedRequest ranged = log.stream().filter(r -> r.rangeHeader() != null).findFirst().orElseThrow();
    assertEquals("GET", ranged.method());
    assertEquals(PATH, ranged.path());
    assertEquals("bytes=0-99", ranged.rangeHeader());
    assertEquals(206, ranged.status());
    assertEquals(100, ranged.bodyBytes());
    assertTrue(ranged.completed());
    assertTrue(ranged.endNanos() >= ranged.startNanos());

    stats.reset();
    assertEquals(0, stats.requests());
    assertEquals(0, stats.bodyBytesServed());
    assertTrue(stats.log().isEmpty());
  }

  @Test
  void stats_maxActiveRequestsCountsConcurrentRequests(Vertx vertx) {
    server.faults().add("/bytes/", new Fault.DelayFirstByte(java.time.Duration.ofMillis(300)));
    HttpClient wide = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(8));
    List<Future<HttpProbe.Result>> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      results.add(HttpProbe.get(wide, server.baseUrl() + "/bytes/100/c" + i));
    }
    Future.all(results).await();
    wide.close().await();

    assertEquals(6, server.stats().maxActiveRequests());
    assertEquals(6, server.stats().maxOpenConnections());
    assertEquals(0, server.stats().activeRequests());
  }

  @Test
  void close_stopsListening(Vertx vertx) {
    String url = server.baseUrl() + PATH;
    server.close().await();
    HttpClient fresh = vertx.createHttpClient();
    HttpProbe.Result result = HttpProbe.get(fresh, url).await();
    fresh.close().await();
    assertEquals(0, result.status());
    server = OriginServer.start(vertx, OriginOptions.defaults()).await();
  }

  private HttpProbe.Result range(String range) {
    return get(Map.of("Range", range));
  }

  private HttpProbe.Result get(Map<String, String> headers) {
    return HttpProbe.get(client, server.baseUrl() + PATH, headers).await();
  }

  private List<ServedRequest> waitForLog(int entries) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.stats().log().size() < entries && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return server.stats().log();
  }
}
