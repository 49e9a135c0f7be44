package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.OriginOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Playlist features the synthetic ladder does not produce, served from a directory by the real
 * origin: subtitles renditions, discontinuities, gap segments, {@code EXT-X-START}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HlsPlaylistFeaturesTest extends HlsTestBase {

  @TempDir
  Path dir;

  private void write(String name, String text) throws Exception {
    write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private void write(String name, byte[] bytes) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private static byte[] media(int n) {
    byte[] b = new byte[20_000 + n];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 7 + n);
    }
    return b;
  }

  private void writeStream() throws Exception {
    write("master.m3u8", """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,URI="subs/en.m3u8"
        #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Deutsch",LANGUAGE="de",DEFAULT=NO,AUTOSELECT=YES,URI="subs/de.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=500000,SUBTITLES="subs"
        v/index.m3u8
        """);
    write("v/index.m3u8", """
        #EXTM3U
        #EXT-X-VERSION:8
        #EXT-X-TARGETDURATION:2
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXTINF:2.0,
        seg0.ts
        #EXTINF:2.0,
        seg1.ts
        #EXT-X-DISCONTINUITY
        #EXTINF:2.0,
        seg2.ts
        #EXT-X-GAP
        #EXTINF:2.0,
        seg3.ts
        #EXTINF:2.0,
        seg4.ts
        #EXT-X-ENDLIST
        """);
    for (int i = 0; i < 5; i++) {
      if (i != 3) {
        write("v/seg" + i + ".ts", media(i));
      }
    }
    for (String lang : List.of("en", "de")) {
      write("subs/" + lang + ".m3u8", """
          #EXTM3U
          #EXT-X-TARGETDURATION:5
          #EXT-X-PLAYLIST-TYPE:VOD
          #EXTINF:5.0,
          %s0.vtt
          #EXTINF:5.0,
          %s1.vtt
          #EXT-X-ENDLIST
          """.formatted(lang, lang));
      for (int i = 0; i < 2; i++) {
        write("subs/" + lang + i + ".vtt", "WEBVTT\n\n00:00:0" + i + ".000 --> 00:00:0" + i
            + ".500\n" + lang + " line " + i + "\n");
      }
    }
  }

  @Test
  void subtitlesOnRequest_discontinuity_andGapSegments() throws Exception {
    writeStream();
    startOrigin(OriginOptions.builder().directory(dir));
    startDownloader();
    HlsSession session = open(origin.baseUrl() + "/master.m3u8",
        fastOptions().subtitlesLanguage("de").build());
    Track subtitlesTrack = session.subtitles().orElseThrow();
    assertEquals(TrackType.SUBTITLES, subtitlesTrack.type());
    assertEquals(2, session.tracks().size());
    Reading video = read(session.video());
    Reading subtitles = read(subtitlesTrack);
    await(video.ended, 30);
    await(subtitles.ended, 30);

    List<MediaSegment> v = video.list();
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), v.stream().map(MediaSegment::mediaSequence).toList());
    assertContiguous(v);
    for (MediaSegment s : v) {
      assertEquals(s.mediaSequence() == 2, s.discontinuity(), "discontinuity at " + s.mediaSequence());
      assertEquals(s.mediaSequence() == 3, s.gap(), "gap at " + s.mediaSequence());
      if (!s.gap()) {
        assertArrayEquals(media((int) s.mediaSequence()), s.data().getBytes());
      }
    }
    assertEquals(0, v.get(3).sizeBytes(), "a gap segment has no bytes");
    assertEquals(1, v.get(2).discontinuitySequence());
    assertEquals(0, origin.stats().requests("/v/seg3.ts"), "a gap segment is never fetched");

    List<MediaSegment> t = subtitles.list();
    assertEquals(2, t.size());
    for (MediaSegment s : t) {
      assertEquals(TrackType.SUBTITLES, s.type());
      assertTrue(s.data().toString().contains("de line " + s.mediaSequence()), s.data().toString());
    }
    assertEquals(0, origin.stats().requests("/subs/en.m3u8"));
  }

  @Test
  void noSubtitlesUnlessAsked() throws Exception {
    writeStream();
    startOrigin(OriginOptions.builder().directory(dir));
    startDownloader();
    HlsSession session = open(origin.baseUrl() + "/master.m3u8", fastOptions().build());
    assertTrue(session.subtitles().isEmpty());
    await(read(session.video()).ended, 30);
    assertEquals(0, origin.stats().requests("/subs/en.m3u8")
        + origin.stats().requests("/subs/de.m3u8"));
  }

  @Test
  void extXStart_startsAtItsTimeOffset() throws Exception {
    writeStream();
    write("v/start.m3u8", """
        #EXTM3U
        #EXT-X-TARGETDURATION:2
        #EXT-X-START:TIME-OFFSET=4.5
        #EXTINF:2.0,
        seg0.ts
        #EXTINF:2.0,
        seg1.ts
        #EXTINF:2.0,
        seg2.ts
        #EXTINF:2.0,
        seg4.ts
        #EXT-X-ENDLIST
        """);
    startOrigin(OriginOptions.builder().directory(dir));
    startDownloader();
    HlsSession session = open(origin.baseUrl() + "/v/start.m3u8", fastOptions().build());
    Reading video = read(session.video());
    await(video.ended, 30);
    List<MediaSegment> v = video.list();
    assertEquals(List.of(2L, 3L), v.stream().map(MediaSegment::mediaSequence).toList());
    assertEquals(4_000_000, v.get(0).startUs());
    assertFalse(video.failed.isDone());
    assertEquals(0, origin.stats().requests("/v/seg0.ts"));
  }
}
