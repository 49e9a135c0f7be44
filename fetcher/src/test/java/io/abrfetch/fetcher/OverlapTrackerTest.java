package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OverlapTrackerTest {

  @Test
  void maxSince_isTheLargestCountAtOrAfterTheGivenDispatch() {
    OverlapTracker tracker = new OverlapTracker();
    long first = tracker.record(/* inFlight= */ 1);
    long second = tracker.record(/* inFlight= */ 3);
    long third = tracker.record(/* inFlight= */ 2);
    assertEquals(3, tracker.maxSince(first));
    assertEquals(3, tracker.maxSince(second));
    assertEquals(2, tracker.maxSince(third));
    assertEquals(0, tracker.maxSince(third + 1));
  }

  @Test
  void maxSince_keepsAnEqualLaterCount() {
    OverlapTracker tracker = new OverlapTracker();
    tracker.record(5);
    long later = tracker.record(5);
    assertEquals(5, tracker.maxSince(later));
  }

  @Test
  void maxSince_matchesABruteForceScan_overManyDispatches() {
    Random random = new Random(42);
    OverlapTracker tracker = new OverlapTracker();
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      int inFlight = 1 + random.nextInt(200);
      long number = tracker.record(inFlight);
      counts.add(inFlight);
      assertEquals(i + 1, number);
      long since = 1 + random.nextInt((int) number);
      int expected = 0;
      for (int j = (int) since - 1; j < counts.size(); j++) {
        expected = Math.max(expected, counts.get(j));
      }
      assertEquals(expected, tracker.maxSince(since), "since dispatch " + since);
    }
  }
}
