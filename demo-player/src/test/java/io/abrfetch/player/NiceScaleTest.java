package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NiceScaleTest {
  @Test
  void widensToWholeTicks_atOneTwoOrFiveTimesAPowerOfTen() {
    NiceScale scale = NiceScale.of(0, 4.3, 8);

    assertEquals(new NiceScale(0, 5, 1), scale);
    assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0), scale.ticks());
  }

  @Test
  void smallSteps_getExactTicksAndJustEnoughDecimals() {
    NiceScale scale = NiceScale.of(0, 0.7, 8);

    assertEquals(0.1, scale.step(), 1e-12);
    assertEquals(8, scale.ticks().size());
    assertEquals(0.3, scale.ticks().get(3), "no 0.30000000000000004");
    assertEquals("0.3", scale.label(scale.ticks().get(3)));
    assertEquals("0", NiceScale.of(0, 400, 5).label(0));
  }

  @Test
  void negativeRange_coversBothSigns() {
    NiceScale scale = NiceScale.of(-5.45, 4.3, 8);

    // range 9.75 rounds to 10; 10 / 7 = 1.43 rounds to a step of 1.
    assertEquals(new NiceScale(-6, 5, 1), scale);
    assertEquals("-6", scale.label(-6));
  }

  @Test
  void tight_keepsTheDataRange_withTicksInside() {
    NiceScale scale = NiceScale.tight(1.5, 102.2, 14);

    assertEquals(1.5, scale.min());
    assertEquals(102.2, scale.max());
    // range 100.7 is "about 200"; 200 / 13 = 15.4 rounds to a step of 20.
    assertEquals(20, scale.step());
    assertEquals(List.of(20.0, 40.0, 60.0, 80.0, 100.0), scale.ticks());
  }

  @Test
  void emptyRange_isWidenedAroundItsValue() {
    assertEquals(new NiceScale(0, 1, 0.2), NiceScale.of(0, 0, 6));
    // 5 +- 10 %, then widened to whole steps of 0.2.
    NiceScale around = NiceScale.of(5, 5, 6);
    assertEquals(4.4, around.min(), 1e-12);
    assertEquals(5.6, around.max(), 1e-12);
    NiceScale tight = NiceScale.tight(5, 5, 6);
    assertEquals(4.5, tight.min(), 1e-12);
    assertEquals(5.5, tight.max(), 1e-12);
  }

  @Test
  void rejectsNonFiniteOrInvertedRanges() {
    assertThrows(IllegalArgumentException.class, () -> NiceScale.of(Double.NaN, 1, 5));
    assertThrows(IllegalArgumentException.class, () -> NiceScale.of(0, Double.POSITIVE_INFINITY, 5));
    assertThrows(IllegalArgumentException.class, () -> NiceScale.of(2, 1, 5));
    assertThrows(IllegalArgumentException.class, () -> NiceScale.of(0, 1, 1));
  }
}
