package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.fetcher.hls.HlsEvent;
import io.abrfetch.fetcher.hls.HlsException;
import io.abrfetch.fetcher.hls.MediaSegment;
import io.abrfetch.fetcher.hls.TrackType;
import io.abrfetch.origin.Fault;
import io.abrfetch.origin.OriginOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The headless player end to end against a real synthetic origin. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeadlessPlayerTest extends PlayerTestBase {

  @Test
  void vod_playsToTheEnd_withAudio_andScoresEveryChunk() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().build()));
    startDownloader();
    RecordingSink sink = new RecordingSink();
    HeadlessPlayer player = play(origin.masterPlaylistUrl(), fastOptions(4).build(), sink);
    PlayerResult result = await(player.result());

    assertEquals(PlayerResult.END_OF_STREAM, result.endReason());
    assertEquals(8_000_000, result.playedUs(), "every second of the 8 s stream played");
    assertEquals(16, result.segments(), "8 video and 8 audio segments");
    assertEquals(8, result.chunks().size());
    assertEquals(8, result.qoe().chunks());
    assertTrue(result.qoe().hasStarted());
    assertEquals(PlaybackState.ENDED, result.qoe().state());
    assertEquals(1, events(PlayerEvent.Started.class).size());
    assertInstanceOf(PlayerEvent.Ended.class, events.get(events.size() - 1));
    assertFalse(events(PlayerEvent.Progress.class).isEmpty(), "progress every 200 ms");
    assertEquals(PlaybackState.ENDED, player.status().state());
    assertEquals(8, result.toJson().getJsonArray("qoePerChunk").size());
    assertEquals(16, sink.written.size(), "everything played was written");
    assertEquals(1, sink.closes.get(), "the sink is closed once");
    long bytes = 0;
    for (MediaSegment s : sink.written) {
      bytes += s.sizeBytes();
    }
    assertEquals(result.bytes(), bytes);
  }

  @Test
  void alternateAudio_isWrittenInStepWithTheVideo() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().build()));
    startDownloader();
    RecordingSink sink = new RecordingSink();
    PlayerResult result = await(play(origin.masterPlaylistUrl(), fastOptions(4).build(), sink)
        .result());

    List<MediaSegment> video = sink.of(TrackType.VIDEO);
    List<MediaSegment> audio = sink.of(TrackType.AUDIO);
    assertEquals(8, video.size());
    assertEquals(8, audio.size());
    for (int i = 0; i < 8; i++) {
      // Same media time range per segment on both tracks: buffered and played in sync.
      assertEquals(video.get(i).mediaSequence(), audio.get(i).mediaSequence());
      assertEquals(video.get(i).startUs(), audio.get(i).startUs(), "segment " + i);
      assertEquals(video.get(i).endUs(), audio.get(i).endUs(), "segment " + i);
    }
    // Play order: nothing is written before everything that starts earlier on the other track.
    long lastStartUs = Long.MIN_VALUE;
    for (MediaSegment s : sink.written) {
      assertTrue(s.startUs() >= lastStartUs, "written out of media order at " + s);
      lastStartUs = s.startUs();
    }
    assertEquals(8_000_000, result.playedUs());
  }

  @Test
  void aes128_segmentsReachTheSinkAsTheOriginsPlaintext() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().aes128(true).keyRotationSegments(3)
        .initSegments(true).build()));
    startDownloader();
    RecordingSink sink = new RecordingSink();
    await(play(origin.masterPlaylistUrl(), fastOptions(4).build(), sink).result());

    assertEquals(16, sink.written.size());
    for (MediaSegment s : sink.written) {
      assertTrue(s.encrypted(), "encrypted on the wire: " + s.uri());
      byte[] expected = s.type() == TrackType.VIDEO
          ? origin.ladder().segmentPlaintext(s.variantIndex(), s.mediaSequence())
          : origin.ladder().audioSegmentPlaintext(0, s.mediaSequence());
      assertArrayEquals(expected, s.data().getBytes(), s.type() + " " + s.mediaSequence());
    }
    MediaSegment first = sink.of(TrackType.VIDEO).get(0);
    assertNotNull(first.initSegment(), "the init section comes with the first segment");
    assertArrayEquals(origin.ladder().initSegment(first.variantIndex()),
        first.initSegment().getBytes());
  }

  @Test
  void live_playsForTheMaximumDuration_thenStops() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().live(true).windowSegments(6)
        .build()));
    startDownloader();
    // Live media is published in real time: play it at real speed.
    HeadlessPlayer player = play(origin.masterPlaylistUrl(), fastOptions(1)
        .maxPlayDurationUs(3_000_000).build(), MediaSink.discard());
    PlayerResult result = await(player.result());

    assertEquals(PlayerResult.MAX_DURATION, result.endReason());
    assertTrue(result.playedUs() >= 3_000_000 && result.playedUs() < 3_300_000,
        "played " + result.playedUs() + " us");
    assertEquals(PlaybackState.STOPPED, result.qoe().state());
    long firstSequence = events(PlayerEvent.Hls.class).stream()
        .filter(e -> e.event() instanceof HlsEvent.SegmentReady)
        .mapToLong(e -> ((HlsEvent.SegmentReady) e.event()).mediaSequence()).min().orElseThrow();
    assertTrue(firstSequence > 0, "started near the live edge, not at 0: " + firstSequence);
  }

  @Test
  void stuckSink_stopsTheReading_andThePlayerStalls_untilItDrains() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().vodSegmentCount(20).build()));
    startDownloader();
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    RecordingSink recorded = new RecordingSink();
    MediaSink stuck = new MediaSink() {
      @Override
      public io.vertx.core.Future<Void> write(MediaSegment segment) {
        return gate.future().compose(v -> recorded.write(segment));
      }

      @Override
      public io.vertx.core.Future<Void> close() {
        return recorded.close();
      }
    };
    HeadlessPlayer player = play(origin.masterPlaylistUrl(), fastOptions(4)
        .session(io.abrfetch.fetcher.hls.HlsSessionOptions.builder().targetBufferUs(4_000_000)
            .audioBitrateBps(64_000).build())
        .build(), stuck);
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (player.status().state() != PlaybackState.STALLED && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(PlaybackState.STALLED, player.status().state(), "a stuck sink stalls playback");
    long received = player.status().segments();
    Thread.sleep(500);
    assertEquals(received, player.status().segments(), "no reading while the sink is stuck");
    assertTrue(received < 40, "bounded: " + received + " of 40 segments read");

    vertx.runOnContext(v -> gate.complete());
    PlayerResult result = await(player.result());
    assertEquals(PlayerResult.END_OF_STREAM, result.endReason());
    assertEquals(40, recorded.written.size(), "everything written once the sink drained");
  }

  @Test
  void segmentGone_failsTheResult_withTheTypedHlsError() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().audioRenditions(0).build()));
    for (int v = 0; v < 3; v++) {
      origin.faults().add("/hls/v" + v + "/seg3.ts", Fault.Status.of(404));
    }
    startDownloader();
    RecordingSink sink = new RecordingSink();
    HeadlessPlayer player = play(origin.masterPlaylistUrl(), fastOptions(4).build(), sink);
    Throwable failure = awaitFailure(player.result());

    HlsException hls = assertInstanceOf(HlsException.class, failure);
    assertEquals(HlsException.Kind.SEGMENT, hls.kind());
    assertEquals(3, hls.mediaSequence());
    PlayerEvent last = events.get(events.size() - 1);
    assertEquals("SEGMENT", assertInstanceOf(PlayerEvent.Failed.class, last).kind());
    assertEquals(1, sink.closes.get());
    await(player.close());
  }

  @Test
  void missingPlaylist_failsTheStart() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().build()));
    startDownloader();
    RecordingSink sink = new RecordingSink();
    Throwable failure = awaitFailure(HeadlessPlayer.start(vertx, downloader, abr,
        origin.baseUrl() + "/hls/nothing.m3u8", fastOptions(4).build(), sink));

    assertEquals(HlsException.Kind.PLAYLIST_UNAVAILABLE,
        assertInstanceOf(HlsException.class, failure).kind());
    assertEquals(1, sink.closes.get(), "the sink is closed when the start fails");
  }

  @Test
  void badUrl_isATypedArgumentError() throws Exception {
    startDownloader();
    Throwable failure = awaitFailure(HeadlessPlayer.start(vertx, downloader, abr,
        "ftp://example/x.m3u8", fastOptions(4).build(), MediaSink.discard()));
    assertInstanceOf(IllegalArgumentException.class, failure);
    assertTrue(failure.getMessage().startsWith("url: ftp://example/x.m3u8"),
        failure.getMessage());
  }

  @Test
  void close_endsThePlayerOnce_withReasonClosed() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().vodSegmentCount(60).build()));
    startDownloader();
    HeadlessPlayer player = play(origin.masterPlaylistUrl(), fastOptions(1).build(),
        MediaSink.discard());
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (player.status().state() != PlaybackState.PLAYING && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    await(player.close());
    await(player.close());
    PlayerResult result = await(player.result());

    assertEquals(PlayerResult.CLOSED, result.endReason());
    assertEquals(PlaybackState.STOPPED, result.qoe().state());
    assertTrue(player.session().video().isEnded(), "the session's tracks are closed");
    int count = events.size();
    Thread.sleep(300);
    assertEquals(count, events.size(), "no event after the end (no timer left)");
    assertEquals(1, events(PlayerEvent.Ended.class).size());
    JsonObject status = player.status().toJson();
    assertEquals("stopped", status.getString("state"));
  }

  @Test
  void options_rejectBadValues_namingTheField() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> HeadlessPlayerOptions.builder().maxPlayDurationUs(-1).build());
    assertTrue(e.getMessage().startsWith("maxPlayDurationUs: -1"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> HeadlessPlayerOptions.builder().statusIntervalMs(0).build());
    assertTrue(e.getMessage().startsWith("statusIntervalMs: 0"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> HeadlessPlayerOptions.builder().session(null).build());
    assertTrue(e.getMessage().startsWith("session: null"), e.getMessage());
  }
}
