package io.abrfetch.abr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Abandonment with scripted download progress (4 s segments, sizes = bitrate x 4 s / 8). */
class AbandonRuleTest {
  private static final List<Long> LADDER = List.of(300_000L, 750_000L, 1_200_000L, 4_300_000L);
  private final AbrPolicy policy = AbrPolicy.defaultPolicy();

  private static AbrView inFlight(double bufferMs, long loadedBytes, long elapsedUs) {
    return AbrView.builder()
        .bitratesBps(LADDER)
        .currentIndex(3)
        .bufferMs(bufferMs)
        .download(new DownloadProgress(3, loadedBytes, /* totalBytes= */ 2_150_000, elapsedUs))
        .build();
  }

  @Test
  void abandons_toTheHighestVariantThatFitsTheBuffer_whenFinishingWouldOutlastIt() {
    // 200 kB in 1 s: 1.95 MB left take 9.75 s, more than 0.9 x 6 s of buffer. At 200 kB/s the
    // 600 kB of 1.2 Mbit/s take 3 s and fit; nothing higher does.
    AbrDecision decision = policy.decide(inFlight(6_000, 200_000, 1_000_000));
    assertEquals(new AbrDecision.Abandon(3, 2, AbrDecision.Reason.DOWNLOAD_TOO_SLOW), decision);
  }

  @Test
  void keepsDownloading_whenTheRestFitsTheBuffer() {
    // 1 MB in 1 s: 1.15 MB left take 1.15 s, well within 0.9 x 6 s.
    assertEquals(new AbrDecision.Stay(3, AbrDecision.Reason.DOWNLOAD_ON_TRACK),
        policy.decide(inFlight(6_000, 1_000_000, 1_000_000)));
  }

  @Test
  void finishLimit_fromBothSides() {
    // 215 kB/s: 1.935 MB left take exactly 9 s; the limit is 0.9 x 10 000 ms = 9 000 ms.
    assertEquals(AbrDecision.Stay.class,
        policy.decide(inFlight(10_000, 215_000, 1_000_000)).getClass());
    assertEquals(AbrDecision.Abandon.class,
        policy.decide(inFlight(9_999, 215_000, 1_000_000)).getClass());
  }

  @Test
  void waitsForEnoughProgress_beforeJudgingTheRate() {
    assertEquals(AbrDecision.Stay.class, policy.decide(inFlight(1_000, 1_000, 499_999)).getClass());
    assertEquals(AbrDecision.Abandon.class,
        policy.decide(inFlight(1_000, 1_000, 500_000)).getClass());
  }

  @Test
  void stalledDownload_fallsToTheLowestVariant() {
    assertEquals(new AbrDecision.Abandon(3, 0, AbrDecision.Reason.DOWNLOAD_TOO_SLOW),
        policy.decide(inFlight(8_000, 0, 3_000_000)));
  }

  @Test
  void lowestVariant_isNeverAbandoned() {
    AbrView view = AbrView.builder()
        .bitratesBps(LADDER)
        .download(new DownloadProgress(0, 0, 150_000, 5_000_000))
        .build();
    assertEquals(new AbrDecision.Stay(0, AbrDecision.Reason.DOWNLOAD_ON_TRACK),
        policy.decide(view));
  }

  @Test
  void evaluatingWithoutADownload_isATypedError() {
    AbrView view = AbrView.builder().bitratesBps(LADDER).build();
    assertThrows(IllegalArgumentException.class, () -> AbandonRule.DEFAULT.evaluate(view));
  }
}
