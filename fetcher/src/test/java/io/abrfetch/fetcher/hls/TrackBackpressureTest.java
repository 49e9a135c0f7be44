package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.fetcher.FetchEvent;
import io.abrfetch.fetcher.RequestPriority;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Track's backpressure: a paused reader bounds the look-ahead; a waiting one is urgent. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrackBackpressureTest extends HlsTestBase {

  private List<FetchEvent.Enqueued> segmentRequests() {
    return fetchEvents.stream()
        .filter(e -> e instanceof FetchEvent.Enqueued q && q.url().contains("/seg"))
        .map(e -> (FetchEvent.Enqueued) e)
        .toList();
  }

  @Test
  void pausedReader_stopsFetchingAtTheTargetBuffer_andFetchResumesIt() throws Exception {
    startOrigin(smallLadder().bitratesBps(List.of(300_000L)).vodSegmentCount(20).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().targetBufferUs(3_000_000).build());
    Track track = session.video();
    Reading reading = new Reading();
    track.pause();
    track.handler(reading.segments::add);
    waitFor(() -> track.queuedSegments() == 3, 10_000);
    Thread.sleep(500);
    assertEquals(3, track.queuedSegments(), "3 s of 1 s segments fill the 3 s window");
    assertEquals(3_000_000, track.queuedDurationUs());
    assertEquals(3, segmentRequests().size(), "no fetch beyond the window");
    assertTrue(reading.segments.isEmpty());
    for (FetchEvent.Enqueued e : segmentRequests()) {
      assertEquals(RequestPriority.PREFETCH, e.priority(), "nobody waits: prefetch");
    }
    track.fetch(2);
    waitFor(() -> reading.segments.size() == 2 && segmentRequests().size() == 5, 10_000);
    Thread.sleep(300);
    assertEquals(5, segmentRequests().size(), "two taken, two refilled");
    assertEquals(List.of(0L, 1L),
        reading.list().stream().map(MediaSegment::mediaSequence).toList());
  }

  @Test
  void waitingReader_makesTheNextSegmentBlocking() throws Exception {
    startOrigin(smallLadder().bitratesBps(List.of(300_000L)).vodSegmentCount(20).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().targetBufferUs(2_000_000).build());
    Track track = session.video();
    Reading reading = new Reading();
    track.pause();
    track.handler(reading.segments::add);
    waitFor(() -> track.queuedSegments() == 2, 10_000);
    // Wants more than is queued: the reader is left waiting, so the next fetch is urgent.
    track.fetch(5);
    waitFor(() -> reading.segments.size() == 5, 10_000);
    List<FetchEvent.Enqueued> requests = segmentRequests();
    assertEquals(RequestPriority.PREFETCH, requests.get(0).priority());
    assertEquals(RequestPriority.PREFETCH, requests.get(1).priority());
    assertEquals(RequestPriority.BLOCKING, requests.get(2).priority(),
        "segment 2 was requested while the reader waited");
    assertContiguous(reading.list());
    assertVideoPlaintext(reading.list());
  }

  @Test
  void handlersSetAfterTheEnd_stillHearOfIt() throws Exception {
    startOrigin(smallLadder().bitratesBps(List.of(300_000L)).vodSegmentCount(2).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Track track = session.video();
    Reading reading = new Reading();
    track.pause();
    track.handler(reading.segments::add);
    waitFor(() -> track.queuedSegments() == 2, 10_000);
    track.endHandler(v -> reading.ended.complete(null));
    track.resume();
    await(reading.ended, 10);
    assertEquals(2, reading.segments.size());
    assertTrue(track.isEnded());
  }
}
