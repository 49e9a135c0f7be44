package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class HlsSessionOptionsTest {

  @Test
  void toBuilder_keepsEveryValue() {
    LongSupplier clock = () -> 42L;
    HlsSessionOptions options = HlsSessionOptions.builder()
        .sessionId("s7")
        .targetBufferUs(12_000_000)
        .initialVariantIndex(2)
        .audioEnabled(false)
        .audioLanguage("fr")
        .subtitlesLanguage("de")
        .audioBitrateBps(96_000)
        .maxSegmentBytes(1 << 20)
        .maxSegmentAttempts(5)
        .segmentRetryDelay(Duration.ofMillis(250))
        .reloadFailureTolerance(Duration.ofSeconds(7))
        .liveEdgeTargetDurations(2)
        .decryptOffLoopThresholdBytes(4096)
        .nanoClock(clock)
        .build();
    assertNotEquals(HlsSessionOptions.defaults(), options);

    assertEquals(options, options.toBuilder().build());
    HlsSessionOptions changed = options.toBuilder().targetBufferUs(5_000_000).build();
    assertEquals(5_000_000, changed.targetBufferUs());
    assertEquals(options, changed.toBuilder().targetBufferUs(12_000_000).build());
  }
}
