package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.Fault;
import io.abrfetch.origin.OriginOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Live playlists: the live edge, following the window, reload failures, a stuck playlist. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HlsLiveTest extends HlsTestBase {

  @Test
  void live_startsAtTheEdge_followsTheWindowInOrder_acrossAnUpSwitch_withAudioInSync()
      throws Exception {
    // Segments of 125 kB and more: large enough to be bandwidth samples.
    startOrigin(smallLadder().bitratesBps(List.of(1_000_000L, 3_000_000L)).live(true)
        .windowSegments(6).audioRenditions(1).build());
    startDownloader();
    long availableAtOpen = origin.ladder().segmentsAvailable();
    // Starts on the lowest variant; the unshaped loopback link and a player that reports 20 s
    // buffered downstream (the throughput rule wants 10 s before switching up) make ABR go up.
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().initialVariantIndex(0).build());
    session.video().reportBufferedUs(20_000_000);
    Reading video = read(session.video());
    Reading audio = read(session.audio().orElseThrow());
    // Three segments are listed after the start; three more must come from reloads.
    waitFor(() -> video.segments.size() >= 6 && audio.segments.size() >= 6, 15_000);
    List<MediaSegment> v = video.list();
    List<MediaSegment> a = audio.list();
    long first = v.get(0).mediaSequence();
    assertTrue(first >= availableAtOpen - 3 && first <= availableAtOpen - 2,
        "start " + first + " is 3 target durations before the end of " + availableAtOpen);
    assertEquals(0, v.get(0).startUs());
    assertContiguous(v);
    assertVideoPlaintext(v);
    assertTrue(v.get(5).mediaSequence() >= availableAtOpen, "segments published after open");
    for (int i = 0; i < 6; i++) {
      assertEquals(v.get(i).mediaSequence(), a.get(i).mediaSequence());
      assertEquals(v.get(i).startUs(), a.get(i).startUs());
      assertArrayEquals(origin.ladder().audioSegmentPlaintext(0, a.get(i).mediaSequence()),
          a.get(i).data().getBytes());
    }
    List<HlsEvent.TrackStarted> started = events(HlsEvent.TrackStarted.class);
    assertEquals(2, started.size());
    assertTrue(started.get(0).live());
    assertFalse(video.ended.isDone(), "a live track does not end");
    assertEquals(0, v.get(0).variantIndex());
    assertTrue(v.stream().anyMatch(MediaSegment::variantChanged), "switched variant while live");
    assertFalse(events(HlsEvent.VariantSwitched.class).isEmpty());
  }

  @Test
  void stuckPlaylist_isReported_andPlaybackResumesWhenItMovesAgain() throws Exception {
    AtomicLong originClock = new AtomicLong(1_000_000_000L);
    startOrigin(OriginOptions.builder().nanoClock(originClock::get)
        .ladder(smallLadder().bitratesBps(List.of(300_000L)).live(true).windowSegments(6)
            .build()));
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Reading video = read(session.video());
    waitFor(() -> video.segments.size() >= 3, 10_000);
    waitFor(() -> !events(HlsEvent.PlaylistStuck.class).isEmpty(), 10_000);
    HlsEvent.PlaylistStuck stuck = events(HlsEvent.PlaylistStuck.class).get(0);
    assertTrue(stuck.sinceLastNewSegmentNanos() >= Duration.ofSeconds(3).toNanos(),
        "three target durations of 1 s: " + stuck.sinceLastNewSegmentNanos());
    assertEquals(3, video.segments.size(), "nothing new to play while stuck");
    Thread.sleep(1_200); // two more reloads of the stuck playlist
    assertEquals(1, events(HlsEvent.PlaylistStuck.class).size(), "reported once per episode");
    originClock.addAndGet(Duration.ofSeconds(1).toNanos());
    waitFor(() -> video.segments.size() >= 4, 10_000);
    assertContiguous(video.list());
    assertVideoPlaintext(video.list());
  }

  @Test
  void windowSlidingPastAPausedReader_resumesAtTheWindow_withADiscontinuity() throws Exception {
    AtomicLong originClock = new AtomicLong(1_000_000_000L);
    startOrigin(OriginOptions.builder().nanoClock(originClock::get)
        .ladder(smallLadder().bitratesBps(List.of(300_000L)).live(true).windowSegments(6)
            .build()));
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().targetBufferUs(2_000_000).build());
    Track track = session.video();
    Reading reading = new Reading();
    track.pause();
    track.handler(reading.segments::add);
    waitFor(() -> track.queuedSegments() == 2, 10_000);
    // Ten segments later the window (6) no longer holds sequence 5, the next one to fetch.
    originClock.addAndGet(Duration.ofSeconds(10).toNanos());
    Thread.sleep(1_500); // a reload or two
    track.resume();
    waitFor(() -> reading.segments.size() >= 4, 10_000);
    List<MediaSegment> segments = reading.list();
    assertEquals(List.of(3L, 4L), segments.subList(0, 2).stream()
        .map(MediaSegment::mediaSequence).toList());
    HlsEvent.SegmentsMissed missed = events(HlsEvent.SegmentsMissed.class).get(0);
    assertEquals(segments.get(2).mediaSequence(), missed.resumedAtSequence());
    assertEquals(missed.resumedAtSequence() - 5, missed.count());
    assertTrue(missed.resumedAtSequence() >= 10, "resumed inside the slid window");
    assertTrue(segments.get(2).discontinuity(), "the decoder must reset after the jump");
    assertFalse(segments.get(3).discontinuity());
    assertVideoPlaintext(segments);
  }

  @Test
  void reloadFailures_areSurvived_forAWhile() throws Exception {
    startOrigin(smallLadder().bitratesBps(List.of(300_000L)).live(true).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Reading video = read(session.video());
    waitFor(() -> video.segments.size() >= 3, 10_000);
    // More 503s than the downloader's own attempts: at least one reload fails.
    origin.faults().add("/hls/v0/index.m3u8", Fault.Status.of(503), 6);
    waitFor(() -> !events(HlsEvent.ReloadFailed.class).isEmpty(), 10_000);
    int before = video.segments.size();
    waitFor(() -> video.segments.size() >= before + 2, 10_000);
    assertContiguous(video.list());
    assertVideoPlaintext(video.list());
    assertFalse(video.failed.isDone());
  }

  @Test
  void reloadsFailingLongerThanTheTolerance_failTheTrack_withReloadFailing() throws Exception {
    startOrigin(smallLadder().bitratesBps(List.of(300_000L)).live(true).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().reloadFailureTolerance(Duration.ofMillis(1500)).build());
    Reading video = read(session.video());
    waitFor(() -> video.segments.size() >= 3, 10_000);
    origin.faults().add("/hls/v0/index.m3u8", Fault.Status.of(404));
    HlsException error = (HlsException) await(video.failed, 20);
    assertEquals(HlsException.Kind.RELOAD_FAILING, error.kind());
    assertTrue(events(HlsEvent.ReloadFailed.class).size() >= 2);
  }
}
