package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlaybackClockTest {
  /** A non-zero start, so every time the clock reports is checked as relative to it. */
  private static final long T0 = 7_000_000;
  private static final long MBPS = 1_000_000;
  private static final double EPS = 1e-9;

  private static PlaybackClock defaults() {
    return PlaybackClock.start(PlaybackClockOptions.defaults(), T0);
  }

  @Test
  void starts_whenBufferReachesStartupThresholdExactly() {
    PlaybackClock clock = defaults();
    clock.append(T0 + 300_000, /* durationUs= */ 2_000_000, MBPS, 0);

    assertEquals(PlaybackState.PLAYING, clock.state());
    assertEquals(300_000, clock.summary().startupUs());
    assertEquals(300, clock.summary().startupMs());
  }

  @Test
  void keepsStarting_whenBufferOneMicrosecondShortOfStartupThreshold() {
    PlaybackClock clock = defaults();
    clock.append(T0 + 300_000, /* durationUs= */ 1_999_999, MBPS, 0);
    clock.advance(T0 + 10_000_000);

    assertEquals(PlaybackState.STARTING, clock.state());
    assertFalse(clock.summary().hasStarted());
    assertEquals(QoeSummary.NOT_STARTED, clock.summary().startupMs());
    assertEquals(0, clock.positionUs());

    clock.append(T0 + 10_500_000, /* durationUs= */ 1, MBPS, 0);
    assertEquals(PlaybackState.PLAYING, clock.state());
    assertEquals(10_500_000, clock.summary().startupUs());
  }

  @Test
  void stalls_exactlyWhenBufferHitsZero() {
    PlaybackClock clock = defaults();
    clock.append(T0, /* durationUs= */ 2_000_000, MBPS, 0);

    assertEquals(PlaybackState.PLAYING, clock.advance(T0 + 1_999_999));
    assertEquals(1, clock.bufferUs());
    assertEquals(0, clock.summary().stallCount());

    assertEquals(PlaybackState.STALLED, clock.advance(T0 + 2_000_000));
    assertEquals(0, clock.bufferUs());
    assertEquals(1, clock.summary().stallCount());
    assertEquals(List.of(new TimelineMarker.StallStart(2_000_000, 2_000_000)), clock.markers());
  }

  @Test
  void stallStartsWhenBufferRanDry_evenWhenObservedLater() {
    PlaybackClock clock = defaults();
    clock.append(T0, /* durationUs= */ 2_000_000, MBPS, 0);

    clock.advance(T0 + 5_000_000);

    assertEquals(PlaybackState.STALLED, clock.state());
    assertEquals(2_000_000, clock.positionUs());
    assertEquals(3_000_000, clock.summary().stallUs());
    assertEquals(List.of(new TimelineMarker.StallStart(2_000_000, 2_000_000)), clock.markers());
  }

  @Test
  void resumes_whenBufferReachesRebufferThresholdExactly_notOneMicrosecondEarlier() {
    PlaybackClock clock = PlaybackClock.start(
        PlaybackClockOptions.builder().rebufferThresholdUs(3_000_000).build(), T0);
    clock.append(T0, 2_000_000, MBPS, 0);
    clock.advance(T0 + 2_500_000);
    assertEquals(PlaybackState.STALLED, clock.state());

    clock.append(T0 + 3_000_000, /* durationUs= */ 2_999_999, MBPS, 0);
    assertEquals(PlaybackState.STALLED, clock.state());
    assertEquals(2_999_999, clock.bufferUs());

    clock.append(T0 + 4_000_000, /* durationUs= */ 1, MBPS, 0);
    assertEquals(PlaybackState.PLAYING, clock.state());
    QoeSummary q = clock.summary();
    assertEquals(1, q.stallCount());
    assertEquals(2_000_000, q.stallUs());
    assertEquals(new TimelineMarker.StallEnd(4_000_000, 2_000_000), clock.markers().get(1));
  }

  @Test
  void chunkAppendedTheMicrosecondBufferRunsDry_isNotAStall() {
    PlaybackClock clock = defaults();
    clock.append(T0, 2_000_000, MBPS, 0);
    assertEquals(PlaybackState.STALLED, clock.advance(T0 + 2_000_000));

    ChunkQoe chunk = clock.append(T0 + 2_000_000, 2_000_000, MBPS, 0);

    assertEquals(PlaybackState.PLAYING, clock.state());
    assertEquals(0, chunk.rebufferUs());
    assertEquals(0, clock.summary().stallCount());
    assertEquals(0, clock.summary().stallUs());
    assertEquals(List.of(), clock.markers());
  }

  @Test
  void endsInsteadOfStalling_afterEndOfStream() {
    PlaybackClock clock = defaults();
    clock.append(T0, 4_000_000, MBPS, 0);
    clock.endOfStream(T0 + 1_000_000);

    assertEquals(PlaybackState.PLAYING, clock.advance(T0 + 3_999_999));
    assertEquals(PlaybackState.ENDED, clock.advance(T0 + 9_000_000));
    QoeSummary q = clock.summary();
    assertEquals(0, q.stallCount());
    assertEquals(4_000_000, q.playedUs());
    assertEquals(4_000_000, q.sessionUs(), "the session ends when the last frame played");
    assertThrows(IllegalStateException.class, () -> clock.append(T0 + 9_000_000, 1, MBPS, 0));
  }

  @Test
  void endOfStream_startsPlaybackBelowStartupThreshold() {
    PlaybackClock clock = defaults();
    clock.append(T0 + 100_000, 500_000, MBPS, 0);
    assertEquals(PlaybackState.STARTING, clock.state());

    clock.endOfStream(T0 + 200_000);

    assertEquals(PlaybackState.PLAYING, clock.state());
    assertEquals(200_000, clock.summary().startupUs());
    assertEquals(PlaybackState.ENDED, clock.advance(T0 + 700_000));
  }

  @Test
  void endOfStream_endsAStallWithWhateverIsBuffered() {
    PlaybackClock clock = defaults();
    clock.append(T0, 2_000_000, MBPS, 0);
    clock.advance(T0 + 3_000_000);
    clock.append(T0 + 4_000_000, /* durationUs= */ 1_000_000, MBPS, 0);
    assertEquals(PlaybackState.STALLED, clock.state(), "1 s is under the rebuffer threshold");

    clock.endOfStream(T0 + 4_500_000);

    assertEquals(PlaybackState.PLAYING, clock.state());
    assertEquals(2_500_000, clock.summary().stallUs());
    assertEquals(PlaybackState.ENDED, clock.advance(T0 + 6_000_000));
    assertEquals(3_000_000, clock.summary().playedUs());
  }

  @Test
  void endOfStream_withNothingBuffered_endsAtOnce() {
    PlaybackClock clock = defaults();
    clock.endOfStream(T0 + 1_000);

    assertEquals(PlaybackState.ENDED, clock.state());
    assertFalse(clock.summary().hasStarted());
    assertEquals(1_000, clock.summary().sessionUs());
  }

  @Test
  void stop_duringStall_countsTheStallUpToTheStop() {
    PlaybackClock clock = defaults();
    clock.append(T0, 2_000_000, MBPS, 0);
    clock.stop(T0 + 3_500_000);

    QoeSummary q = clock.summary();
    assertEquals(PlaybackState.STOPPED, q.state());
    assertEquals(1, q.stallCount());
    assertEquals(1_500_000, q.stallUs());
    assertEquals(new TimelineMarker.StallEnd(3_500_000, 1_500_000), clock.markers().get(1));
    clock.stop(T0 + 9_000_000);
    assertEquals(3_500_000, clock.summary().sessionUs(), "a second stop changes nothing");
    assertThrows(IllegalStateException.class, () -> clock.endOfStream(T0 + 9_000_000));
  }

  @Test
  void summary_countsAStallInProgress() {
    PlaybackClock clock = defaults();
    clock.append(T0, 2_000_000, MBPS, 0);
    clock.advance(T0 + 2_750_000);

    assertEquals(1, clock.summary().stallCount());
    assertEquals(750_000, clock.summary().stallUs());
    assertEquals(Long.MAX_VALUE, clock.bufferEmptyAtUs());
  }

  @Test
  void fasterRate_consumesMediaFaster_andKeepsStallTimeInClockTime() {
    PlaybackClock clock = PlaybackClock.start(
        PlaybackClockOptions.builder().playbackRate(4.0).build(), T0);
    clock.append(T0, 4_000_000, MBPS, 0);

    assertEquals(T0 + 1_000_000, clock.bufferEmptyAtUs());
    assertEquals(PlaybackState.PLAYING, clock.advance(T0 + 999_999));
    assertEquals(3_999_996, clock.positionUs());
    assertEquals(PlaybackState.STALLED, clock.advance(T0 + 1_000_000));
    clock.append(T0 + 1_500_000, 4_000_000, MBPS, 0);
    assertEquals(500_000, clock.summary().stallUs());
  }

  @Test
  void fractionalRate_findsTheFirstMicrosecondTheBufferIsEmpty() {
    PlaybackClock clock = PlaybackClock.start(
        PlaybackClockOptions.builder().playbackRate(3.0).build(), T0);
    clock.append(T0, 4_000_000, MBPS, 0);

    // 4 s / 3 = 1_333_333.33 us: floor(1_333_333 * 3) = 3_999_999 < 4 s, 1_333_334 * 3 >= 4 s.
    assertEquals(T0 + 1_333_334, clock.bufferEmptyAtUs());
    assertEquals(PlaybackState.PLAYING, clock.advance(T0 + 1_333_333));
    assertEquals(3_999_999, clock.positionUs());
    assertEquals(PlaybackState.STALLED, clock.advance(T0 + 1_333_334));
  }

  @Test
  void positionReachedAt_isTheFirstMicrosecondAtOrPastTheTarget() {
    PlaybackClock clock = PlaybackClock.start(
        PlaybackClockOptions.builder().playbackRate(3.0).build(), T0);
    clock.append(T0, 4_000_000, MBPS, 0);

    // 1 s / 3 = 333_333.33 us: floor(333_333 * 3) = 999_999, floor(333_334 * 3) = 1_000_002.
    assertEquals(T0 + 333_334, clock.positionReachedAtUs(1_000_000));
    clock.advance(T0 + 333_333);
    assertEquals(999_999, clock.positionUs());
    clock.advance(T0 + 333_334);
    assertTrue(clock.positionUs() >= 1_000_000);
  }

  @Test
  void positionReachedAt_isNever_pastTheBufferOrUnlessPlaying() {
    PlaybackClock clock = defaults();
    assertEquals(Long.MAX_VALUE, clock.positionReachedAtUs(1_000_000), "starting");
    clock.append(T0, 4_000_000, MBPS, 0);

    assertEquals(T0 + 4_000_000, clock.positionReachedAtUs(/* targetPositionUs= */ 4_000_000));
    assertEquals(Long.MAX_VALUE, clock.positionReachedAtUs(/* targetPositionUs= */ 4_000_001),
        "the buffer runs dry first");
  }

  @Test
  void slowRate_halvesConsumption() {
    PlaybackClock clock = PlaybackClock.start(
        PlaybackClockOptions.builder().playbackRate(0.5).build(), T0);
    clock.append(T0, 2_000_000, MBPS, 0);

    assertEquals(T0 + 4_000_000, clock.bufferEmptyAtUs());
    clock.advance(T0 + 3_000_001);
    assertEquals(1_500_000, clock.positionUs());
  }

  /**
   * The scripted session, by hand (4 s chunks unless noted, thresholds 2 s; times are seconds
   * after the start):
   *
   * <pre>
   * chunk  at    Mbit/s  stall waited           r = R - 4.3 rebuf - |R - Rprev|
   *   0    1.0    1      startup, not a stall    1
   *   1    3.0    2      -                       2 - 0 - 1             =  1
   *   2   10.0    1      dry at 9.0: 1.0 s       1 - 4.3 - 1           = -4.3
   *   3   15.5    1 (1s) dry at 14.0: 1.5 s      1 - 6.45 - 0          = -5.45 (still stalled)
   *   4   16.0    3      since 15.5: 0.5 s       3 - 2.15 - 2          = -1.15 (resumes)
   * </pre>
   *
   * <p>Played: 17 s of media; mean bitrate (4x1 + 4x2 + 4x1 + 1x1 + 4x3) / 17 = 29/17 Mbit/s.
   */
  @Test
  void scriptedSession_qoeLinMatchesHandComputedRewards() {
    PlaybackClock clock = defaults();
    ChunkQoe c0 = clock.append(T0 + 1_000_000, 4_000_000, 1 * MBPS, 1);
    ChunkQoe c1 = clock.append(T0 + 3_000_000, 4_000_000, 2 * MBPS, 2);
    ChunkQoe c2 = clock.append(T0 + 10_000_000, 4_000_000, 1 * MBPS, 1);
    ChunkQoe c3 = clock.append(T0 + 15_500_000, 1_000_000, 1 * MBPS, 1);
    assertEquals(PlaybackState.STALLED, clock.state());
    ChunkQoe c4 = clock.append(T0 + 16_000_000, 4_000_000, 3 * MBPS, 3);
    clock.endOfStream(T0 + 16_000_000);
    assertEquals(PlaybackState.ENDED, clock.advance(T0 + 30_000_000));

    assertEquals(new ChunkQoe(0, 1, 1 * MBPS, 4_000_000, 1_000_000, 0, 1.0), c0);
    assertEquals(1.0, c1.qoeLin(), EPS);
    assertEquals(0, c1.rebufferUs());
    assertEquals(1_000_000, c2.rebufferUs());
    assertEquals(-4.3, c2.qoeLin(), EPS);
    assertEquals(1_500_000, c3.rebufferUs());
    assertEquals(-5.45, c3.qoeLin(), EPS);
    assertEquals(500_000, c4.rebufferUs());
    assertEquals(-1.15, c4.qoeLin(), EPS);
    assertEquals(List.of(c0, c1, c2, c3, c4), clock.chunks());

    QoeSummary q = clock.summary();
    assertEquals(PlaybackState.ENDED, q.state());
    assertEquals(21_000_000, q.sessionUs(), "resumed at 16 s with 5 s buffered");
    assertEquals(1_000, q.startupMs());
    assertEquals(2, q.stallCount());
    assertEquals(3_000, q.stallMs(), "9..10 s and 14..16 s");
    assertEquals(17_000_000, q.playedUs());
    assertEquals(Math.round(29.0 / 17 * MBPS), q.meanBitrateBps());
    assertEquals(3, q.switches());
    assertEquals(5, q.chunks());
    assertEquals(-8.9, q.qoeLinSum(), EPS);
    assertEquals(-8.9 / 5, q.qoeLinPerChunk(), EPS);
    assertEquals(3.0 / 20, q.rebufferRatio(), EPS, "3 s stalled of 20 s watching");
    assertEquals(
        List.of(
            new TimelineMarker.Switch(3_000_000, 1, 2, 1 * MBPS, 2 * MBPS),
            new TimelineMarker.StallStart(9_000_000, 8_000_000),
            new TimelineMarker.Switch(10_000_000, 2, 1, 2 * MBPS, 1 * MBPS),
            new TimelineMarker.StallEnd(10_000_000, 1_000_000),
            new TimelineMarker.StallStart(14_000_000, 12_000_000),
            new TimelineMarker.Switch(16_000_000, 1, 3, 1 * MBPS, 3 * MBPS),
            new TimelineMarker.StallEnd(16_000_000, 2_000_000)),
        clock.markers());
  }

  @Test
  void meanBitrate_isWeightedByPlayedMediaTime_notByChunkCount() {
    PlaybackClock clock = defaults();
    clock.append(T0, /* durationUs= */ 1_000_000, 1 * MBPS, 0);
    clock.append(T0, /* durationUs= */ 3_000_000, 5 * MBPS, 1);
    clock.endOfStream(T0);
    clock.advance(T0 + 10_000_000);

    // (1 s x 1 + 3 s x 5) / 4 s = 4 Mbit/s; the mean over chunks would be 3.
    assertEquals(4 * MBPS, clock.summary().meanBitrateBps());
    assertEquals(4_000.0, clock.summary().meanBitrateKbps(), EPS);
  }

  @Test
  void meanBitrate_countsOnlyWhatWasPlayed() {
    PlaybackClock clock = defaults();
    clock.append(T0, 2_000_000, 1 * MBPS, 0);
    clock.append(T0, 4_000_000, 4 * MBPS, 1);
    clock.stop(T0 + 3_000_000);

    // 2 s at 1 + 1 s at 4 over 3 s played; the unplayed 3 s at 4 Mbit/s do not count.
    assertEquals(2 * MBPS, clock.summary().meanBitrateBps());
    assertEquals(3_000_000, clock.summary().playedUs());
    assertEquals(3_000_000, clock.summary().bufferUs());
  }

  @Test
  void switches_countVariantChangesBetweenConsecutiveChunks() {
    PlaybackClock clock = defaults();
    int[] variants = {0, 0, 1, 1, 0, 2, 2};
    long[] bitratesBps = {MBPS, MBPS, 2 * MBPS, 2 * MBPS, MBPS, MBPS, MBPS};
    for (int i = 0; i < variants.length; i++) {
      clock.append(T0, 1_000_000, bitratesBps[i], variants[i]);
    }

    // 0->1, 1->0, 0->2; the last switch is to another variant of the same bitrate.
    assertEquals(3, clock.summary().switches());
    List<TimelineMarker> switches = clock.markers();
    assertEquals(3, switches.size());
    assertEquals(new TimelineMarker.Switch(0, 0, 2, MBPS, MBPS), switches.get(2));
    assertEquals(1.0, clock.chunks().get(5).qoeLin(), EPS, "same bitrate: no smoothness penalty");
  }

  @Test
  void samples_tellSelectedFromPlayingBitrate() {
    PlaybackClock clock = defaults();
    clock.append(T0, 4_000_000, 1 * MBPS, 0);
    clock.append(T0 + 1_000_000, 4_000_000, 2 * MBPS, 1);

    clock.sample(T0 + 3_999_999, 3 * MBPS, 5 * MBPS);
    clock.sample(T0 + 4_000_000, TimelineSample.UNKNOWN, TimelineSample.UNKNOWN);

    List<TimelineSample> samples = clock.samples();
    TimelineSample before = samples.get(samples.size() - 2);
    TimelineSample after = samples.get(samples.size() - 1);
    assertEquals(
        new TimelineSample(3_999_999, PlaybackState.PLAYING, 3_999_999, 4_000_001, 2 * MBPS, 1 * MBPS,
            3 * MBPS, 5 * MBPS),
        before);
    assertEquals(
        new TimelineSample(4_000_000, PlaybackState.PLAYING, 4_000_000, 4_000_000, 2 * MBPS, 2 * MBPS,
            TimelineSample.UNKNOWN, TimelineSample.UNKNOWN),
        after);
  }

  @Test
  void samples_areRecordedAroundEveryAppendAndStateChange() {
    PlaybackClock clock = defaults();
    clock.append(T0 + 500_000, 2_000_000, MBPS, 0);
    clock.advance(T0 + 3_000_000);

    List<TimelineSample> samples = clock.samples();
    assertEquals(List.of(0L, 500_000L, 500_000L, 500_000L, 2_500_000L),
        samples.stream().map(TimelineSample::timeUs).toList());
    assertEquals(List.of(PlaybackState.STARTING, PlaybackState.STARTING, PlaybackState.PLAYING,
            PlaybackState.PLAYING, PlaybackState.STALLED),
        samples.stream().map(TimelineSample::state).toList());
    assertEquals(List.of(0L, 0L, 2_000_000L, 2_000_000L, 0L),
        samples.stream().map(TimelineSample::bufferUs).toList());
  }

  @Test
  void timeline_staysWithinCapacity_overAnHourOfSamples() {
    PlaybackClockOptions options = PlaybackClockOptions.builder()
        .maxTimelineSamples(64)
        .maxMarkers(10)
        .maxChunkRecords(100)
        .build();
    PlaybackClock clock = PlaybackClock.start(options, T0);
    long nowUs = T0;
    int appended = 0;
    long hourUs = 3_600_000_000L;
    while (nowUs < T0 + hourUs) {
      if (clock.bufferUs() < 10_000_000) {
        // Alternating variants: a switch every chunk, far more markers than the cap.
        clock.append(nowUs, 2_000_000, (1 + appended % 2) * MBPS, appended % 2);
        appended++;
      }
      nowUs += 100_000;
      clock.sample(nowUs, MBPS, MBPS);
    }

    List<TimelineSample> samples = clock.samples();
    assertTrue(samples.size() <= 65, "kept " + samples.size());
    assertTrue(samples.size() >= 32, "kept " + samples.size());
    assertTrue(clock.samplesOffered() > 36_000);
    assertEquals(0, samples.get(0).timeUs());
    assertEquals(nowUs - T0, samples.get(samples.size() - 1).timeUs(), "the latest sample is kept");
    for (int i = 1; i < samples.size(); i++) {
      assertTrue(samples.get(i).timeUs() >= samples.get(i - 1).timeUs());
    }
    QoeSummary q = clock.summary();
    assertEquals(appended, q.chunks());
    assertEquals(appended - 1, q.switches(), "totals stay exact past every cap");
    assertEquals(10, clock.markers().size());
    assertEquals(appended - 1 - 10, q.droppedMarkers());
    assertEquals(100, clock.chunks().size());
    assertEquals(0, q.stallCount());
  }

  @Test
  void droppedStallStartMarker_isUncountedWhenTheStallLastsNoTime() {
    PlaybackClock clock = PlaybackClock.start(
        PlaybackClockOptions.builder().maxMarkers(0).build(), T0);
    clock.append(T0, 2_000_000, MBPS, 0);
    clock.advance(T0 + 2_000_000);
    assertEquals(1, clock.summary().droppedMarkers());

    clock.append(T0 + 2_000_000, 2_000_000, MBPS, 0);

    assertEquals(0, clock.summary().droppedMarkers());
    assertEquals(0, clock.summary().stallCount());
  }

  @Test
  void sampleAfterTheEnd_isIgnored() {
    PlaybackClock clock = defaults();
    clock.endOfStream(T0);
    long offered = clock.samplesOffered();

    clock.sample(T0 + 1_000, MBPS, MBPS);

    assertEquals(offered, clock.samplesOffered());
  }

  @Test
  void rejectsTimeGoingBackwards() {
    PlaybackClock clock = defaults();
    clock.advance(T0 + 10);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> clock.advance(T0 + 9));
    assertTrue(e.getMessage().startsWith("nowUs: " + (T0 + 9)), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PlaybackClock.start(
        PlaybackClockOptions.defaults(), T0).advance(T0 - 1));
  }

  @Test
  void rejectsBadChunks() {
    PlaybackClock clock = defaults();
    assertThrows(IllegalArgumentException.class, () -> clock.append(T0, 0, MBPS, 0));
    assertThrows(IllegalArgumentException.class, () -> clock.append(T0, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> clock.append(T0, 1, MBPS, -1));
    assertThrows(IllegalArgumentException.class, () -> clock.sample(T0, -2, 0));
    assertThrows(IllegalArgumentException.class, () -> clock.sample(T0, 0, -5));
    assertEquals(0, clock.summary().chunks(), "a rejected chunk changes nothing");
  }

  @Test
  void options_rejectOutOfRangeValues_namingTheField() {
    assertRejects("startupThresholdUs", () -> PlaybackClockOptions.builder().startupThresholdUs(0).build());
    assertRejects("rebufferThresholdUs", () -> PlaybackClockOptions.builder().rebufferThresholdUs(-1).build());
    assertRejects("playbackRate", () -> PlaybackClockOptions.builder().playbackRate(0).build());
    assertRejects("playbackRate", () -> PlaybackClockOptions.builder().playbackRate(Double.NaN).build());
    assertRejects("playbackRate",
        () -> PlaybackClockOptions.builder().playbackRate(Double.POSITIVE_INFINITY).build());
    assertRejects("maxTimelineSamples", () -> PlaybackClockOptions.builder().maxTimelineSamples(1).build());
    assertRejects("maxMarkers", () -> PlaybackClockOptions.builder().maxMarkers(-1).build());
    assertRejects("maxChunkRecords", () -> PlaybackClockOptions.builder().maxChunkRecords(-1).build());
    PlaybackClockOptions d = PlaybackClockOptions.defaults();
    assertEquals(PlaybackClockOptions.DEFAULT_STARTUP_THRESHOLD_US, d.startupThresholdUs());
    assertEquals(2_000_000, d.startupThresholdUs());
    assertEquals(1.0, d.playbackRate());
  }

  private static void assertRejects(String field, Runnable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
  }
}
