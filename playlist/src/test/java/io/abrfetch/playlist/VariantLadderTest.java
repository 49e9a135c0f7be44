package io.abrfetch.playlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantLadderTest {

  private static Variant variant(String name, long bandwidthBps, Resolution resolution) {
    return new Variant(URI.create("https://cdn.example.com/" + name + ".m3u8"), bandwidthBps, null,
        List.of(), resolution, null, null, null, null, null);
  }

  private final Variant low = variant("low", 300_000, new Resolution(416, 234));
  private final Variant midSmall = variant("mid-small", 1_000_000, new Resolution(640, 360));
  private final Variant midLarge = variant("mid-large", 1_000_000, new Resolution(960, 540));
  private final Variant high = variant("high", 3_000_000, new Resolution(1280, 720));
  private final VariantLadder ladder = VariantLadder.of(List.of(high, midLarge, low, midSmall));

  @Test
  void sortsByBitrate_thenByResolution() {
    assertEquals(List.of(low, midSmall, midLarge, high), ladder.variants());
    assertEquals(low, ladder.lowest());
    assertEquals(high, ladder.highest());
    assertEquals(2, ladder.indexOf(midLarge));
  }

  @Test
  void highestIndexAtOrBelow_fromBothSidesOfARung() {
    assertEquals(3, ladder.highestIndexAtOrBelow(/* bitrateBps= */ 3_000_000));
    assertEquals(2, ladder.highestIndexAtOrBelow(/* bitrateBps= */ 2_999_999));
    assertEquals(0, ladder.highestIndexAtOrBelow(/* bitrateBps= */ 300_000));
    assertEquals(0, ladder.highestIndexAtOrBelow(/* bitrateBps= */ 299_999)); // nothing fits: lowest
  }

  @Test
  void constructor_rejectsUnsortedOrEmpty() {
    assertThrows(IllegalArgumentException.class, () -> new VariantLadder(List.of(high, low)));
    assertThrows(IllegalArgumentException.class, () -> new VariantLadder(List.of()));
  }
}
