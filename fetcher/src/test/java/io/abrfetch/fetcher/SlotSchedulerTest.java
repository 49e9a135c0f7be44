package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotSchedulerTest {

  private static long nextSequence = 1;

  static final class E implements SlotScheduler.Entry {
    final String peer;
    final String origin;
    RequestPriority priority;
    final long sequence = nextSequence++;

    E(String peer, String origin, RequestPriority priority) {
      this.peer = peer;
      this.origin = origin;
      this.priority = priority;
    }

    @Override
    public String peerKey() {
      return peer;
    }

    @Override
    public String originKey() {
      return origin;
    }

    @Override
    public RequestPriority priority() {
      return priority;
    }

    @Override
    public long sequence() {
      return sequence;
    }

    @Override
    public String toString() {
      return peer + "#" + sequence + "/" + priority;
    }
  }

  private static E blocking(String peer) {
    return new E(peer, "o", RequestPriority.BLOCKING);
  }

  private static E prefetch(String peer) {
    return new E(peer, "o", RequestPriority.PREFETCH);
  }

  private static List<E> drain(SlotScheduler<E> s) {
    List<E> out = new ArrayList<>();
    E e;
    while ((e = s.next()) != null) {
      out.add(e);
    }
    return out;
  }

  @Test
  void slots_rankPlayingBeforeNotPlaying_andBlockingBeforePrefetchWithinEach() {
    assertEquals(0, SlotScheduler.slot(true, RequestPriority.BLOCKING));
    assertEquals(1, SlotScheduler.slot(true, RequestPriority.PREFETCH));
    assertEquals(2, SlotScheduler.slot(false, RequestPriority.BLOCKING));
    assertEquals(3, SlotScheduler.slot(false, RequestPriority.PREFETCH));
  }

  @Test
  void next_startsLowestSlotFirst_whateverTheEnqueueOrder() {
    SlotScheduler<E> s = new SlotScheduler<>(10, 10);
    s.addPeer("idle", false);
    s.addPeer("play", true);
    E idlePrefetch = prefetch("idle");
    E idleBlocking = blocking("idle");
    E playPrefetch = prefetch("play");
    E playBlocking = blocking("play");
    for (E e : List.of(idlePrefetch, idleBlocking, playPrefetch, playBlocking)) {
      s.enqueue(e);
    }
    assertEquals(List.of(playBlocking, playPrefetch, idleBlocking, idlePrefetch), drain(s));
  }

  @Test
  void next_isFifoWithinPeerAndPriority() {
    SlotScheduler<E> s = new SlotScheduler<>(10, 10);
    s.addPeer("a", true);
    List<E> enqueued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      E e = prefetch("a");
      enqueued.add(e);
      s.enqueue(e);
    }
    assertEquals(enqueued, drain(s));
  }

  @Test
  void next_roundRobinsBetweenPeersOfOneSlot_soAGreedyPeerCannotStarveAnother() {
    SlotScheduler<E> s = new SlotScheduler<>(100, 100);
    s.addPeer("greedy", true);
    s.addPeer("modest", true);
    for (int i = 0; i < 10; i++) {
      s.enqueue(prefetch("greedy"));
    }
    E m1 = prefetch("modest");
    E m2 = prefetch("modest");
    s.enqueue(m1);
    s.enqueue(m2);
    List<E> order = drain(s);
    assertTrue(order.indexOf(m1) <= 1, "modest's first request starts in the first round: " + order);
    assertTrue(order.indexOf(m2) <= 3, "modest's second starts in the second round: " + order);
  }

  @Test
  void next_neverExceedsGlobalCap_andResumesWhenASlotFrees() {
    SlotScheduler<E> s = new SlotScheduler<>(2, 10);
    s.addPeer("a", true);
    E e1 = prefetch("a");
    E e2 = prefetch("a");
    E e3 = prefetch("a");
    s.enqueue(e1);
    s.enqueue(e2);
    s.enqueue(e3);
    assertEquals(List.of(e1, e2), drain(s));
    assertEquals(2, s.inFlight());
    s.finished(e1);
    assertSame(e3, s.next());
    assertNull(s.next());
  }

  @Test
  void next_skipsEntriesOfAFullOrigin_butStartsOtherOrigins() {
    SlotScheduler<E> s = new SlotScheduler<>(10, 1);
    s.addPeer("a", true);
    E x1 = new E("a", "x", RequestPriority.PREFETCH);
    E x2 = new E("a", "x", RequestPriority.PREFETCH);
    E y1 = new E("a", "y", RequestPriority.PREFETCH);
    s.enqueue(x1);
    s.enqueue(x2);
    s.enqueue(y1);
    assertEquals(List.of(x1, y1), drain(s));
    assertEquals(1, s.inFlight("x"));
    assertEquals(1, s.inFlight("y"));
    s.finished(x1);
    assertSame(x2, s.next());
  }

  @Test
  void setPlaying_movesQueuedEntriesToTheirNewSlot() {
    SlotScheduler<E> s = new SlotScheduler<>(1, 1);
    s.addPeer("a", false);
    s.addPeer("b", true);
    E a = prefetch("a");
    E b = prefetch("b");
    s.enqueue(a);
    s.enqueue(b);
    s.setPlaying("a", true);
    s.setPlaying("b", false);
    assertSame(a, s.next());
  }

  @Test
  void priorityChange_byRemoveAndEnqueue_keepsFifoPositionAndMovesSlot() {
    SlotScheduler<E> s = new SlotScheduler<>(1, 1);
    s.addPeer("a", true);
    E first = prefetch("a");
    E second = prefetch("a");
    s.enqueue(first);
    s.enqueue(second);
    assertTrue(s.removeQueued(second));
    second.priority = RequestPriority.BLOCKING;
    s.enqueue(second);
    assertSame(second, s.next());
  }

  @Test
  void preemptionVictim_isTheLatestStartedPrefetchOfAWorseSlot_whenBlockingWorkWaits() {
    SlotScheduler<E> s = new SlotScheduler<>(2, 10);
    s.addPeer("a", true);
    E p1 = prefetch("a");
    E p2 = prefetch("a");
    s.enqueue(p1);
    s.enqueue(p2);
    drain(s);
    assertNull(s.preemptionVictim(), "nothing waits");
    s.enqueue(blocking("a"));
    assertSame(p2, s.preemptionVictim());
  }

  @Test
  void preemptionVictim_isNull_whenCapacityIsFree_orOnlyBlockingRuns_orWaitingIsPrefetch() {
    SlotScheduler<E> s = new SlotScheduler<>(1, 10);
    s.addPeer("a", true);
    E b1 = blocking("a");
    s.enqueue(b1);
    drain(s);
    s.enqueue(blocking("a"));
    assertNull(s.preemptionVictim(), "a running BLOCKING request is never preempted");
    s.finished(b1);
    assertNull(s.preemptionVictim(), "capacity is free: the waiting request just starts");
    SlotScheduler<E> t = new SlotScheduler<>(1, 10);
    t.addPeer("a", true);
    t.enqueue(prefetch("a"));
    drain(t);
    t.enqueue(prefetch("a"));
    assertNull(t.preemptionVictim(), "prefetch never preempts prefetch");
  }

  @Test
  void preemptionVictim_neverPicksAnEqualOrBetterSlot() {
    SlotScheduler<E> s = new SlotScheduler<>(1, 10);
    s.addPeer("playing", true);
    s.addPeer("idle", false);
    s.enqueue(prefetch("playing")); // slot 1
    drain(s);
    s.enqueue(blocking("idle")); // slot 2: worse than the running slot 1
    assertNull(s.preemptionVictim());
  }

  @Test
  void preemptionVictim_whenOnlyTheOriginIsFull_comesFromThatOrigin() {
    SlotScheduler<E> s = new SlotScheduler<>(10, 1);
    s.addPeer("a", true);
    E onY = new E("a", "y", RequestPriority.PREFETCH);
    E onX = new E("a", "x", RequestPriority.PREFETCH);
    s.enqueue(onY);
    s.enqueue(onX);
    drain(s);
    s.enqueue(new E("a", "x", RequestPriority.BLOCKING));
    assertSame(onX, s.preemptionVictim());
  }

  @Test
  void preemptionVictim_whenGlobalAndOriginAreBothFull_comesFromThatOriginOrNowhere() {
    SlotScheduler<E> s = new SlotScheduler<>(2, 1);
    s.addPeer("a", true);
    E blockingOnX = new E("a", "x", RequestPriority.BLOCKING);
    E prefetchOnY = new E("a", "y", RequestPriority.PREFETCH);
    s.enqueue(blockingOnX);
    s.enqueue(prefetchOnY);
    drain(s);
    s.enqueue(new E("a", "x", RequestPriority.BLOCKING));
    assertNull(s.preemptionVictim(),
        "preempting the prefetch on y would free a slot the waiting request cannot use");
  }

  @Test
  void removePeer_returnsItsQueuedEntries_andLeavesOthers() {
    SlotScheduler<E> s = new SlotScheduler<>(1, 1);
    s.addPeer("a", true);
    s.addPeer("b", true);
    E a1 = prefetch("a");
    E a2 = blocking("a");
    E b1 = prefetch("b");
    s.enqueue(a1);
    s.enqueue(a2);
    s.enqueue(b1);
    assertEquals(2, s.removePeer("a").size());
    assertEquals(1, s.queuedCount());
    assertFalse(s.hasPeer("a"));
    assertSame(b1, s.next());
  }

  @Test
  void enqueue_forUnknownPeer_isATypedError() {
    SlotScheduler<E> s = new SlotScheduler<>(1, 1);
    assertThrows(IllegalArgumentException.class, () -> s.enqueue(prefetch("nobody")));
  }
}
