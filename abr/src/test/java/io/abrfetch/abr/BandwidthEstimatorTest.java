package io.abrfetch.abr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BandwidthEstimatorTest {
  private static final long SECOND_NANOS = 1_000_000_000L;

  /** {@code bytes} over the time a link of {@code bps} needs for them. */
  private static void feed(BandwidthEstimator estimator, long bytes, double bps, long[] clock) {
    long nanos = Math.round(bytes * 8 / bps * 1e9);
    clock[0] += nanos;
    estimator.addSample(bytes, nanos, clock[0]);
  }

  @Test
  void ewma_reportsTheDefault_untilEnoughBytes_thenTheMeasuredRate() {
    EwmaBandwidthEstimator estimator = EwmaBandwidthEstimator.create();
    long[] clock = {0};
    feed(estimator, /* bytes= */ 100_000, 4e6, clock);
    assertFalse(estimator.hasEstimate(), "100 kB < the 128 kB minimum");
    assertEquals(EwmaBandwidthEstimator.Options.DEFAULT_ESTIMATE_BPS, estimator.estimateBps());

    feed(estimator, /* bytes= */ 100_000, 4e6, clock);
    assertTrue(estimator.hasEstimate());
    assertEquals(4e6, estimator.estimateBps(), 4e6 * 0.01);
  }

  @Test
  void ewma_ignoresSamplesUnderSixteenKilobytes() {
    EwmaBandwidthEstimator estimator = EwmaBandwidthEstimator.create();
    long[] clock = {0};
    for (int i = 0; i < 5; i++) {
      feed(estimator, 200_000, 2e6, clock);
    }
    for (int i = 0; i < 50; i++) {
      feed(estimator, /* bytes= */ 15_999, 100e6, clock);
    }
    assertEquals(2e6, estimator.estimateBps(), 2e6 * 0.01, "tiny fast samples change nothing");
  }

  @Test
  void ewma_followsADropAtOnce_butARiseOnlyWhenItLasts() {
    EwmaBandwidthEstimator estimator = EwmaBandwidthEstimator.create();
    long[] clock = {0};
    for (int i = 0; i < 20; i++) {
      feed(estimator, 1_000_000, 8e6, clock);
    }
    feed(estimator, 1_000_000, 2e6, clock); // one 4 s sample at a quarter of the rate
    assertTrue(estimator.estimateBps() < 4.5e6,
        "the fast average pulls the estimate down within one sample: " + estimator.estimateBps());

    EwmaBandwidthEstimator rising = EwmaBandwidthEstimator.create();
    long[] clock2 = {0};
    for (int i = 0; i < 20; i++) {
      feed(rising, 500_000, 2e6, clock2);
    }
    feed(rising, 500_000, 8e6, clock2); // one short fast sample (0.5 s)
    assertTrue(rising.estimateBps() < 3.5e6,
        "the slow average holds the estimate back: " + rising.estimateBps());
  }

  @Test
  void slidingPercentile_reportsTheWeightedMedian_andForgetsOldSamples() {
    SlidingPercentileBandwidthEstimator estimator = SlidingPercentileBandwidthEstimator.create();
    long[] clock = {0};
    feed(estimator, 250_000, 1e6, clock);
    feed(estimator, 250_000, 3e6, clock);
    feed(estimator, 250_000, 5e6, clock);
    assertEquals(3e6, estimator.estimateBps(), 1e3);

    // sqrt(250 kB) = 500 per sample: after more than 2000 of weight the oldest fall out.
    for (int i = 0; i < 6; i++) {
      feed(estimator, 250_000, 10e6, clock);
    }
    assertEquals(10e6, estimator.estimateBps(), 1e3);
  }

  @Test
  void controller_fourOverlappingTransfersOfAFourMegabitLink_estimateFourNotOne() {
    AbrController controller = AbrController.create();
    long end = 0;
    for (int round = 0; round < 6; round++) {
      // Four transfers share a 4 Mbit/s link: each gets 1 Mbit/s, 500 kB take 4 s.
      end += 4 * SECOND_NANOS;
      for (int peer = 0; peer < 4; peer++) {
        controller.onTransfer("p" + peer,
            new TransferSample(/* bytes= */ 500_000, 4 * SECOND_NANOS, /* overlapping= */ 4, end));
      }
    }
    assertEquals(4e6, controller.bandwidthEstimateBps(), 4e6 * 0.05);
  }
}
