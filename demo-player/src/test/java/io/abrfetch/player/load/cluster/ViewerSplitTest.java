package io.abrfetch.player.load.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.player.load.cluster.ViewerSplit.Capacity;
import io.abrfetch.player.load.cluster.ViewerSplit.Share;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewerSplitTest {

  @Test
  void proportionalToWeights_contiguousRanges() {
    List<Share> shares = ViewerSplit.split(/* viewers= */ 100, List.of(
        new Capacity("a", /* weight= */ 2, 0), new Capacity("b", 6, 0), new Capacity("c", 2, 0)));
    assertEquals(List.of(new Share("a", 0, 20), new Share("b", 20, 60), new Share("c", 80, 20)),
        shares);
  }

  @Test
  void largestRemainderGetsTheLeftOver_tiesToTheEarlierWorker() {
    // 10 x 1/3 = 3.33 each: one viewer left over, it goes to the first worker.
    assertEquals(List.of(new Share("a", 0, 4), new Share("b", 4, 3), new Share("c", 7, 3)),
        ViewerSplit.split(10, List.of(new Capacity("a", 1, 0), new Capacity("b", 1, 0),
            new Capacity("c", 1, 0))));
    // 10 x (1/4, 3/4) = 2.5 / 7.5: remainders tie, the earlier worker wins.
    assertEquals(List.of(new Share("a", 0, 3), new Share("b", 3, 7)),
        ViewerSplit.split(10, List.of(new Capacity("a", 1, 0), new Capacity("b", 3, 0))));
  }

  @Test
  void maximumIsRespected_restGoesToTheOthers() {
    List<Share> shares = ViewerSplit.split(100, List.of(new Capacity("a", 8, /* max= */ 10),
        new Capacity("b", 1, 0), new Capacity("c", 1, 0)));
    assertEquals(List.of(new Share("a", 0, 10), new Share("b", 10, 45), new Share("c", 55, 45)),
        shares);
  }

  @Test
  void exactlyAtTheMaxima_andOneAbove() {
    List<Capacity> workers = List.of(new Capacity("a", 1, 3), new Capacity("b", 5, 4));
    assertEquals(List.of(new Share("a", 0, 3), new Share("b", 3, 4)),
        ViewerSplit.split(7, workers));
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> ViewerSplit.split(8, workers));
    assertTrue(tooMany.getMessage().contains("8 viewers but the workers take at most 7"),
        tooMany.getMessage());
  }

  @Test
  void fewerViewersThanWorkers_someGetNone() {
    List<Share> shares = ViewerSplit.split(1, List.of(new Capacity("a", 1, 0),
        new Capacity("b", 1, 0)));
    assertEquals(List.of(new Share("a", 0, 1), new Share("b", 1, 0)), shares);
  }

  @Test
  void sumsToTheViewers_forManyShapes() {
    for (int viewers = 0; viewers < 200; viewers += 7) {
      List<Capacity> workers = List.of(new Capacity("a", 3, 0), new Capacity("b", 7, 50),
          new Capacity("c", 1, 0), new Capacity("d", 13, 20));
      List<Share> shares = ViewerSplit.split(viewers, workers);
      int next = 0;
      for (int i = 0; i < shares.size(); i++) {
        assertEquals(next, shares.get(i).firstViewerIndex());
        assertTrue(workers.get(i).maxViewers() == 0
            || shares.get(i).viewerCount() <= workers.get(i).maxViewers());
        next += shares.get(i).viewerCount();
      }
      assertEquals(viewers, next);
    }
  }

  @Test
  void badInput_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> ViewerSplit.split(1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> ViewerSplit.split(-1,
        List.of(new Capacity("a", 1, 0))));
    assertThrows(IllegalArgumentException.class, () -> new Capacity("a", 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Capacity("a", 1, -1));
  }
}
