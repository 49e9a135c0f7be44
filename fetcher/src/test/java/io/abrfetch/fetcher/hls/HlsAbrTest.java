package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.fetcher.CancelReason;
import io.abrfetch.fetcher.FetchEvent;
import io.abrfetch.origin.BandwidthTrace;
import io.abrfetch.origin.Fault;
import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ABR at work through a shaped link: a bandwidth drop forces a downswitch at a segment boundary;
 * a sudden drop in the middle of a segment abandons it, and it then comes from a lower variant.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HlsAbrTest extends HlsTestBase {

  /** 1 s segments of 200, 800 and 2,400 kbit/s. */
  private void startShapedOrigin(double dropAtS, double fastMbps, double slowMbps)
      throws Exception {
    BandwidthTrace trace = BandwidthTrace.of(new double[] {0, dropAtS, 600},
        new double[] {fastMbps, fastMbps, slowMbps});
    startOrigin(OriginOptions.builder()
        .ladder(smallLadder().bitratesBps(List.of(200_000L, 800_000L, 2_400_000L))
            .vodSegmentCount(40).build())
        .shaping(LinkShaping.trace(trace, LinkShaping.Scope.SHARED)));
  }

  /**
   * Plays like a real-time player: takes one segment per segment duration once the first has
   * arrived, and never holds more than {@code targetBuffer} in the track.
   */
  private Reading playInRealTime(Track track) {
    Reading reading = new Reading();
    track.pause();
    track.exceptionHandler(reading.failed::complete);
    track.endHandler(v -> reading.ended.complete(null));
    track.handler(reading.segments::add);
    track.fetch(1);
    vertx.setPeriodic(1000, id -> {
      if (reading.ended.isDone()) {
        vertx.cancelTimer(id);
      } else {
        track.fetch(1);
      }
    });
    return reading;
  }

  @Test
  void bandwidthDrop_forcesADownswitchAtASegmentBoundary_withoutGaps() throws Exception {
    startShapedOrigin(/* dropAtS= */ 2.5, /* fastMbps= */ 20, /* slowMbps= */ 1.0);
    // No abandonment here: the soft deadline is far away, so only boundary switches happen.
    startDownloader(AbrPolicy.named("throughput"), b -> b.minSoftTimeout(Duration.ofSeconds(30)));
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions()
        .initialVariantIndex(2).targetBufferUs(3_000_000).build());
    Reading video = playInRealTime(session.video());
    waitFor(() -> !events(HlsEvent.VariantSwitched.class).isEmpty()
        && events(HlsEvent.VariantSwitched.class).stream().anyMatch(s -> s.toIndex() < 2),
        25_000);
    waitFor(() -> video.segments.stream().anyMatch(s -> s.variantIndex() < 2), 10_000);
    List<MediaSegment> segments = video.list();
    assertEquals(2, segments.get(0).variantIndex(), "started at the top");
    HlsEvent.VariantSwitched down = events(HlsEvent.VariantSwitched.class).stream()
        .filter(s -> s.toIndex() < s.fromIndex()).findFirst().orElseThrow();
    assertFalse(down.afterAbandon());
    assertContiguous(segments);
    assertVideoPlaintext(segments);
    for (MediaSegment s : segments) {
      if (s.mediaSequence() == down.atSequence()) {
        assertTrue(s.variantChanged());
        assertEquals(down.toIndex(), s.variantIndex());
      }
    }
    assertTrue(fetchEvents.stream().noneMatch(e -> e instanceof FetchEvent.Cancelled),
        "no abandonment");
  }

  @Test
  void suddenDropMidSegment_abandonsIt_andTakesTheSegmentFromALowerVariant() throws Exception {
    // A steady 20 Mbit/s link that goes nearly silent in the middle of segment 5 of the top
    // variant: 32 kB arrive, then nothing for 10 s. (A drop of a shaped trace lands at a random
    // point of a transfer; this one lands at a known point, so the test is deterministic.)
    startOrigin(OriginOptions.builder()
        .ladder(smallLadder().bitratesBps(List.of(200_000L, 800_000L, 2_400_000L))
            .vodSegmentCount(40).build())
        .shaping(LinkShaping.fixedRate(20_000_000, LinkShaping.Scope.SHARED)));
    origin.faults().add("/hls/v2/seg5.ts", new Fault.StallAfterBytes(32_768,
        Duration.ofSeconds(10)));
    // LoadSlow after 0.8 s: past the abandon rule's 0.5 s of measurement.
    startDownloader(AbrPolicy.named("throughput"),
        b -> b.minSoftTimeout(Duration.ofMillis(800)).softTimeoutMediaFraction(0.3));
    HlsSession session = open(origin.masterPlaylistUrl(), fastOptions()
        .initialVariantIndex(2).targetBufferUs(3_000_000).build());
    Reading video = playInRealTime(session.video());
    waitFor(() -> !events(HlsEvent.SegmentAbandoned.class).isEmpty(), 25_000);
    HlsEvent.SegmentAbandoned abandoned = events(HlsEvent.SegmentAbandoned.class).get(0);
    waitFor(() -> video.segments.stream()
        .anyMatch(s -> s.mediaSequence() == abandoned.mediaSequence()), 20_000);
    MediaSegment refetched = video.list().stream()
        .filter(s -> s.mediaSequence() == abandoned.mediaSequence()).findFirst().orElseThrow();
    assertTrue(refetched.variantIndex() < abandoned.variantIndex(),
        "segment " + refetched.mediaSequence() + " came from variant "
            + refetched.variantIndex() + " after abandoning " + abandoned.variantIndex());
    assertTrue(fetchEvents.stream().anyMatch(e -> e instanceof FetchEvent.Cancelled c
        && c.reason() == CancelReason.ABANDONED));
    assertTrue(events(HlsEvent.VariantSwitched.class).stream()
        .anyMatch(s -> s.atSequence() == abandoned.mediaSequence() && s.afterAbandon()));
    List<MediaSegment> segments = video.list();
    assertEquals(5, abandoned.mediaSequence());
    assertEquals(2, abandoned.variantIndex());
    assertContiguous(segments);
    assertVideoPlaintext(segments);
  }
}
