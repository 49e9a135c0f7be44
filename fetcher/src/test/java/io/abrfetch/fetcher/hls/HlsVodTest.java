package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.fetcher.FetchEvent;
import io.abrfetch.origin.Fault;
import io.abrfetch.origin.ServedRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** VOD playback against the synthetic origin: order, bytes, init sections, ranges, AES-128. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HlsVodTest extends HlsTestBase {

  @Test
  void vod_deliversEverySegmentInOrder_withTheOriginsPlaintext() throws Exception {
    startOrigin(smallLadder().build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Reading video = read(session.video());
    await(video.ended, 30);
    List<MediaSegment> segments = video.list();
    assertEquals(6, segments.size());
    assertEquals(0, segments.get(0).mediaSequence());
    assertEquals(0, segments.get(0).startUs());
    assertContiguous(segments);
    assertVideoPlaintext(segments);
    assertEquals(6_000_000, segments.get(5).endUs());
    assertTrue(session.audio().isEmpty(), "the ladder has no audio group");
    assertFalse(video.failed.isDone());
    assertEquals(1, events(HlsEvent.TrackEnded.class).size());
  }

  @Test
  void initSegments_comeFirst_andAgainOnlyWhenTheMapChanges_atAnUpSwitch() throws Exception {
    startOrigin(smallLadder().bitratesBps(List.of(1_000_000L, 3_000_000L)).initSegments(true)
        .vodSegmentCount(8).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().initialVariantIndex(0).build());
    // A player with 20 s buffered lets the throughput rule switch up on the fast loopback link.
    session.video().reportBufferedUs(20_000_000);
    Reading video = read(session.video());
    await(video.ended, 30);
    List<MediaSegment> segments = video.list();
    assertEquals(8, segments.size());
    assertContiguous(segments);
    assertVideoPlaintext(segments);
    assertEquals(0, segments.get(0).variantIndex());
    assertNotNull(segments.get(0).initSegment(), "the first segment carries its init section");
    int switches = 0;
    for (int i = 0; i < segments.size(); i++) {
      MediaSegment s = segments.get(i);
      if (i > 0 && !s.variantChanged()) {
        assertNull(s.initSegment(), "unchanged map at " + s.mediaSequence());
      } else {
        switches += i > 0 ? 1 : 0;
        assertArrayEquals(origin.ladder().initSegment(s.variantIndex()),
            s.initSegment().getBytes(), "init section of variant " + s.variantIndex());
      }
    }
    assertTrue(switches >= 1, "switched up, with the new variant's init section");
    for (int v = 0; v < 2; v++) {
      assertEquals(1, origin.stats().requests("/hls/v" + v + "/init.mp4"),
          "init of variant " + v + " fetched once");
    }
  }

  @Test
  void byteRangeVariant_isFetchedAsRanges_andMatchesThePlaintext() throws Exception {
    startOrigin(smallLadder().byteRange(true).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Reading video = read(session.video());
    await(video.ended, 30);
    List<MediaSegment> segments = video.list();
    assertEquals(6, segments.size());
    assertContiguous(segments);
    assertVideoPlaintext(segments);
    int ranged = 0;
    for (ServedRequest r : origin.stats().log()) {
      if (r.path().endsWith("/media.ts")) {
        assertNotNull(r.rangeHeader(), "every media.ts request is ranged: " + r);
        assertEquals(206, r.status());
        ranged++;
      }
    }
    assertEquals(6, ranged);
    assertTrue(segments.get(1).byteRangeOffsetBytes() > 0);
  }

  @Test
  void aes128_decryptsToThePlaintext_andFetchesEachKeyOnce() throws Exception {
    startOrigin(smallLadder().aes128(true).keyRotationSegments(2).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().initialVariantIndex(0).build());
    Reading video = read(session.video());
    await(video.ended, 30);
    List<MediaSegment> segments = video.list();
    assertEquals(6, segments.size());
    assertContiguous(segments);
    assertVideoPlaintext(segments);
    for (MediaSegment s : segments) {
      assertTrue(s.encrypted());
    }
    origin.stats().requestsByPath().forEach((path, count) -> {
      if (path.endsWith(".key")) {
        assertEquals(1, count, "key " + path + " fetched once");
      }
    });
  }

  @Test
  void aes128_largeSegmentsDecryptOffTheEventLoop_toThePlaintext() throws Exception {
    startOrigin(smallLadder().aes128(true).bitratesBps(List.of(4_000_000L)).vodSegmentCount(3)
        .build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().decryptOffLoopThresholdBytes(1024).build());
    Reading video = read(session.video());
    await(video.ended, 30);
    List<MediaSegment> segments = video.list();
    assertEquals(3, segments.size());
    assertTrue(segments.get(0).sizeBytes() > 400_000, "a 4 Mbit/s second is about 500 kB");
    assertVideoPlaintext(segments);
  }

  @Test
  void segment404_surfacesAsTypedError_afterTheSegmentsBeforeIt() throws Exception {
    startOrigin(smallLadder().bitratesBps(List.of(300_000L)).build());
    origin.faults().add("/hls/v0/seg3.ts", Fault.Status.of(404));
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Reading video = read(session.video());
    Throwable error = await(video.failed, 30);
    HlsException hls = (HlsException) error;
    assertEquals(HlsException.Kind.SEGMENT, hls.kind());
    assertEquals(3, hls.mediaSequence());
    assertEquals(404, hls.fetchFailure().statusCode());
    assertEquals(List.of(0L, 1L, 2L),
        video.list().stream().map(MediaSegment::mediaSequence).toList());
    assertTrue(session.video().isEnded());
    assertEquals(hls, session.video().failure());
  }

  @Test
  void transientFailureBeyondTheDownloadersRetries_isRetriedLater_notSkipped() throws Exception {
    startOrigin(smallLadder().bitratesBps(List.of(300_000L)).build());
    // More 503s in a row than the downloader's own attempts (4): the track must try again.
    origin.faults().add("/hls/v0/seg2.ts", Fault.Status.of(503), 6);
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Reading video = read(session.video());
    await(video.ended, 30);
    List<MediaSegment> segments = video.list();
    assertEquals(6, segments.size());
    assertContiguous(segments);
    assertVideoPlaintext(segments);
    List<HlsEvent.SegmentRetrying> retries = events(HlsEvent.SegmentRetrying.class);
    assertFalse(retries.isEmpty(), "the track retried segment 2 after the downloader gave up");
    assertEquals(2, retries.get(0).mediaSequence());
  }

  @Test
  void transientFailureForever_failsTheTrack_afterMaxSegmentAttempts() throws Exception {
    startOrigin(smallLadder().bitratesBps(List.of(300_000L)).build());
    origin.faults().add("/hls/v0/seg1.ts", Fault.Status.of(503));
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().maxSegmentAttempts(2).build());
    Reading video = read(session.video());
    HlsException error = (HlsException) await(video.failed, 30);
    assertEquals(HlsException.Kind.SEGMENT, error.kind());
    assertEquals(503, error.fetchFailure().statusCode());
    assertEquals(1, events(HlsEvent.SegmentRetrying.class).size());
    assertEquals(List.of(0L), video.list().stream().map(MediaSegment::mediaSequence).toList());
  }

  @Test
  void masterPlaylist404_failsOpen_withPlaylistUnavailable() throws Exception {
    startOrigin(smallLadder().build());
    startDownloader();
    HlsException error = awaitHlsFailure(openFuture(origin.baseUrl() + "/hls/missing.m3u8",
        fastOptions().build()));
    assertEquals(HlsException.Kind.PLAYLIST_UNAVAILABLE, error.kind());
    assertEquals(404, error.fetchFailure().statusCode());
  }

  @Test
  void htmlInsteadOfPlaylist_failsOpen_withATypedError() throws Exception {
    startOrigin(smallLadder().build());
    origin.faults().add("/hls/master.m3u8", new Fault.HtmlPage200());
    startDownloader();
    HlsException error = awaitHlsFailure(openFuture(origin.masterPlaylistUrl(),
        fastOptions().build()));
    assertEquals(HlsException.Kind.PLAYLIST_UNAVAILABLE, error.kind());
  }

  @Test
  void closedDownloader_failsOpen_withClosed() throws Exception {
    startOrigin(smallLadder().build());
    startDownloader();
    await(downloader.close());
    HlsException error = awaitHlsFailure(openFuture(origin.masterPlaylistUrl(),
        fastOptions().build()));
    assertEquals(HlsException.Kind.CLOSED, error.kind());
  }

  @Test
  void closingWhileOpening_leavesNoPeerInTheDownloaderOrAbr() throws Exception {
    startOrigin(smallLadder().build());
    origin.faults().add("/hls/v", new Fault.DelayFirstByte(java.time.Duration.ofMillis(400)));
    startDownloader();
    io.vertx.core.Future<HlsSession> opening = onLoop(() -> HlsSession.open(vertx, downloader,
        abr, origin.masterPlaylistUrl(), fastOptions().sessionId("early").build()));
    Thread.sleep(150);
    // The master is in; the variant playlist is delayed: close the downloader under the session.
    await(downloader.close());
    HlsException error = awaitHlsFailure(opening);
    assertEquals(HlsException.Kind.CLOSED, error.kind());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> abr.peerState("early/video"), "not registered in ABR");
  }

  @Test
  void downloaderClosedMidPlay_failsTheTrack_withClosed_afterWhatItDelivered() throws Exception {
    startOrigin(io.abrfetch.origin.OriginOptions.builder()
        .ladder(smallLadder().bitratesBps(List.of(1_000_000L)).vodSegmentCount(30).build())
        .shaping(io.abrfetch.origin.LinkShaping.fixedRate(4_000_000,
            io.abrfetch.origin.LinkShaping.Scope.SHARED)));
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Reading video = read(session.video());
    waitFor(() -> video.segments.size() >= 2, 10_000);
    await(downloader.close());
    HlsException error = (HlsException) await(video.failed, 10);
    assertEquals(HlsException.Kind.CLOSED, error.kind());
    assertTrue(video.segments.size() < 30);
    assertContiguous(video.list());
    assertVideoPlaintext(video.list());
  }

  @Test
  void loneMediaPlaylist_playsAsOneTrack() throws Exception {
    startOrigin(smallLadder().build());
    startDownloader();
    HlsSession session = open(origin.baseUrl() + "/hls/v1/index.m3u8", fastOptions().build());
    Reading video = read(session.video());
    await(video.ended, 30);
    List<MediaSegment> segments = video.list();
    assertEquals(6, segments.size());
    for (MediaSegment s : segments) {
      assertEquals(0, s.variantIndex());
      assertArrayEquals(origin.ladder().segmentPlaintext(1, s.mediaSequence()),
          s.data().getBytes());
    }
    assertTrue(session.master().isEmpty());
  }

  @Test
  void closingTheSession_endsEveryRequestExactlyOnce_andEndsTheTracks() throws Exception {
    // A 3 Mbit/s link keeps requests on the wire when the session closes.
    startOrigin(io.abrfetch.origin.OriginOptions.builder()
        .ladder(smallLadder().audioRenditions(1).vodSegmentCount(30).build())
        .shaping(io.abrfetch.origin.LinkShaping.fixedRate(3_000_000,
            io.abrfetch.origin.LinkShaping.Scope.SHARED)));
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Reading video = read(session.video());
    Reading audio = read(session.audio().orElseThrow());
    while (video.segments.size() < 2) {
      Thread.sleep(10);
    }
    await(session.close());
    await(video.ended, 10);
    await(audio.ended, 10);
    await(session.close()); // idempotent
    java.util.Map<Long, Integer> endings = new java.util.HashMap<>();
    java.util.Set<Long> enqueued = new java.util.HashSet<>();
    for (FetchEvent e : fetchEvents) {
      if (!e.peerId().startsWith(session.sessionId() + "/")) {
        continue;
      }
      if (e instanceof FetchEvent.Enqueued) {
        enqueued.add(e.requestId());
      }
      if (e instanceof FetchEvent.Completed || e instanceof FetchEvent.Failed
          || e instanceof FetchEvent.Cancelled) {
        endings.merge(e.requestId(), 1, Integer::sum);
      }
    }
    assertFalse(enqueued.isEmpty());
    for (long id : enqueued) {
      assertEquals(1, endings.getOrDefault(id, 0), "request " + id + " ended once");
    }
    assertEquals(enqueued, endings.keySet());
    assertTrue(fetchEvents.stream().anyMatch(e -> e instanceof FetchEvent.Cancelled c
        && c.reason() == io.abrfetch.fetcher.CancelReason.PEER_CLOSED
        && c.peerId().startsWith(session.sessionId())), "a request was running at close");
    int before = fetchEvents.size();
    Thread.sleep(300);
    assertEquals(before, fetchEvents.size(), "no request after close");
    assertEquals(0, downloader.inFlight());
  }
}
