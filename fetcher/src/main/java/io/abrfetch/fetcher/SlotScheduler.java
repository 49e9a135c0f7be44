package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The scheduling decisions of a downloader, pure and without I/O: which queued entry starts next
 * and which running prefetch to preempt.
 *
 * <ul>
 *   <li>Slots: {@code slot = (peer playing ? 0 : 2) + (request BLOCKING ? 0 : 1)}; a lower slot
 *       always starts first.
 *   <li>Within a slot, peers take turns (round-robin); within a peer and priority, entries start
 *       in {@link Entry#sequence()} order (FIFO, and a requeued entry goes back to its place).
 *   <li>At most {@code maxInFlight} entries run, at most {@code maxInFlightPerOrigin} per origin;
 *       an entry whose origin is full is skipped, not waited on, so one busy origin does not block
 *       work for another.
 *   <li>A queued BLOCKING entry that cannot start for lack of capacity may preempt a running
 *       PREFETCH entry of a strictly worse slot (of the same origin when that origin is full):
 *       the worst slot first, then the most recently started (least sunk work).
 * </ul>
 *
 * <p>Threading: not thread-safe; the downloader confines it to its event loop.
 */
final class SlotScheduler<E extends SlotScheduler.Entry> {

  /** What the scheduler needs to know about a request. */
  interface Entry {
    String peerKey();

    String originKey();

    /** Mutable only while the entry is not queued (the scheduler re-slots on enqueue). */
    RequestPriority priority();

    /** Acceptance order; unique. */
    long sequence();
  }

  static final int SLOTS = 4;

  private static final Comparator<Entry> BY_SEQUENCE = Comparator.comparingLong(Entry::sequence);

  private final int maxInFlight;
  private final int maxInFlightPerOrigin;
  private final Map<String, PeerQueue<E>> peers = new HashMap<>();
  // rings[slot]: the peers with queued entries in that slot, in round-robin order.
  private final List<LinkedHashSet<PeerQueue<E>>> rings = new ArrayList<>(SLOTS);
  // In start order: the last one is the most recently started.
  private final LinkedHashSet<E> running = new LinkedHashSet<>();
  private final Map<String, Integer> runningPerOrigin = new HashMap<>();
  private int queued;

  SlotScheduler(int maxInFlight, int maxInFlightPerOrigin) {
    checkArgument(maxInFlight > 0, "maxInFlight: %s (expected: > 0)", maxInFlight);
    checkArgument(maxInFlightPerOrigin > 0, "maxInFlightPerOrigin: %s (expected: > 0)",
        maxInFlightPerOrigin);
    this.maxInFlight = maxInFlight;
    this.maxInFlightPerOrigin = maxInFlightPerOrigin;
    for (int i = 0; i < SLOTS; i++) {
      rings.add(new LinkedHashSet<>());
    }
  }

  static int slot(boolean peerPlaying, RequestPriority priority) {
    return (peerPlaying ? 0 : 2) + (priority == RequestPriority.BLOCKING ? 0 : 1);
  }

  void addPeer(String peerKey, boolean playing) {
    checkArgument(!peers.containsKey(peerKey), "peerKey: %s (expected: not yet added)", peerKey);
    peers.put(peerKey, new PeerQueue<>(peerKey, playing));
  }

  boolean hasPeer(String peerKey) {
    return peers.containsKey(peerKey);
  }

  boolean isPlaying(String peerKey) {
    PeerQueue<E> peer = peers.get(peerKey);
    return peer != null && peer.playing;
  }

  /** Changes the peer axis of {@code peerKey}; its queued entries move to their new slots. */
  void setPlaying(String peerKey, boolean playing) {
    PeerQueue<E> peer = requirePeer(peerKey);
    if (peer.playing == playing) {
      return;
    }
    leaveRings(peer);
    peer.playing = playing;
    joinRings(peer);
  }

  /** Forgets {@code peerKey} and returns its queued entries; its running ones stay running. */
  List<E> removePeer(String peerKey) {
    PeerQueue<E> peer = peers.remove(peerKey);
    if (peer == null) {
      return List.of();
    }
    leaveRings(peer);
    List<E> removed = new ArrayList<>();
    for (TreeSet<E> q : peer.byPriority) {
      removed.addAll(q);
      q.clear();
    }
    queued -= removed.size();
    return removed;
  }

  /** Queues {@code entry} at its sequence position; its peer must be known. */
  void enqueue(E entry) {
    PeerQueue<E> peer = requirePeer(entry.peerKey());
    checkArgument(!running.contains(entry), "entry %s (expected: not running)", entry.sequence());
    TreeSet<E> q = peer.queue(entry.priority());
    if (!q.add(entry)) {
      throw new IllegalArgumentException("entry " + entry.sequence() + " (expected: not queued)");
    }
    queued++;
    rings.get(slot(peer.playing, entry.priority())).add(peer);
  }

  /** Removes a queued entry; false when it was not queued. */
  boolean removeQueued(E entry) {
    PeerQueue<E> peer = peers.get(entry.peerKey());
    if (peer == null) {
      return false;
    }
    TreeSet<E> q = peer.queue(entry.priority());
    if (!q.remove(entry)) {
      return false;
    }
    queued--;
    if (q.isEmpty()) {
      rings.get(slot(peer.playing, entry.priority())).remove(peer);
    }
    return true;
  }

  /** Queued entries of {@code peerKey}. */
  int queuedCount(String peerKey) {
    PeerQueue<E> peer = peers.get(peerKey);
    return peer == null ? 0 : peer.byPriority.get(0).size() + peer.byPriority.get(1).size();
  }

  int queuedCount() {
    return queued;
  }

  int inFlight() {
    return running.size();
  }

  int inFlight(String originKey) {
    return runningPerOrigin.getOrDefault(originKey, 0);
  }

  Collection<E> running() {
    return Collections.unmodifiableCollection(running);
  }

  boolean isRunning(E entry) {
    return running.contains(entry);
  }

  /**
   * Picks the next entry to start, marks it running and returns it; null when nothing can start
   * (nothing queued, or every queued entry is held back by a cap).
   */
  E next() {
    if (running.size() >= maxInFlight || queued == 0) {
      return null;
    }
    for (int slot = 0; slot < SLOTS; slot++) {
      LinkedHashSet<PeerQueue<E>> ring = rings.get(slot);
      RequestPriority priority = slot % 2 == 0 ? RequestPriority.BLOCKING
          : RequestPriority.PREFETCH;
      for (int turns = ring.size(); turns > 0; turns--) {
        Iterator<PeerQueue<E>> it = ring.iterator();
        PeerQueue<E> peer = it.next();
        it.remove();
        TreeSet<E> q = peer.queue(priority);
        E picked = null;
        for (E candidate : q) {
          if (inFlight(candidate.originKey()) < maxInFlightPerOrigin) {
            picked = candidate;
            break;
          }
        }
        if (picked != null) {
          q.remove(picked);
          queued--;
        }
        if (!q.isEmpty()) {
          ring.add(peer); // to the tail: the next turn in this slot goes to another peer
        }
        if (picked != null) {
          markRunning(picked);
          return picked;
        }
      }
    }
    return null;
  }

  /** Marks a running entry finished (ended or about to be requeued), freeing its capacity. */
  void finished(E entry) {
    if (running.remove(entry)) {
      runningPerOrigin.merge(entry.originKey(), -1, (a, b) -> a + b == 0 ? null : a + b);
    }
  }

  /**
   * The running PREFETCH entry that a queued BLOCKING entry held back by capacity should preempt,
   * or null when no blocking entry waits for capacity or no running entry may be preempted.
   */
  E preemptionVictim() {
    for (int slot = 0; slot < SLOTS; slot += 2) {
      for (PeerQueue<E> peer : rings.get(slot)) {
        for (E waiting : peer.queue(RequestPriority.BLOCKING)) {
          boolean globalFull = running.size() >= maxInFlight;
          boolean originFull = inFlight(waiting.originKey()) >= maxInFlightPerOrigin;
          if (!globalFull && !originFull) {
            continue; // it will start on the next call to next()
          }
          // When its origin is full, only a slot of that origin helps, whatever the global
          // count says; freeing another origin's slot would just restart the victim.
          E victim = victimFor(slot, originFull ? waiting.originKey() : null);
          if (victim != null) {
            return victim;
          }
        }
      }
    }
    return null;
  }

  private E victimFor(int waitingSlot, String originOrNull) {
    E victim = null;
    int victimSlot = -1;
    for (E candidate : running) { // start order: a later equal-slot candidate wins
      if (candidate.priority() != RequestPriority.PREFETCH) {
        continue;
      }
      if (originOrNull != null && !originOrNull.equals(candidate.originKey())) {
        continue;
      }
      int candidateSlot = slotOfRunning(candidate);
      if (candidateSlot > waitingSlot && candidateSlot >= victimSlot) {
        victim = candidate;
        victimSlot = candidateSlot;
      }
    }
    return victim;
  }

  private int slotOfRunning(E entry) {
    PeerQueue<E> peer = peers.get(entry.peerKey());
    return slot(peer != null && peer.playing, entry.priority());
  }

  private void markRunning(E entry) {
    running.add(entry);
    runningPerOrigin.merge(entry.originKey(), 1, Integer::sum);
  }

  private PeerQueue<E> requirePeer(String peerKey) {
    PeerQueue<E> peer = peers.get(peerKey);
    if (peer == null) {
      throw new IllegalArgumentException("peerKey: " + peerKey + " (expected: an added peer)");
    }
    return peer;
  }

  private void leaveRings(PeerQueue<E> peer) {
    for (RequestPriority p : RequestPriority.values()) {
      rings.get(slot(peer.playing, p)).remove(peer);
    }
  }

  private void joinRings(PeerQueue<E> peer) {
    for (RequestPriority p : RequestPriority.values()) {
      if (!peer.queue(p).isEmpty()) {
        rings.get(slot(peer.playing, p)).add(peer);
      }
    }
  }

  private static final class PeerQueue<E extends Entry> {
    final String key;
    boolean playing;
    // Indexed by RequestPriority.ordinal().
    final List<TreeSet<E>> byPriority = List.of(new TreeSet<>(BY_SEQUENCE),
        new TreeSet<>(BY_SEQUENCE));

    PeerQueue(String key, boolean playing) {
      this.key = key;
      this.playing = playing;
    }

    TreeSet<E> queue(RequestPriority priority) {
      return byPriority.get(priority.ordinal());
    }

    @Override
    public String toString() {
      return key;
    }
  }
}
