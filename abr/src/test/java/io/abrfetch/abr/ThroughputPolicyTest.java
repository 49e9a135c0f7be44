package io.abrfetch.abr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputPolicyTest {
  private static final List<Long> LADDER = List.of(300_000L, 750_000L, 1_200_000L, 1_850_000L);
  private final ThroughputPolicy policy = ThroughputPolicy.create();

  private static AbrView view(int current, double bufferMs, long estimateBps) {
    return AbrView.builder()
        .bitratesBps(LADDER)
        .currentIndex(current)
        .bufferMs(bufferMs)
        .bandwidthEstimateBps(estimateBps)
        .build();
  }

  @Test
  void upSwitch_whenBufferAtThreshold() {
    // 1.85 Mbit/s fits 0.7 x 2.65 Mbit/s.
    AbrDecision decision = policy.decide(view(1, /* bufferMs= */ 10_000, 2_650_000));
    assertEquals(new AbrDecision.UpSwitch(1, 3, AbrDecision.Reason.THROUGHPUT_HIGH), decision);
  }

  @Test
  void stays_whenBufferOneMsShort() {
    AbrDecision decision = policy.decide(view(1, /* bufferMs= */ 9_999, 2_650_000));
    assertEquals(new AbrDecision.Stay(1, AbrDecision.Reason.BUFFER_LOW), decision);
  }

  @Test
  void upSwitch_onlyOnceTheVariantFitsTheUpFraction() {
    // 1.2 Mbit/s needs an estimate of 1.2 / 0.7 = 1714286 bit/s.
    assertEquals(2, policy.decide(view(1, 20_000, 1_714_286)).targetIndex());
    assertEquals(1, policy.decide(view(1, 20_000, 1_714_284)).targetIndex());
  }

  @Test
  void keepsTheCurrentVariant_whileItFitsTheKeepFraction_andDropsJustBelow() {
    // Current 1.2 Mbit/s is kept down to 1.2 / 0.85 = 1411765 bit/s.
    assertEquals(new AbrDecision.Stay(2, AbrDecision.Reason.HYSTERESIS_HOLD),
        policy.decide(view(2, 5_000, 1_411_765)));
    AbrDecision below = policy.decide(view(2, 5_000, 1_411_764));
    assertInstanceOf(AbrDecision.DownSwitch.class, below);
    assertEquals(1, below.targetIndex());
  }

  @Test
  void noOscillation_whenTheEstimateSitsAtALevelBoundary() {
    // The estimate wobbles +-2% around the 1.2 Mbit/s up-threshold (1714286 bit/s).
    int current = 1;
    int switches = 0;
    for (int i = 0; i < 40; i++) {
      long estimate = i % 2 == 0 ? 1_748_571 : 1_680_000;
      int next = policy.decide(view(current, 12_000, estimate)).targetIndex();
      if (next != current) {
        switches++;
      }
      current = next;
    }
    assertEquals(1, switches, "one up-switch, then the keep fraction holds the level");
    assertEquals(2, current);
  }

  @Test
  void downSwitchSkipped_whileBufferIsLong() {
    assertEquals(new AbrDecision.Stay(3, AbrDecision.Reason.BUFFER_HIGH),
        policy.decide(view(3, /* bufferMs= */ 25_000, 500_000)));
    assertEquals(0, policy.decide(view(3, /* bufferMs= */ 24_999, 500_000)).targetIndex());
  }

  @Test
  void staysWithoutAnEstimate() {
    assertEquals(new AbrDecision.Stay(2, AbrDecision.Reason.NO_ESTIMATE),
        policy.decide(view(2, 20_000, 0)));
  }
}
