package io.abrfetch.playlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LiveReloadScheduleTest {

  private static final URI BASE = URI.create("https://cdn.example.com/live/index.m3u8");
  private static final long TARGET_S = 6;
  private static final long TARGET_NANOS = TimeUnit.SECONDS.toNanos(TARGET_S);

  private long nowNanos = 1_000_000_000L;
  private final LiveReloadSchedule schedule = new LiveReloadSchedule(() -> nowNanos);
  private final PlaylistParser parser = new PlaylistParser();

  /** A live window of {@code count} 6-second segments starting at {@code firstSequence}. */
  private MediaPlaylist window(long firstSequence, int count, boolean endList) {
    StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:" + TARGET_S
        + "\n#EXT-X-MEDIA-SEQUENCE:" + firstSequence + "\n");
    for (long s = firstSequence; s < firstSequence + count; s++) {
      text.append("#EXTINF:6.0,\nseg").append(s).append(".ts\n");
    }
    if (endList) {
      text.append("#EXT-X-ENDLIST\n");
    }
    return (MediaPlaylist) parser.parse(BASE, text.toString());
  }

  private static List<Long> sequences(List<Segment> segments) {
    return segments.stream().map(Segment::mediaSequence).toList();
  }

  @Test
  void firstLoad_addsEverySegment_andReloadsOneTargetDurationAfterLoadStarted() {
    long loadStarted = nowNanos;
    nowNanos += 300_000_000L; // the load took 300 ms
    ReloadOutcome outcome = schedule.onPlaylist(window(10, 3, false), loadStarted);
    ReloadOutcome.Advanced advanced = assertInstanceOf(ReloadOutcome.Advanced.class, outcome);
    assertEquals(List.of(10L, 11L, 12L), sequences(advanced.newSegments()));
    assertEquals(0, advanced.missedSegments());
    assertEquals(loadStarted + TARGET_NANOS, outcome.nextReloadAtNanos());
    assertEquals(TARGET_NANOS - 300_000_000L, schedule.delayUntilNextReloadNanos());
  }

  @Test
  void changedReload_mergesWithoutDuplicates_andWaitsOneTargetDuration() {
    schedule.onPlaylist(window(10, 3, false), nowNanos);
    nowNanos += TARGET_NANOS;
    long loadStarted = nowNanos;
    ReloadOutcome outcome = schedule.onPlaylist(window(11, 3, false), loadStarted);
    assertEquals(List.of(13L), sequences(outcome.newSegments()));
    assertEquals(List.of(10L, 11L, 12L, 13L), sequences(schedule.segments()));
    assertEquals(loadStarted + TARGET_NANOS, outcome.nextReloadAtNanos());
  }

  @Test
  void mergedSegments_areRetimedOntoOneContinuousTimeline() {
    schedule.onPlaylist(window(10, 2, false), nowNanos);
    nowNanos += TARGET_NANOS;
    schedule.onPlaylist(window(11, 2, false), nowNanos);
    List<Segment> known = schedule.segments();
    for (int i = 0; i < known.size(); i++) {
      assertEquals(i * 6_000_000L, known.get(i).startUs(), "segment " + known.get(i).mediaSequence());
    }
  }

  @Test
  void unchangedReload_waitsHalfTargetDuration() {
    schedule.onPlaylist(window(10, 3, false), nowNanos);
    nowNanos += TARGET_NANOS;
    long loadStarted = nowNanos;
    ReloadOutcome outcome = schedule.onPlaylist(window(10, 3, false), loadStarted);
    assertInstanceOf(ReloadOutcome.Unchanged.class, outcome);
    assertEquals(loadStarted + TARGET_NANOS / 2, outcome.nextReloadAtNanos());
    assertEquals(List.of(10L, 11L, 12L), sequences(schedule.segments()));
  }

  @Test
  void stuck_atExactlyThreeTargetDurationsWithoutNewSegment_notOneNanoEarlier() {
    schedule.onPlaylist(window(10, 3, false), nowNanos);
    long lastNew = nowNanos;
    nowNanos = lastNew + 3 * TARGET_NANOS - 1;
    assertInstanceOf(ReloadOutcome.Unchanged.class, schedule.onPlaylist(window(10, 3, false), nowNanos));
    nowNanos = lastNew + 3 * TARGET_NANOS;
    ReloadOutcome.Stuck stuck = assertInstanceOf(ReloadOutcome.Stuck.class,
        schedule.onPlaylist(window(10, 3, false), nowNanos));
    assertEquals(3 * TARGET_NANOS, stuck.sinceLastNewSegmentNanos());
    assertEquals(nowNanos + TARGET_NANOS / 2, stuck.nextReloadAtNanos());
    nowNanos += TARGET_NANOS / 2;
    assertInstanceOf(ReloadOutcome.Advanced.class, schedule.onPlaylist(window(10, 4, false), nowNanos));
  }

  @Test
  void nanosSinceLastNewSegment_growsWithTheClock_andResetsOnNewSegment() {
    assertThrows(IllegalArgumentException.class, schedule::nanosSinceLastNewSegment);
    schedule.onPlaylist(window(10, 3, false), nowNanos);
    nowNanos += 5 * TARGET_NANOS; // e.g. every reload failed meanwhile
    assertEquals(5 * TARGET_NANOS, schedule.nanosSinceLastNewSegment());
    schedule.onPlaylist(window(10, 4, false), nowNanos);
    assertEquals(0, schedule.nanosSinceLastNewSegment());
  }

  @Test
  void mediaSequenceGoingBackwards_isReported_andNotMerged() {
    schedule.onPlaylist(window(100, 3, false), nowNanos);
    nowNanos += TARGET_NANOS;
    ReloadOutcome.WentBackwards back = assertInstanceOf(ReloadOutcome.WentBackwards.class,
        schedule.onPlaylist(window(5, 3, false), nowNanos));
    assertEquals(100, back.previousMediaSequence());
    assertEquals(5, back.reloadedMediaSequence());
    assertEquals(nowNanos + TARGET_NANOS / 2, back.nextReloadAtNanos());
    assertEquals(List.of(100L, 101L, 102L), sequences(schedule.segments()));
  }

  @Test
  void windowThatSlidPastUnseenSegments_restartsKnownSegments_andCountsTheMissed() {
    schedule.onPlaylist(window(10, 3, false), nowNanos); // knows 10..12
    nowNanos += 10 * TARGET_NANOS;
    ReloadOutcome.Advanced advanced = assertInstanceOf(ReloadOutcome.Advanced.class,
        schedule.onPlaylist(window(20, 3, false), nowNanos));
    assertEquals(7, advanced.missedSegments()); // 13..19
    assertEquals(List.of(20L, 21L, 22L), sequences(schedule.segments()));
  }

  @Test
  void endList_endsReloading_withTheLastNewSegments() {
    schedule.onPlaylist(window(10, 3, false), nowNanos);
    nowNanos += TARGET_NANOS;
    ReloadOutcome.Ended ended = assertInstanceOf(ReloadOutcome.Ended.class,
        schedule.onPlaylist(window(10, 4, true), nowNanos));
    assertEquals(List.of(13L), sequences(ended.newSegments()));
    assertEquals(Long.MAX_VALUE, schedule.nextReloadAtNanos());
    assertEquals(Long.MAX_VALUE, schedule.delayUntilNextReloadNanos());
    assertTrue(schedule.hasEnded());
  }

  @Test
  void discardBefore_dropsPlayedSegments_withoutReaddingThemOnReload() {
    schedule.onPlaylist(window(10, 3, false), nowNanos);
    schedule.discardBefore(13);
    assertEquals(List.of(), schedule.segments());
    nowNanos += TARGET_NANOS;
    ReloadOutcome outcome = schedule.onPlaylist(window(11, 3, false), nowNanos);
    assertEquals(List.of(13L), sequences(outcome.newSegments()));
    assertEquals(14, schedule.nextMediaSequence());
  }

  @Test
  void deltaUpdateWithSkippedSegments_mergesByMediaSequence() {
    schedule.onPlaylist(window(100, 5, false), nowNanos); // 100..104
    MediaPlaylist delta = (MediaPlaylist) parser.parse(BASE, "#EXTM3U\n#EXT-X-TARGETDURATION:6\n"
        + "#EXT-X-MEDIA-SEQUENCE:100\n#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n"
        + "#EXTINF:6.0,\nseg103.ts\n#EXTINF:6.0,\nseg104.ts\n#EXTINF:6.0,\nseg105.ts\n");
    nowNanos += TARGET_NANOS;
    ReloadOutcome outcome = schedule.onPlaylist(delta, nowNanos);
    assertEquals(List.of(105L), sequences(outcome.newSegments()));
    assertEquals(List.of(100L, 101L, 102L, 103L, 104L, 105L), sequences(schedule.segments()));
  }
}
