package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The alternate audio rendition: chosen by language or default, in sync with the video. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HlsAudioTest extends HlsTestBase {

  @Test
  void alternateAudio_byLanguage_coversTheSameMediaTimeAsTheVideo() throws Exception {
    startOrigin(smallLadder().audioRenditions(3).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().audioLanguage("DE").build());
    Track audioTrack = session.audio().orElseThrow();
    assertEquals(TrackType.AUDIO, audioTrack.type());
    assertEquals(session.sessionId() + "/audio", audioTrack.peerId());
    Reading video = read(session.video());
    Reading audio = read(audioTrack);
    await(video.ended, 30);
    await(audio.ended, 30);
    List<MediaSegment> v = video.list();
    List<MediaSegment> a = audio.list();
    assertEquals(6, a.size());
    assertEquals(v.size(), a.size());
    assertContiguous(a);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(v.get(i).mediaSequence(), a.get(i).mediaSequence());
      assertEquals(v.get(i).startUs(), a.get(i).startUs(), "same media time range");
      assertEquals(v.get(i).endUs(), a.get(i).endUs(), "same media time range");
      // Rendition 1 is the "de" one on the synthetic origin.
      assertArrayEquals(origin.ladder().audioSegmentPlaintext(1, a.get(i).mediaSequence()),
          a.get(i).data().getBytes(), "audio segment " + a.get(i).mediaSequence());
      assertEquals(TrackType.AUDIO, a.get(i).type());
    }
    assertVideoPlaintext(v);
    assertTrue(origin.stats().requests("/hls/a0/index.m3u8") == 0, "the default one is not used");
  }

  @Test
  void alternateAudio_withoutPreference_isTheDefaultRendition() throws Exception {
    startOrigin(smallLadder().audioRenditions(2).vodSegmentCount(3).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions().build());
    Reading audio = read(session.audio().orElseThrow());
    read(session.video());
    await(audio.ended, 30);
    for (MediaSegment s : audio.list()) {
      assertArrayEquals(origin.ladder().audioSegmentPlaintext(0, s.mediaSequence()),
          s.data().getBytes());
    }
    assertEquals(3, audio.list().size());
  }

  @Test
  void audioDisabled_opensOnlyTheVideo() throws Exception {
    startOrigin(smallLadder().audioRenditions(1).vodSegmentCount(2).build());
    startDownloader();
    HlsSession session = open(origin.masterPlaylistUrl(),
        fastOptions().audioEnabled(false).build());
    assertTrue(session.audio().isEmpty());
    assertEquals(1, session.tracks().size());
    await(read(session.video()).ended, 30);
  }
}
