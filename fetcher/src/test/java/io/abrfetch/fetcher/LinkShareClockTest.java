package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LinkShareClockTest {

  private static final long MS = 1_000_000L;

  @Test
  void aTransferAlone_hasTheLinkForItsWholeTime() {
    LinkShareClock clock = new LinkShareClock();
    double start = clock.join(100 * MS);
    assertEquals(400 * MS, clock.leave(500 * MS) - start, 1e-6);
    assertEquals(0, clock.transfers());
  }

  @Test
  void aBriefOverlap_costsOnlyHalfOfItsOwnTime() {
    LinkShareClock clock = new LinkShareClock();
    double longStart = clock.join(0);
    double shortStart = clock.join(800 * MS);
    double shortShare = clock.leave(900 * MS) - shortStart;
    double longShare = clock.leave(1_000 * MS) - longStart;
    assertEquals(50 * MS, shortShare, 1e-6);
    assertEquals(950 * MS, longShare, 1e-6);
  }

  @Test
  void nTransfersThroughout_eachHaveOneNth() {
    LinkShareClock clock = new LinkShareClock();
    double[] starts = new double[4];
    for (int i = 0; i < 4; i++) {
      starts[i] = clock.join(0);
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(250 * MS, clock.leave(1_000 * MS) - starts[i], 1e-6);
    }
  }

  @Test
  void idleTime_isNobodysShare() {
    LinkShareClock clock = new LinkShareClock();
    clock.join(0);
    clock.leave(10 * MS);
    double start = clock.join(5_000 * MS);
    assertEquals(20 * MS, clock.leave(5_020 * MS) - start, 1e-6);
  }

  @Test
  void leaveWithoutJoin_isABug() {
    assertThrows(IllegalStateException.class, () -> new LinkShareClock().leave(0));
  }
}
