package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.Fault;
import io.abrfetch.origin.ServedRequest;
import io.abrfetch.origin.SyntheticContent;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelRangeGetTest extends OriginTestBase {

  private PeerHandle peer() throws Exception {
    return downloader().register(Peer.of("object"));
  }

  /** A peer whose downloader runs {@code action} when the first response head is accepted. */
  private PeerHandle peerWithFirstHeadAction(Runnable action) throws Exception {
    Downloader d = downloader();
    AtomicBoolean fired = new AtomicBoolean();
    d.addListener(event -> {
      if (event instanceof FetchEvent.FirstByte && fired.compareAndSet(false, true)) {
        action.run();
      }
    });
    return d.register(Peer.of("object"));
  }

  private static ParallelRangeGetOptions options(int concurrency, int chunkSizeBytes) {
    return ParallelRangeGetOptions.builder().concurrency(concurrency)
        .chunkSizeBytes(chunkSizeBytes).build();
  }

  private static void assertComplete(ParallelRangeGetCheckingSink sink, long sizeBytes) {
    assertEquals(-1, sink.firstMismatchOffset, "first byte that differs from SyntheticContent");
    assertEquals(sizeBytes, sink.writtenBytes, "bytes written to the sink");
    assertFalse(sink.ended, "the sink stays the caller's: never ended");
  }

  @ParameterizedTest(name = "{0} bytes in chunks of {1} at concurrency {2}")
  @CsvSource({
      "1000003, 65536, 4",   // not a multiple of the chunk
      "2500000, 100003, 8",  // odd chunk size
      "655360, 65536, 4",    // an exact multiple
      "283, 7, 8",           // 7-byte chunks: 41 requests
  })
  void writesEveryByteInOrder_withRangesPinnedToTheFirstEtag(long sizeBytes, int chunkSizeBytes,
      int concurrency) throws Exception {
    String path = "/bytes/" + sizeBytes + "/p" + chunkSizeBytes;
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGetOptions opts = options(concurrency, chunkSizeBytes);
    ParallelRangeGet get = ParallelRangeGet.start(peer(), url(path), sink, opts);
    ParallelRangeGetResult result = await(get.result());

    assertComplete(sink, sizeBytes);
    long chunks = (sizeBytes + chunkSizeBytes - 1) / chunkSizeBytes;
    assertEquals(ParallelRangeGet.Mode.PARALLEL, result.mode());
    assertEquals(sizeBytes, result.sizeBytes());
    assertEquals(SyntheticContent.etag(path), result.etag());
    assertEquals(chunks, result.requests(), "one request per chunk, chunk 0 from the probe");
    assertTrue(result.peakBufferedBytes() <= opts.bufferBoundBytes(),
        "peak " + result.peakBufferedBytes() + " <= bound " + opts.bufferBoundBytes());
    assertEquals(0, get.bufferedBytes());

    List<ServedRequest> served = servedLog(origin, path);
    assertEquals(chunks, served.size());
    assertTrue(origin.stats().maxActiveRequests() <= concurrency,
        "origin saw " + origin.stats().maxActiveRequests() + " requests at once");
    ServedRequest first = served.get(0);
    assertEquals("bytes=0-" + (chunkSizeBytes - 1), first.rangeHeader());
    assertNull(first.ifMatch(), "the probe cannot know the ETag yet");
    for (ServedRequest later : served.subList(1, served.size())) {
      assertEquals(SyntheticContent.etag(path), later.ifMatch(), "If-Match on " + later);
      assertEquals(206, later.status());
    }
    // Every chunk asked for exactly once, in full.
    assertEquals(chunks, served.stream().map(ServedRequest::rangeHeader).distinct().count());
  }

  @Test
  void objectSmallerThanOneChunk_isServedByTheFirstRangeAlone() throws Exception {
    String path = "/bytes/12345/small";
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGetResult result = await(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 1_000_000)).result());

    assertComplete(sink, 12_345);
    assertEquals(ParallelRangeGet.Mode.FIRST_RANGE, result.mode());
    assertEquals(1, result.requests());
    List<ServedRequest> served = servedLog(origin, path);
    assertEquals(1, served.size());
    assertEquals("bytes=0-999999", served.get(0).rangeHeader());
    assertEquals(206, served.get(0).status());
  }

  @Test
  void objectOfExactlyOneChunk_isServedByTheFirstRangeAlone() throws Exception {
    String path = "/bytes/65536/one";
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGetResult result = await(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 65_536)).result());

    assertComplete(sink, 65_536);
    assertEquals(ParallelRangeGet.Mode.FIRST_RANGE, result.mode());
    assertEquals(1, servedLog(origin, path).size());
  }

  @Test
  void concurrencyOne_isExactlyOnePlainGetWithoutRange() throws Exception {
    String path = "/bytes/3000000/plain";
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGetResult result = await(ParallelRangeGet.start(peer(), url(path), sink,
        options(1, 65_536)).result());

    assertComplete(sink, 3_000_000);
    assertEquals(ParallelRangeGet.Mode.PLAIN_GET, result.mode());
    assertEquals(0, result.peakBufferedBytes(), "the one stream goes straight to the sink");
    List<ServedRequest> served = servedLog(origin, path);
    assertEquals(1, served.size());
    assertNull(served.get(0).rangeHeader());
    assertNull(served.get(0).ifMatch());
    assertEquals(200, served.get(0).status());
    assertEquals(1, origin.stats().maxActiveRequests());
  }

  @Test
  void emptyObject_succeedsWithNothingWritten() throws Exception {
    String path = "/bytes/0/empty";
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGetResult result = await(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 65_536)).result());

    assertComplete(sink, 0);
    assertEquals(ParallelRangeGet.Mode.EMPTY, result.mode());
    assertEquals(0, result.sizeBytes());
    List<ServedRequest> served = servedLog(origin, path);
    assertEquals(1, served.size());
    assertEquals(416, served.get(0).status());
    assertEquals(0, events.all(FetchEvent.Failed.class).size(), "an empty object is no failure");
  }

  @Test
  void originIgnoringRange_degradesToOneStreamFromTheFirstResponse() throws Exception {
    String path = "/bytes/1500000/ignore";
    origin.faults().add(path, new Fault.IgnoreRange());
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGetResult result = await(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 65_536)).result());

    assertComplete(sink, 1_500_000);
    assertEquals(ParallelRangeGet.Mode.RANGE_IGNORED, result.mode());
    List<ServedRequest> served = servedLog(origin, path);
    assertEquals(1, served.size(), "the first response is used, not fetched again");
    assertEquals(200, served.get(0).status());
    assertTrue(result.peakBufferedBytes() <= 65_536 + 65_536,
        "streamed, not buffered: peak " + result.peakBufferedBytes());
  }

  @Test
  void objectWithoutEtag_isReadAgainWithOnePlainGet() throws Exception {
    String path = "/bytes/1000000/no-etag";
    String proxyBase = startEtagStrippingProxy();
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGetResult result = await(ParallelRangeGet.start(peer(), proxyBase + path, sink,
        options(4, 65_536)).result());

    assertComplete(sink, 1_000_000);
    assertEquals(ParallelRangeGet.Mode.NO_ETAG, result.mode());
    assertNull(result.etag());
    assertEquals(2, result.requests());
    List<ServedRequest> served = servedLog(origin, path);
    assertEquals(2, served.size());
    assertEquals("bytes=0-65535", served.get(0).rangeHeader());
    assertNull(served.get(1).rangeHeader(), "the fallback is one plain GET");
  }

  /** A real HTTP proxy in front of the origin that drops the ETag header of every response. */
  private String startEtagStrippingProxy() throws Exception {
    HttpClient client = vertx.createHttpClient();
    HttpServer proxy = vertx.createHttpServer().requestHandler(req -> {
      RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET)
          .setAbsoluteURI(origin.baseUrl() + req.uri());
      req.headers().forEach((name, value) -> {
        if (!name.equalsIgnoreCase("host")) {
          ro.putHeader(name, value);
        }
      });
      req.pause();
      client.request(ro).compose(r -> r.send()).onComplete(ar -> {
        if (ar.failed()) {
          req.response().setStatusCode(502).end();
          return;
        }
        var resp = ar.result();
        req.response().setStatusCode(resp.statusCode());
        resp.headers().forEach((name, value) -> {
          if (!name.equalsIgnoreCase("ETag")) {
            req.response().putHeader(name, value);
          }
        });
        resp.pipeTo(req.response());
      });
    });
    await(proxy.listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + proxy.actualPort();
  }

  @Test
  void stalledChunks_resumeThroughTheDownloader() throws Exception {
    String path = "/bytes/600000/stall";
    origin.faults().add(path, new Fault.StallAfterBytes(20_000, Duration.ofSeconds(3)), 2);
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGetResult result = await(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 100_000)).result());

    assertComplete(sink, 600_000);
    assertEquals(ParallelRangeGet.Mode.PARALLEL, result.mode());
    assertEquals(2, events.all(FetchEvent.Stalled.class).size());
    List<FetchEvent.Resumed> resumed = events.all(FetchEvent.Resumed.class);
    assertEquals(2, resumed.size());
    assertTrue(resumed.stream().allMatch(FetchEvent.Resumed::rangeHonoured));
    // The resumed probe asked for the rest of its chunk, pinned like every other range.
    assertTrue(servedLog(origin, path).stream()
        .anyMatch(r -> "bytes=20000-99999".equals(r.rangeHeader())
            && SyntheticContent.etag(path).equals(r.ifMatch())));
  }

  @Test
  void resetChunks_areResumed() throws Exception {
    String path = "/bytes/600000/reset";
    origin.faults().add(path, new Fault.ResetAfterBytes(30_000), 3);
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    await(ParallelRangeGet.start(peer(), url(path), sink, options(4, 100_000)).result());

    assertComplete(sink, 600_000);
    assertEquals(3, events.all(FetchEvent.Retrying.class).stream()
        .filter(r -> r.cause() == FetchException.Kind.RESET).count());
  }

  @Test
  void serviceUnavailable_isRetriedAfterRetryAfter() throws Exception {
    String path = "/bytes/400000/503";
    origin.faults().add(path, new Fault.Status(503, Duration.ofSeconds(1)), 2);
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    await(ParallelRangeGet.start(peer(), url(path), sink, options(4, 100_000)).result());

    assertComplete(sink, 400_000);
    List<FetchEvent.Retrying> retries = events.all(FetchEvent.Retrying.class);
    assertEquals(2, retries.size());
    assertTrue(retries.stream().allMatch(r -> r.statusCode() == 503
        && r.delay().compareTo(Duration.ofSeconds(1)) >= 0), retries.toString());
  }

  @Test
  void notFound_failsWithTheStatusAndWritesNothing() throws Exception {
    String path = "/bytes/400000/404";
    origin.faults().add(path, Fault.Status.of(404));
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    FetchException e = awaitFailure(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 100_000)).result());

    assertEquals(FetchException.Kind.HTTP_STATUS, e.kind());
    assertEquals(404, e.statusCode());
    assertEquals(0, sink.writtenBytes);
    assertEquals(1, servedLog(origin, path).size());
  }

  @Test
  void htmlErrorPageWith200_failsValidationAndWritesNothing() throws Exception {
    String path = "/bytes/400000/html";
    origin.faults().add(path, new Fault.HtmlPage200());
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    FetchException e = awaitFailure(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 100_000)).result());

    assertEquals(FetchException.Kind.VALIDATION, e.kind());
    assertEquals(0, sink.writtenBytes);
  }

  @Test
  void wrongContentRange_failsWithRange() throws Exception {
    String path = "/bytes/400000/wrong";
    origin.faults().add(path, new Fault.WrongContentRange());
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    FetchException e = awaitFailure(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 100_000)).result());

    assertEquals(FetchException.Kind.RANGE, e.kind());
    assertEquals(0, sink.writtenBytes);
  }

  @Test
  void wrongContentRangeOnALaterChunk_failsTheWholeDownload() throws Exception {
    String path = "/bytes/800000/wrong-later";
    // The probe's head arrives first; every range after it lies about its position.
    PeerHandle peer = peerWithFirstHeadAction(
        () -> origin.faults().add(path, new Fault.WrongContentRange()));
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGet get = ParallelRangeGet.start(peer, url(path), sink, options(2, 100_000));
    FetchException e = awaitFailure(get.result());

    assertEquals(FetchException.Kind.RANGE, e.kind());
    assertTrue(sink.writtenBytes <= 100_000, "at most the probe's chunk: " + sink.writtenBytes);
    assertEquals(-1, sink.firstMismatchOffset);
    assertEquals(0, get.bufferedBytes());
  }

  @Test
  void etagChangeMidDownload_failsAsObjectChanged() throws Exception {
    String path = "/bytes/800000/etag";
    // The object changes right after the probe's head: every later range is stale.
    PeerHandle peer = peerWithFirstHeadAction(
        () -> origin.faults().add(path, new Fault.EtagChange(), 1));
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGet get = ParallelRangeGet.start(peer, url(path), sink, options(4, 100_000));
    FetchException e = awaitFailure(get.result());

    assertEquals(FetchException.Kind.CHANGED, e.kind());
    assertEquals(-1, sink.firstMismatchOffset, "no byte of another revision was written");
    assertEquals(0, get.bufferedBytes(), "buffers released");
    assertTrue(servedLog(origin, path).stream().anyMatch(r -> r.status() == 412),
        "the origin refused the stale If-Match");
  }

  @Test
  void shortBodyOnce_isResumedAndTheBytesAreWhole() throws Exception {
    String path = "/bytes/500000/short-once";
    origin.faults().add(path, new Fault.ShortBody(5_000), 2);
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    await(ParallelRangeGet.start(peer(), url(path), sink, options(4, 100_000)).result());

    assertComplete(sink, 500_000);
    assertEquals(2, events.all(FetchEvent.Retrying.class).stream()
        .filter(r -> r.cause() == FetchException.Kind.TRUNCATED).count());
  }

  @Test
  void shortBodyEveryTime_failsTruncated() throws Exception {
    String path = "/bytes/500000/short-always";
    origin.faults().add(path, new Fault.ShortBody(5_000));
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    FetchException e = awaitFailure(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 100_000)).result());

    assertEquals(FetchException.Kind.TRUNCATED, e.kind());
    assertEquals(-1, sink.firstMismatchOffset);
    assertTrue(sink.writtenBytes < 500_000);
  }

  @Test
  void overlongBody_failsOverlong() throws Exception {
    String path = "/bytes/500000/overlong";
    origin.faults().add(path, new Fault.OverlongBody(1_000));
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    FetchException e = awaitFailure(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 100_000)).result());

    assertEquals(FetchException.Kind.OVERLONG, e.kind());
    assertEquals(-1, sink.firstMismatchOffset, "no junk byte reached the sink");
  }

  @Test
  void cancelMidway_stopsRequestsAndReleasesBuffers() throws Exception {
    String path = "/bytes/50000000/cancel";
    PeerHandle peer = peer();
    // 64 KiB every 10 ms: about 6 MB/s, so 50 MB is far from done when cancelled.
    ParallelRangeGetCheckingSink sink =
        new ParallelRangeGetCheckingSink(vertx, path, 256 * 1024, 64 * 1024, 10);
    ParallelRangeGet get = ParallelRangeGet.start(peer, url(path), sink, options(4, 256 * 1024));
    long deadline = System.currentTimeMillis() + 10_000;
    while (sink.writtenBytes < 1_000_000 || get.bufferedBytes() == 0) {
      assertTrue(System.currentTimeMillis() < deadline, "download did not get going");
      Thread.sleep(5);
    }
    assertTrue(await(get.cancel()));
    FetchException e = awaitFailure(get.result());
    assertEquals(FetchException.Kind.CANCELLED, e.kind());
    assertEquals(CancelReason.CALLER, e.cancelReason());
    assertEquals(0, get.bufferedBytes(), "held chunks released");
    assertFalse(await(get.cancel()), "a second cancel finds nothing running");

    long requestsAtCancel = origin.stats().requests(path);
    long writtenAtCancel = sink.writtenBytes;
    Thread.sleep(500);
    assertEquals(requestsAtCancel, origin.stats().requests(path), "no request after cancel");
    assertEquals(writtenAtCancel, sink.writtenBytes, "no byte written after cancel");
    assertEquals(0, downloaderOf(peer).inFlight());
    // Every accepted request ended (cancelled if it was still running: at cancel time the whole
    // window may already be fetched and waiting for the slow sink) and none failed.
    int endings = events.all(FetchEvent.Completed.class).size()
        + events.all(FetchEvent.Cancelled.class).size();
    assertEquals(events.all(FetchEvent.Enqueued.class).size(), endings);
    assertEquals(0, events.all(FetchEvent.Failed.class).size());
    onLoop(sink::stop);
  }

  private Downloader downloaderOf(PeerHandle peer) {
    return peer.downloader();
  }

  @Test
  void aRequestCapBelowConcurrency_isRespected() throws Exception {
    String path = "/bytes/2000000/capped";
    PeerHandle peer = downloader(b -> b.maxInFlightPerOrigin(2)).register(Peer.of("capped"));
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    await(ParallelRangeGet.start(peer, url(path), sink, options(8, 100_000)).result());

    assertComplete(sink, 2_000_000);
    assertTrue(origin.stats().maxActiveRequests() <= 2,
        "the downloader's per-origin cap holds: " + origin.stats().maxActiveRequests());
  }

  @Test
  void everyChunkIsADownloaderRequestWithEventsAndAbrSamples() throws Exception {
    String path = "/bytes/1000000/events";
    // Bodies that take a while (a mid-body pause each), so parallel chunks share the link in time.
    origin.faults().add(path, new Fault.StallAfterBytes(50_000, Duration.ofMillis(60)));
    ParallelRangeGetCheckingSink sink = new ParallelRangeGetCheckingSink(path);
    ParallelRangeGetResult result = await(ParallelRangeGet.start(peer(), url(path), sink,
        options(4, 100_000)).result());

    assertEquals(result.requests(), events.all(FetchEvent.Enqueued.class).size());
    List<FetchEvent.Completed> completed = events.all(FetchEvent.Completed.class);
    assertEquals(10, completed.size());
    assertEquals(1_000_000, completed.stream().mapToLong(FetchEvent.Completed::sizeBytes).sum());
    assertTrue(completed.stream().anyMatch(c -> c.overlappingTransfers() > 1),
        "the ABR feed knows the chunks overlapped");
  }

  @Test
  void badOptions_areRejectedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParallelRangeGetOptions.builder().concurrency(0).build());
    assertTrue(e.getMessage().startsWith("concurrency: 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ParallelRangeGetOptions.builder().concurrency(4).windowChunks(3).build());
    assertTrue(e.getMessage().startsWith("windowChunks: 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ParallelRangeGetOptions.builder().chunkSizeBytes(0).build());
    assertTrue(e.getMessage().startsWith("chunkSizeBytes: 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ParallelRangeGetOptions.builder().header("If-Match", "\"x\"").build());
    assertTrue(e.getMessage().startsWith("headers: If-Match"), e.getMessage());
    assertEquals(8, ParallelRangeGetOptions.builder().concurrency(4).build().windowChunks());
  }
}
