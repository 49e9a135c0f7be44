package io.abrfetch.abr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HorizonPlanPolicyTest {
  private static final List<Long> LADDER =
      List.of(300_000L, 750_000L, 1_200_000L, 1_850_000L, 2_850_000L, 4_300_000L);
  private final AbrPolicy policy = AbrPolicy.defaultPolicy();

  /** {@code count} downloads of 500 kB at {@code bps}, 80 ms first-byte latency each. */
  private static List<ThroughputSample> steadyLink(int count, double bps) {
    List<ThroughputSample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double bodyMs = 500_000 * 8 / bps * 1000;
      samples.add(new ThroughputSample(500_000, bodyMs + 80, 80, i == 0));
    }
    return samples;
  }

  private static AbrView.Builder view(int current, double bufferMs, List<ThroughputSample> history) {
    return AbrView.builder()
        .bitratesBps(LADDER)
        .currentIndex(current)
        .bufferMs(bufferMs)
        .throughputHistory(history);
  }

  @Test
  void staysOnTheStartingVariant_withoutASampleInThisSession() {
    assertEquals(new AbrDecision.Stay(1, AbrDecision.Reason.NO_ESTIMATE),
        policy.decide(view(1, 0, List.of()).build()));
  }

  @Test
  void steadyLink_settlesOnTheHighestSustainableVariant() {
    // 3 Mbit/s sustains 2.85 Mbit/s; 4.3 Mbit/s would drain 1.7 s of buffer per segment.
    AbrDecision decision = policy.decide(view(4, 20_000, steadyLink(20, 3_000_000)).build());
    assertEquals(new AbrDecision.Stay(4, AbrDecision.Reason.PLANNED), decision);
  }

  @Test
  void knownEndOfMedia_spendsTheBuffer_whereAnOpenEndedSessionKeepsIt() {
    List<ThroughputSample> history = steadyLink(20, 3_000_000);
    int openEnded = policy.decide(view(4, 10_000, history).build()).targetIndex();
    int nearTheEnd =
        policy.decide(view(4, 10_000, history).segmentsRemaining(3).build()).targetIndex();
    assertEquals(4, openEnded, "12 segments at 4.3 Mbit/s would drain 21 s");
    assertEquals(5, nearTheEnd, "the last 3 at 4.3 Mbit/s drain 5.5 s of the 10 s buffered");
  }

  @Test
  void sameView_sameDecision() {
    AbrView view = view(2, 12_345, steadyLink(7, 2_200_000)).build();
    assertEquals(policy.decide(view), policy.decide(view));
  }

  @Test
  void previousSessionsSamples_areNotUsed() {
    List<ThroughputSample> history = new ArrayList<>(steadyLink(10, 50_000_000));
    history.addAll(steadyLink(3, 800_000));
    List<ThroughputSample> fresh = steadyLink(3, 800_000);
    assertEquals(policy.decide(view(1, 8_000, fresh).build()),
        policy.decide(view(1, 8_000, history).build()));
  }

  @Test
  void badOptions_areRejectedWithTheFieldName() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> HorizonPlanPolicy.Options.builder().horizon(0).build());
    assertTrue(error.getMessage().startsWith("horizon: 0"), error.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> HorizonPlanPolicy.Options.builder().errorQuantile(1.5).build());
  }

  @Test
  void policyNames_resolveCaseInsensitively_andUnknownNamesAreRejected() {
    for (String name : AbrPolicy.NAMES) {
      assertEquals(name, AbrPolicy.named(name.toUpperCase(java.util.Locale.ROOT)).name());
    }
    assertThrows(IllegalArgumentException.class, () -> AbrPolicy.named("pensieve"));
  }
}
