package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.fetcher.hls.HlsEvent;
import io.abrfetch.fetcher.hls.HlsSessionOptions;
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
 * The headless player under a changing link, in real time (the shaped link is real time): a drop
 * forces a downswitch that the buffer carries without a stall, and a sudden silence mid-segment
 * abandons the segment for a lower variant.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeadlessPlayerAbrTest extends PlayerTestBase {

  @Test
  void bandwidthDrop_forcesADownswitch_withoutAStall() throws Exception {
    // 20 Mbit/s, then 1.2 Mbit/s from 3 s on: the 2.4 Mbit/s variant no longer fits, 0.8 does.
    BandwidthTrace trace = BandwidthTrace.of(new double[] {0, 3, 600},
        new double[] {20, 20, 1.2});
    startOrigin(OriginOptions.builder().ladder(smallLadder().vodSegmentCount(14).build())
        .shaping(LinkShaping.trace(trace, LinkShaping.Scope.SHARED)));
    // No abandonment: only boundary switches.
    startDownloader("throughput", b -> b.minSoftTimeout(Duration.ofSeconds(30)));
    HeadlessPlayerOptions options = fastOptions(1)
        .session(HlsSessionOptions.builder().initialVariantIndex(2)
            .targetBufferUs(6_000_000).audioBitrateBps(64_000)
            .segmentRetryDelay(Duration.ofMillis(50)).build())
        .build();
    PlayerResult result = await(play(origin.masterPlaylistUrl(), options, MediaSink.discard())
        .result(), 40);

    List<PlayerEvent.Switched> switches = events(PlayerEvent.Switched.class);
    assertTrue(switches.stream().anyMatch(s -> !s.isUp()),
        "a downswitch: " + switches + " " + result.toJson());
    assertEquals(2, result.chunks().get(0).variantIndex(), "started at the top");
    assertEquals(0, result.qoe().stallCount(), "the buffer carried the drop: " + result.toJson());
    assertEquals(PlayerResult.END_OF_STREAM, result.endReason());
    assertTrue(result.qoe().switches() >= 1);
  }

  @Test
  void suddenDrop_abandonsTheSegment_andPlaysItFromALowerVariant() throws Exception {
    // A steady 20 Mbit/s link that goes silent for 10 s in the middle of segment 5 of the top
    // variant (a shaped trace drop lands at a random point of a transfer; this one is known).
    startOrigin(OriginOptions.builder().ladder(smallLadder().vodSegmentCount(10).build())
        .shaping(LinkShaping.fixedRate(20_000_000, LinkShaping.Scope.SHARED)));
    origin.faults().add("/hls/v2/seg5.ts",
        new Fault.StallAfterBytes(32_768, Duration.ofSeconds(10)));
    startDownloader("throughput",
        b -> b.minSoftTimeout(Duration.ofMillis(800)).softTimeoutMediaFraction(0.3));
    HeadlessPlayerOptions options = fastOptions(1)
        .session(HlsSessionOptions.builder().initialVariantIndex(2)
            .targetBufferUs(3_000_000).audioBitrateBps(64_000)
            .segmentRetryDelay(Duration.ofMillis(50)).build())
        .build();
    PlayerResult result = await(play(origin.masterPlaylistUrl(), options, MediaSink.discard())
        .result(), 40);

    HlsEvent.SegmentAbandoned abandoned = events(PlayerEvent.Hls.class).stream()
        .map(PlayerEvent.Hls::event)
        .filter(HlsEvent.SegmentAbandoned.class::isInstance)
        .map(HlsEvent.SegmentAbandoned.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no abandon: " + events));
    assertEquals(5, abandoned.mediaSequence());
    ChunkQoe played = result.chunks().get(5);
    assertTrue(played.variantIndex() < 2, "segment 5 played from variant " + played.variantIndex());
    assertEquals(PlayerResult.END_OF_STREAM, result.endReason());
    assertEquals(10_000_000, result.playedUs());
    // Waiting out the 10 s stall would have cost far more than the buffer held.
    assertTrue(result.qoe().stallMs() < 3_000, "stalled " + result.qoe().stallMs() + " ms");
  }
}
