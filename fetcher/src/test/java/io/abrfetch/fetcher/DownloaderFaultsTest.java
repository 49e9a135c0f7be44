package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.fetcher.FetchException.Kind;
import io.abrfetch.origin.Fault;
import io.abrfetch.origin.ServedRequest;
import io.abrfetch.origin.SyntheticContent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One row per lie of the origin: each asserts the bytes delivered and the events emitted. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DownloaderFaultsTest extends OriginTestBase {

  private static final int SIZE = 256 * 1024;

  private FetchHandle fetch(Downloader d, String path) {
    PeerHandle peer = d.register(Peer.of("p-" + path));
    peer.addListener(e -> { });
    return peer.fetch(FetchRequest.builder(url(path)).build());
  }

  private List<ServedRequest> served(String path) throws InterruptedException {
    return servedLog(origin, path);
  }

  @Test
  void cleanFetch_deliversExactBytes_withEnqueuedStartedFirstByteCompletedInOrder()
      throws Exception {
    Downloader d = downloader();
    long estimateBefore = abr.bandwidthEstimateBps();
    String path = "/bytes/" + SIZE + "/clean.bin";
    FetchHandle h = fetch(d, path);
    FetchResult r = await(h.result());
    assertWholeObject(path, SIZE, r.body().getBytes());
    assertEquals(200, r.statusCode());
    assertEquals(SyntheticContent.etag(path), r.etag());
    assertEquals(1, r.attempts());
    List<FetchEvent> seq = events.of(h.requestId());
    assertEquals(List.of(FetchEvent.Enqueued.class, FetchEvent.Started.class,
        FetchEvent.FirstByte.class, FetchEvent.Completed.class),
        seq.stream().map(Object::getClass).toList());
    assertEquals(SIZE, counter("bytes"));
    assertNotEquals(estimateBefore, abr.bandwidthEstimateBps(),
        "the completed transfer reached the ABR controller");
  }

  @Test
  void stallThenResume_206_continuesFromTheLastReceivedByte() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/stall206.bin";
    origin.faults().add(path, new Fault.StallAfterBytes(100_000, Duration.ofSeconds(3)), 1);
    FetchHandle h = fetch(d, path);
    FetchResult r = await(h.result());
    assertWholeObject(path, SIZE, r.body().getBytes());
    FetchEvent.Stalled stalled = events.only(h.requestId(), FetchEvent.Stalled.class);
    assertEquals(100_000, stalled.receivedBytes());
    FetchEvent.Retrying retrying = events.only(h.requestId(), FetchEvent.Retrying.class);
    assertEquals(Kind.STALLED, retrying.cause());
    FetchEvent.Resumed resumed = events.only(h.requestId(), FetchEvent.Resumed.class);
    assertEquals(100_000, resumed.fromOffsetBytes());
    assertTrue(resumed.rangeHonoured());
    List<ServedRequest> log = served(path);
    assertEquals(2, log.size());
    assertEquals("bytes=100000-", log.get(1).rangeHeader());
    assertEquals(SyntheticContent.etag(path), log.get(1).ifMatch(), "the resume pins the ETag");
    assertEquals(206, log.get(1).status());
    assertEquals(1, r.resumes());
    assertEquals(1, counter("resumes"));
    assertEquals(1, counter("timeouts", "type", "inactivity"));
    assertEquals(1, events.endings(h.requestId()).size());
  }

  @Test
  void stallThenResume_200_skipsWhatWasAlreadyWritten_toAStreamSink() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/stall200.bin";
    origin.faults().add(path, new Fault.StallAfterBytes(70_000, Duration.ofSeconds(3)), 1);
    origin.faults().add(path, new Fault.IgnoreRange());
    CollectingWriteStream sink = new CollectingWriteStream();
    PeerHandle peer = d.register(Peer.of("p"));
    FetchHandle h = peer.fetch(FetchRequest.builder(url(path)).sink(BodySink.stream(sink))
        .build());
    FetchResult r = await(h.result());
    assertNull(r.body(), "a stream sink gets the body, the result does not");
    assertEquals(SIZE, r.sizeBytes());
    assertWholeObject(path, SIZE, sink.bytes());
    assertFalse(sink.ended, "the downloader never ends a caller's stream");
    FetchEvent.Resumed resumed = events.only(h.requestId(), FetchEvent.Resumed.class);
    assertEquals(70_000, resumed.fromOffsetBytes());
    assertFalse(resumed.rangeHonoured());
    assertEquals(200, served(path).get(1).status());
  }

  @Test
  void resetMidBody_isRetriedAsAResume_andDeliversEveryByteOnce() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/reset.bin";
    origin.faults().add(path, new Fault.ResetAfterBytes(50_000), 1);
    FetchHandle h = fetch(d, path);
    FetchResult r = await(h.result());
    assertWholeObject(path, SIZE, r.body().getBytes());
    FetchEvent.Retrying retrying = events.only(h.requestId(), FetchEvent.Retrying.class);
    assertTrue(retrying.cause() == Kind.RESET || retrying.cause() == Kind.TRUNCATED,
        "a broken body is a transient RESET/TRUNCATED: " + retrying);
    FetchEvent.Resumed resumed = events.only(h.requestId(), FetchEvent.Resumed.class);
    assertEquals("bytes=" + resumed.fromOffsetBytes() + "-", served(path).get(1).rangeHeader());
    assertTrue(resumed.fromOffsetBytes() > 0 && resumed.fromOffsetBytes() <= 50_000);
    assertEquals(2, r.attempts());
  }

  @Test
  void originBreakingEveryBodyAfterAFewBytes_isGivenUpAtMaxAttemptsPerRequest()
      throws Exception {
    Downloader d = downloader(b -> b.maxAttemptsPerRequest(5));
    String path = "/bytes/" + SIZE + "/always-reset.bin";
    origin.faults().add(path, new Fault.ResetAfterBytes(1_000));
    CollectingWriteStream sink = new CollectingWriteStream();
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .sink(BodySink.stream(sink)).build());
    FetchException e = awaitFailure(h.result());
    assertTrue(e.kind() == Kind.RESET || e.kind() == Kind.TRUNCATED, e.toString());
    assertEquals(5, events.only(h.requestId(), FetchEvent.Failed.class).attempts());
    assertEquals(5, served(path).size());
    assertEquals(4, events.of(h.requestId(), FetchEvent.Resumed.class).size(),
        "each attempt made progress and resumed the previous one");
    assertBytes(path, 0, sink.bytes());
    assertEquals(5_000, sink.bytes().length, "every byte received was delivered once, in order");
  }

  @Test
  void slowFirstByte_withinInactivity_isWaitedFor() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/slowhead.bin";
    origin.faults().add(path, new Fault.DelayFirstByte(Duration.ofMillis(200)), 1);
    FetchHandle h = fetch(d, path);
    FetchResult r = await(h.result());
    assertWholeObject(path, SIZE, r.body().getBytes());
    FetchEvent.FirstByte first = events.only(h.requestId(), FetchEvent.FirstByte.class);
    assertTrue(first.timeToFirstByteNanos() >= Duration.ofMillis(190).toNanos(),
        "ttfb " + first.timeToFirstByteNanos());
    assertTrue(events.of(h.requestId(), FetchEvent.Retrying.class).isEmpty());
    assertEquals(1, served(path).size());
  }

  @Test
  void slowFirstByte_beyondInactivity_timesOutAndRetries() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/deadhead.bin";
    origin.faults().add(path, new Fault.DelayFirstByte(Duration.ofSeconds(2)), 1);
    FetchHandle h = fetch(d, path);
    FetchResult r = await(h.result());
    assertWholeObject(path, SIZE, r.body().getBytes());
    FetchEvent.Retrying retrying = events.only(h.requestId(), FetchEvent.Retrying.class);
    assertEquals(Kind.TIMEOUT, retrying.cause());
    assertTrue(events.of(h.requestId(), FetchEvent.Stalled.class).isEmpty(),
        "no head is a timeout, not a body stall");
    assertTrue(events.of(h.requestId(), FetchEvent.Resumed.class).isEmpty(), "nothing to resume");
    assertNull(served(path).get(served(path).size() - 1).rangeHeader());
  }

  @Test
  void softTimeoutDuringBody_emitsLoadSlowOnce_keepsGoing_andAsksTheAbandonHook()
      throws Exception {
    Downloader d = downloader(b -> b.minSoftTimeout(Duration.ofMillis(300))
        .inactivityTimeout(Duration.ofSeconds(3)));
    String path = "/bytes/" + SIZE + "/soft.bin";
    origin.faults().add(path, new Fault.StallAfterBytes(20_000, Duration.ofMillis(1_000)), 1);
    List<FetchEvent.LoadSlow> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    PeerHandle peer = d.register(new Peer() {
      @Override
      public String id() {
        return "soft";
      }

      @Override
      public boolean onLoadSlow(FetchEvent.LoadSlow slow) {
        asked.add(slow);
        return false;
      }
    });
    FetchHandle h = peer.fetch(FetchRequest.builder(url(path)).build());
    FetchResult r = await(h.result());
    assertWholeObject(path, SIZE, r.body().getBytes());
    FetchEvent.LoadSlow slow = events.only(h.requestId(), FetchEvent.LoadSlow.class);
    assertEquals(List.of(slow), asked);
    assertEquals(20_000, slow.receivedBytes(), "soft deadline passed during the body");
    assertEquals(SIZE, slow.expectedSizeBytes(), "size from Content-Length when the request had none");
    List<FetchEvent> seq = events.of(h.requestId());
    assertTrue(seq.indexOf(slow) > seq.indexOf(events.only(h.requestId(),
        FetchEvent.FirstByte.class)));
    assertTrue(events.of(h.requestId(), FetchEvent.Stalled.class).isEmpty());
    assertEquals(1, r.attempts(), "LoadSlow never aborts");
    assertEquals(1, counter("timeouts", "type", "soft"));
  }

  @Test
  void softTimeout_whenTheHookAbandons_cancelsWithReasonAbandoned() throws Exception {
    Downloader d = downloader(b -> b.minSoftTimeout(Duration.ofMillis(150))
        .inactivityTimeout(Duration.ofSeconds(2)));
    String path = "/bytes/" + SIZE + "/abandon.bin";
    origin.faults().add(path, new Fault.StallAfterBytes(20_000, Duration.ofSeconds(1)), 1);
    PeerHandle peer = d.register(new Peer() {
      @Override
      public String id() {
        return "abandoning";
      }

      @Override
      public boolean onLoadSlow(FetchEvent.LoadSlow slow) {
        return true;
      }
    });
    FetchHandle h = peer.fetch(FetchRequest.builder(url(path)).build());
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.CANCELLED, e.kind());
    assertEquals(CancelReason.ABANDONED, e.cancelReason());
    assertEquals(CancelReason.ABANDONED,
        events.only(h.requestId(), FetchEvent.Cancelled.class).reason());
    assertEquals(1, events.endings(h.requestId()).size());
  }

  @Test
  void softTimeout_scalesWithMediaDuration_halfOfItAboveTheFloor() {
    DownloaderOptions o = DownloaderOptions.defaults();
    assertEquals(Duration.ofSeconds(2), o.softTimeoutFor(0));
    assertEquals(Duration.ofSeconds(2), o.softTimeoutFor(/* mediaDurationUs= */ 4_000_000));
    assertEquals(Duration.ofSeconds(3), o.softTimeoutFor(/* mediaDurationUs= */ 6_000_000));
  }

  @Test
  void fiveXxStorm_withRetryAfter_waitsAsAsked_thenSucceeds() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/storm.bin";
    origin.faults().add(path, new Fault.Status(503, Duration.ofSeconds(1)), 1);
    origin.faults().add(path, Fault.Status.of(500), 1);
    origin.faults().add(path, Fault.Status.of(502), 1);
    FetchHandle h = fetch(d, path);
    FetchResult r = await(h.result());
    assertWholeObject(path, SIZE, r.body().getBytes());
    List<FetchEvent.Retrying> retries = events.of(h.requestId(), FetchEvent.Retrying.class);
    assertEquals(List.of(503, 500, 502), retries.stream().map(FetchEvent.Retrying::statusCode)
        .toList());
    assertEquals(Duration.ofSeconds(1), retries.get(0).delay(), "Retry-After honoured");
    List<ServedRequest> log = served(path);
    assertEquals(4, log.size());
    assertTrue(log.get(1).startNanos() - log.get(0).startNanos()
        >= Duration.ofMillis(990).toNanos(), "the second request waited for Retry-After");
    assertEquals(4, r.attempts());
    assertEquals(3, counter("retries"));
  }

  @Test
  void fiveXxStorm_withoutEnd_failsAfterBoundedAttempts() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/endless-storm.bin";
    origin.faults().add(path, Fault.Status.of(503));
    FetchHandle h = fetch(d, path);
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.HTTP_STATUS, e.kind());
    assertEquals(503, e.statusCode());
    FetchEvent.Failed failed = events.only(h.requestId(), FetchEvent.Failed.class);
    assertEquals(ExponentialBackoffPolicy.DEFAULT_MAX_ATTEMPTS, failed.attempts());
    assertEquals(ExponentialBackoffPolicy.DEFAULT_MAX_ATTEMPTS, served(path).size());
  }

  @Test
  void tooManyRequests429_isRetriedAfterItsRetryAfter_and410IsFatal() throws Exception {
    Downloader d = downloader();
    String throttled = "/bytes/" + SIZE + "/429.bin";
    String gone = "/bytes/" + SIZE + "/410.bin";
    origin.faults().add(throttled, new Fault.Status(429, Duration.ofSeconds(1)), 1);
    origin.faults().add(gone, Fault.Status.of(410));
    FetchHandle h = fetch(d, throttled);
    FetchHandle g = fetch(d, gone);
    assertWholeObject(throttled, SIZE, await(h.result()).body().getBytes());
    FetchEvent.Retrying retrying = events.only(h.requestId(), FetchEvent.Retrying.class);
    assertEquals(429, retrying.statusCode());
    assertEquals(Duration.ofSeconds(1), retrying.delay());
    FetchException e = awaitFailure(g.result());
    assertEquals(410, e.statusCode());
    assertEquals(1, served(gone).size());
  }

  @Test
  void notFound_isFatal_withoutRetry() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/gone.bin";
    origin.faults().add(path, Fault.Status.of(404));
    FetchHandle h = fetch(d, path);
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.HTTP_STATUS, e.kind());
    assertEquals(404, e.statusCode());
    assertFalse(e.isTransient());
    assertTrue(events.of(h.requestId(), FetchEvent.Retrying.class).isEmpty());
    assertEquals(404, events.only(h.requestId(), FetchEvent.Failed.class).statusCode());
    assertEquals(1, served(path).size());
  }

  @Test
  void htmlPageServedWith200_isRejectedByTheValidator_beforeAnyByteReachesTheSink()
      throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/html.bin";
    origin.faults().add(path, new Fault.HtmlPage200());
    CollectingWriteStream sink = new CollectingWriteStream();
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .sink(BodySink.stream(sink)).build());
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.VALIDATION, e.kind());
    assertEquals(0, sink.bytes().length);
    assertEquals(Kind.VALIDATION, events.only(h.requestId(), FetchEvent.Failed.class).kind());
    assertTrue(events.of(h.requestId(), FetchEvent.FirstByte.class).isEmpty());
    assertEquals(1, served(path).size(), "validation failures are fatal");
  }

  @Test
  void rangeIgnored_byTheOrigin_stillDeliversExactlyTheRequestedSlice() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/norange.bin";
    origin.faults().add(path, new Fault.IgnoreRange());
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .range(ByteRange.of(100_000, 5_000)).build());
    FetchResult r = await(h.result());
    assertEquals(5_000, r.sizeBytes());
    assertBytes(path, 100_000, r.body().getBytes());
    assertFalse(events.only(h.requestId(), FetchEvent.FirstByte.class).partial());
    assertEquals(200, served(path).get(0).status());
  }

  @Test
  void rangeHonoured_deliversTheSliceWith206() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/range.bin";
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .range(ByteRange.of(1_000, 10_000)).build());
    FetchResult r = await(h.result());
    assertEquals(206, r.statusCode());
    assertEquals(10_000, r.body().length());
    assertBytes(path, 1_000, r.body().getBytes());
    assertEquals("bytes=1000-10999", served(path).get(0).rangeHeader());
  }

  @Test
  void wrongContentRange_failsWithRange_fatally() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/wrongcr.bin";
    origin.faults().add(path, new Fault.WrongContentRange());
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .range(ByteRange.of(0, 50_000)).build());
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.RANGE, e.kind());
    assertEquals(1, served(path).size());
    assertTrue(events.of(h.requestId(), FetchEvent.FirstByte.class).isEmpty());
  }

  @Test
  void unsolicited206_forAWholeObjectRequest_failsWithRange() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/unsolicited.bin";
    origin.faults().add(path, new Fault.WrongContentRange());
    FetchHandle h = fetch(d, path);
    assertEquals(Kind.RANGE, awaitFailure(h.result()).kind());
  }

  @Test
  void etagChangeMidResume_failsWithChanged_andNeverMixesRevisions() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/etag.bin";
    origin.faults().add(path, new Fault.StallAfterBytes(60_000, Duration.ofSeconds(3)), 1);
    d.addListener(e -> {
      if (e instanceof FetchEvent.Stalled) {
        origin.faults().add(path, new Fault.EtagChange(), 1);
      }
    });
    FetchHandle h = fetch(d, path);
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.CHANGED, e.kind());
    assertFalse(e.isTransient());
    assertTrue(events.of(h.requestId(), FetchEvent.Completed.class).isEmpty());
    assertEquals(1, events.endings(h.requestId()).size());
    ServedRequest resume = served(path).get(1);
    assertEquals(SyntheticContent.etag(path), resume.ifMatch());
    assertEquals(412, resume.status());
  }

  @Test
  void shortBody_once_isResumedAndCompletes() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/short-once.bin";
    origin.faults().add(path, new Fault.ShortBody(1_000), 1);
    FetchHandle h = fetch(d, path);
    FetchResult r = await(h.result());
    assertWholeObject(path, SIZE, r.body().getBytes());
    assertEquals(Kind.TRUNCATED, events.only(h.requestId(), FetchEvent.Retrying.class).cause());
    assertEquals(SIZE - 1_000,
        events.only(h.requestId(), FetchEvent.Resumed.class).fromOffsetBytes());
  }

  @Test
  void shortBody_always_failsTruncated_neverCompletesShort() throws Exception {
    Downloader d = downloader(b -> b.retryPolicy(RetryPolicy.never()));
    String path = "/bytes/" + SIZE + "/short.bin";
    origin.faults().add(path, new Fault.ShortBody(1_000));
    FetchHandle h = fetch(d, path);
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.TRUNCATED, e.kind());
    assertTrue(events.of(h.requestId(), FetchEvent.Completed.class).isEmpty());
  }

  @Test
  void overlongBody_beyondTheExpectedSize_failsOverlong() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/overlong.bin";
    origin.faults().add(path, new Fault.OverlongBody(10_000));
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .expectedSizeBytes(SIZE).build());
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.OVERLONG, e.kind());
    assertEquals(1, served(path).size(), "an origin that pads bodies is not retried");
  }

  @Test
  void expectedSize_disagreeingWithContentLength_failsSize() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/size.bin";
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .expectedSizeBytes(SIZE + 1).build());
    assertEquals(Kind.SIZE, awaitFailure(h.result()).kind());
  }

  @Test
  void collectLimit_smallerThanTheBody_failsTooLarge() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/big.bin";
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .sink(BodySink.collect(SIZE - 1)).build());
    assertEquals(Kind.TOO_LARGE, awaitFailure(h.result()).kind());
  }

  @Test
  void redirectLoop_failsWithRedirect_afterABoundedNumberOfHops() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/loop.bin";
    origin.faults().add(path, new Fault.RedirectLoop());
    FetchHandle h = fetch(d, path);
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.REDIRECT, e.kind());
    assertTrue(served(path).size() <= DownloaderOptions.DEFAULT_MAX_REDIRECTS + 1,
        "served " + served(path).size());
    assertEquals(Kind.REDIRECT, events.only(h.requestId(), FetchEvent.Failed.class).kind());
  }

  @Test
  void sinkBackpressure_pausesTheTransfer_withoutCountingItAsAStall() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/slow-sink.bin";
    CollectingWriteStream sink = new CollectingWriteStream(vertx, 64 * 1024, 150);
    sink.setWriteQueueMaxSize(64 * 1024);
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .sink(BodySink.stream(sink)).build());
    FetchResult r = await(h.result());
    assertWholeObject(path, SIZE, sink.bytes());
    assertEquals(SIZE, r.sizeBytes());
    assertTrue(sink.timesFull > 0, "the sink did push back");
    assertTrue(events.of(h.requestId(), FetchEvent.Stalled.class).isEmpty());
    assertEquals(1, r.attempts());
  }

  @Test
  void connectionRefused_isTransient_andFailsConnectAfterBoundedAttempts() throws Exception {
    Downloader d = downloader();
    int deadPort = origin.port();
    await(origin.close());
    origin = await(io.abrfetch.origin.OriginServer.start(vertx,
        io.abrfetch.origin.OriginOptions.defaults()));
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(
        "http://127.0.0.1:" + deadPort + "/bytes/10").build());
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.CONNECT, e.kind());
    assertEquals(ExponentialBackoffPolicy.DEFAULT_MAX_ATTEMPTS - 1,
        events.of(h.requestId(), FetchEvent.Retrying.class).size());
  }

  @Test
  void redirect_toAnotherServer_isFollowed_andTheResultNamesTheFinalUrl() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/moved.bin";
    io.vertx.core.http.HttpServer redirector = await(vertx.createHttpServer()
        .requestHandler(req -> req.response().setStatusCode(302)
            .putHeader("Location", url(path)).end())
        .listen(0, "127.0.0.1"));
    try {
      FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(
          "http://127.0.0.1:" + redirector.actualPort() + "/old/location").build());
      FetchResult r = await(h.result());
      assertWholeObject(path, SIZE, r.body().getBytes());
      assertEquals(url(path), r.url());
      assertEquals(1, r.attempts(), "a redirect is part of the attempt, not a retry");
    } finally {
      await(redirector.close());
    }
  }

  @Test
  void overallDeadline_failsTheRequestWithDeadline_evenWhileBytesStillTrickle()
      throws Exception {
    Downloader d = downloader(b -> b.inactivityTimeout(Duration.ofSeconds(10)));
    String path = "/bytes/" + SIZE + "/deadline.bin";
    origin.faults().add(path, new Fault.StallAfterBytes(10_000, Duration.ofSeconds(5)));
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path))
        .totalTimeout(Duration.ofMillis(400)).build());
    FetchException e = awaitFailure(h.result());
    assertEquals(Kind.DEADLINE, e.kind());
    assertEquals(1, counter("timeouts", "type", "deadline"));
    FetchEvent.Failed failed = events.only(h.requestId(), FetchEvent.Failed.class);
    assertEquals(Kind.DEADLINE, failed.kind());
  }

  @Test
  void callerCancel_endsAQueuedAndARunningRequestOnce_withReasonCaller() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(1).inactivityTimeout(Duration.ofSeconds(10)));
    String path = "/bytes/" + SIZE + "/cancel.bin";
    origin.faults().add(path, new Fault.StallAfterBytes(10_000, Duration.ofSeconds(5)));
    PeerHandle p = d.register(Peer.of("p"));
    FetchHandle running = p.fetch(FetchRequest.builder(url(path)).build());
    FetchHandle queued = p.fetch(FetchRequest.builder(url(path)).build());
    events.await(FetchEvent.FirstByte.class, e -> e.requestId() == running.requestId(), 5_000);
    assertTrue(await(queued.cancel()));
    assertTrue(await(running.cancel()));
    assertFalse(await(running.cancel()), "already ended");
    for (FetchHandle h : List.of(running, queued)) {
      assertEquals(CancelReason.CALLER, awaitFailure(h.result()).cancelReason());
      assertEquals(1, events.endings(h.requestId()).size());
    }
    assertTrue(events.of(queued.requestId(), FetchEvent.Started.class).isEmpty());
    assertEquals(0, d.inFlight());
  }

  @Test
  void meters_countWhatHappened() throws Exception {
    Downloader d = downloader();
    String path = "/bytes/" + SIZE + "/meters.bin";
    origin.faults().add(path, new Fault.ResetAfterBytes(20_000), 1);
    await(fetch(d, path).result());
    assertEquals(1, registry.find("abrfetch.fetch.duration").tag("outcome", "completed")
        .timer().count());
    assertEquals(1, registry.find("abrfetch.fetch.first.byte").timer().count());
    assertEquals(0, registry.find("abrfetch.fetch.in.flight").gauge().value());
    assertEquals(0, registry.find("abrfetch.fetch.queue.depth").gauge().value());
    assertEquals(1, counter("retries"));
    assertEquals(1, counter("resumes"));
    assertEquals(SIZE, counter("bytes"));
    assertEquals(0, counter("hangs"));
    assertEquals(0, counter("preemptions"));
  }

  @Test
  void badRequests_areRejectedAtConstruction_withTheInputNamed() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> FetchRequest.builder("ftp://x/y").build());
    assertTrue(e.getMessage().contains("ftp://x/y"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FetchRequest.builder("http://h/x").header("Range", "bytes=0-1").build());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FetchRequest.builder("http://h/x").range(ByteRange.of(0, 10))
            .expectedSizeBytes(11).build());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> DownloaderOptions.builder().maxInFlight(0).build());
    assertNotNull(assertInstanceOf(RetryDecision.GiveUp.class, RetryPolicy.never()
        .decide(1, FetchException.of(Kind.RESET, "x"))).reason());
  }
}
