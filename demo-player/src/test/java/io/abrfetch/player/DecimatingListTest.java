package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DecimatingListTest {
  @Test
  void keepsEverything_untilFull() {
    DecimatingList<Integer> list = DecimatingList.create(4);
    IntStream.range(0, 4).forEach(list::add);

    assertEquals(List.of(0, 1, 2, 3), list.snapshot());
    assertEquals(1, list.stride());
  }

  @Test
  void doublesStride_whenFull_keepingEvenlySpacedItemsAndTheLatest() {
    DecimatingList<Integer> list = DecimatingList.create(4);
    IntStream.range(0, 5).forEach(list::add);
    assertEquals(List.of(0, 2, 4), list.snapshot());
    assertEquals(2, list.stride());

    assertFalse(list.add(5));
    assertEquals(List.of(0, 2, 4, 5), list.snapshot(), "the latest item ends the snapshot");
    assertTrue(list.add(6));
    assertEquals(List.of(0, 2, 4, 6), list.snapshot());

    list.add(7);
    list.add(8);
    list.add(9);
    assertEquals(List.of(0, 4, 8, 9), list.snapshot());
    assertEquals(4, list.stride());
    assertEquals(10, list.offered());
    assertEquals(3, list.size());
  }

  @Test
  void neverHoldsMoreThanCapacity_overAMillionItems() {
    DecimatingList<Integer> list = DecimatingList.create(100);
    for (int i = 0; i < 1_000_000; i++) {
      list.add(i);
      assertTrue(list.size() <= 100);
    }
    List<Integer> kept = list.snapshot();
    assertTrue(kept.size() >= 50 && kept.size() <= 101, "kept " + kept.size());
    assertEquals(0, kept.get(0));
    assertEquals(999_999, kept.get(kept.size() - 1));
    long stride = list.stride();
    for (int i = 0; i < kept.size() - 1; i++) {
      assertEquals(0, kept.get(i) % stride, "item " + kept.get(i) + " at stride " + stride);
    }
  }

  @Test
  void rejectsCapacityBelowTwo_andNullItems() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DecimatingList.create(1));
    assertEquals("capacity: 1 (expected: >= 2)", e.getMessage());
    assertThrows(NullPointerException.class, () -> DecimatingList.create(2).add(null));
  }

  @Test
  void emptyList_snapshotIsEmpty() {
    assertEquals(List.of(), DecimatingList.create(2).snapshot());
  }
}
