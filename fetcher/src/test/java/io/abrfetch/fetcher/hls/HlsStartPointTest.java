package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.abrfetch.playlist.Segment;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a track starts: the live edge, EXT-X-START, the first VOD segment. */
class HlsStartPointTest {

  private static List<Segment> segments(long... durationsUs) {
    List<Segment> out = new ArrayList<>();
    long startUs = 0;
    for (int i = 0; i < durationsUs.length; i++) {
      out.add(new Segment(100 + i, 0, URI.create("http://h/s" + i + ".ts"), durationsUs[i],
          startUs, null, null, null, null, false, null, false, List.of()));
      startUs += durationsUs[i];
    }
    return out;
  }

  @Test
  void live_startsThreeTargetDurationsFromTheEnd() {
    List<Segment> six = segments(4_000_000, 4_000_000, 4_000_000, 4_000_000, 4_000_000,
        4_000_000);
    assertEquals(3, StartPoint.startIndex(six, 4_000_000, null, true, 3));
  }

  @Test
  void live_holdbackOneMicrosecondShort_startsOneSegmentLater() {
    // The last three segments hold 12 s - 1 us: one more segment is needed to reach 12 s.
    List<Segment> s = segments(4_000_000, 4_000_000, 4_000_000, 3_999_999, 4_000_000,
        4_000_000);
    assertEquals(2, StartPoint.startIndex(s, 4_000_000, null, true, 3));
    List<Segment> exact = segments(4_000_000, 4_000_000, 4_000_000, 4_000_000, 4_000_000,
        4_000_000);
    assertEquals(3, StartPoint.startIndex(exact, 4_000_000, null, true, 3));
  }

  @Test
  void live_shortWindow_startsAtTheFirstSegment() {
    assertEquals(0, StartPoint.startIndex(segments(4_000_000, 4_000_000), 4_000_000, null,
        true, 3));
  }

  @Test
  void vod_startsAtTheFirstSegment() {
    assertEquals(0, StartPoint.startIndex(segments(1_000_000, 1_000_000, 1_000_000), 1_000_000,
        null, false, 3));
  }

  @Test
  void extXStart_positiveAndNegativeOffsets_pickTheSegmentContainingThatTime() {
    List<Segment> s = segments(2_000_000, 2_000_000, 2_000_000, 2_000_000);
    assertEquals(1, StartPoint.startIndex(s, 2_000_000, 2_000_000L, false, 3));
    assertEquals(0, StartPoint.startIndex(s, 2_000_000, 1_999_999L, false, 3));
    assertEquals(2, StartPoint.startIndex(s, 2_000_000, -3_000_000L, true, 3));
    assertEquals(3, StartPoint.startIndex(s, 2_000_000, 99_000_000L, true, 3));
    assertEquals(0, StartPoint.startIndex(s, 2_000_000, -99_000_000L, true, 3));
  }

  @Test
  void startOffset_isReadFromTheTag_orNullWhenAbsentOrBroken() {
    assertEquals(-7_500_000L, StartPoint.startOffsetUs(bytes(
        "#EXTM3U\n#EXT-X-START:TIME-OFFSET=-7.5,PRECISE=YES\n#EXT-X-TARGETDURATION:4\n")));
    assertEquals(12_000_000L, StartPoint.startOffsetUs(bytes(
        "#EXTM3U\r\n#EXT-X-START:PRECISE=NO,TIME-OFFSET=12\r\n")));
    assertNull(StartPoint.startOffsetUs(bytes("#EXTM3U\n#EXT-X-TARGETDURATION:4\n")));
    assertNull(StartPoint.startOffsetUs(bytes("#EXTM3U\n#EXT-X-START:TIME-OFFSET=abc\n")));
  }

  @Test
  void noSegments_noStart() {
    assertEquals(-1, StartPoint.startIndex(List.of(), 4_000_000, null, true, 3));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
