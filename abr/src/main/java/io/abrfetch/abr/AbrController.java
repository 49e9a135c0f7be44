package io.abrfetch.abr;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one ABR controller of a downloader, shared by all its peers: it takes every finished
 * transfer as a bandwidth sample of the one link, and decides which variant each peer plays next
 * with one {@link AbrPolicy}.
 *
 * <p><b>Per-peer state.</b> A peer {@linkplain #register registers} its ladder and gets: a current
 * variant, auto or manual mode, a bandwidth cap, a reentrant lock, and a pending switch. Decisions
 * only set the pending switch; the peer applies it at a segment boundary by calling
 * {@link #nextVariant} before each segment, so a segment is never fetched half from one variant.
 * The exception is abandonment ({@link #onLoadSlow}): the segment in flight is dropped and
 * refetched from the lower variant at once.
 *
 * <p><b>When decisions are made.</b> A peer's next variant is re-evaluated when one of its
 * transfers completes ({@link #onTransfer}), when it reports its buffer ({@link #reportBuffer}),
 * when its mode or cap changes, and a download in flight is judged on {@code LoadSlow}.
 *
 * <p><b>One link.</b> Transfers that overlapped others (see {@link TransferSample}) are scaled to
 * the link: a transfer that shared the link with N-1 others is counted as having had it for 1/N
 * of its time (time-weighted: a brief overlap costs little), so N parallel fetches do not each
 * see 1/N of the link. Audio and video peers of one
 * player share the budget: the audio rendition's bitrate is taken off the link before the video's
 * variant is chosen.
 *
 * <p><b>Events and metrics.</b> Every switch is an {@link AbrEvent.VariantSwitched} with its
 * reason, and counts {@code abrfetch.abr.switches} (tags {@code direction}, {@code reason}); the
 * estimate is the gauge {@code abrfetch.abr.bandwidth.estimate} (tag {@code controller}: a
 * sequence number, so controllers sharing a registry each have their own).
 *
 * <p><b>Threading:</b> thread-safe. Every method may be called from any thread (the downloader's
 * event loop, players); state is guarded by one lock held only for short, non-blocking work. A
 * re-evaluation snapshots the peer's view under the lock, runs the policy on the calling thread
 * outside it, and applies the decision under the lock unless the peer changed meanwhile (the
 * latest evaluation wins). Listeners run on the calling thread after the lock is released, in
 * event order per call.
 */
public final class AbrController {

  private static final java.util.concurrent.atomic.AtomicInteger INSTANCES =
      new java.util.concurrent.atomic.AtomicInteger();

  private final AbrControllerOptions options;
  private final MeterRegistry registry;
  private final List<Consumer<? super AbrEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();

  // Guarded by lock.
  private final BandwidthEstimator estimator;
  private final ArrayDeque<ThroughputSample> history = new ArrayDeque<>();
  private final Map<String, Peer> peers = new HashMap<>();

  /** Mutable per-peer state. Guarded by the controller's lock. */
  private static final class Peer {
    final String peerId;
    final AbrPeerSpec spec;
    int currentIndex;
    int pendingIndex = -1;
    AbrDecision.Reason pendingReason;
    int manualIndex = -1;
    long capBps = Long.MAX_VALUE;
    int locks;
    double bufferMs;
    int nextSegmentIndex;
    int segmentsRemaining = -1;
    /** Bumped by every change that makes an evaluation in flight stale. */
    long generation;

    Peer(String peerId, AbrPeerSpec spec) {
      this.peerId = peerId;
      this.spec = spec;
      this.currentIndex = spec.initialIndex();
    }

    long bitrateBps(int index) {
      return spec.bitratesBps().get(index);
    }
  }

  private AbrController(AbrControllerOptions options, MeterRegistry registry) {
    this.options = options;
    this.registry = registry;
    this.estimator = Objects.requireNonNull(
        options.estimatorFactory().get(), "estimatorFactory returned null");
    // Several controllers (one per event loop) may share a registry: each gauge gets its own tag.
    Gauge.builder("abrfetch.abr.bandwidth.estimate", this, AbrController::bandwidthEstimateBps)
        .tag("controller", Integer.toString(INSTANCES.incrementAndGet()))
        .baseUnit("bits.per.second")
        .description("Link bandwidth estimate of the shared ABR controller")
        .strongReference(false)
        .register(registry);
  }

  /** A controller with {@link AbrControllerOptions#defaults()}, metered in a private registry. */
  public static AbrController create() {
    return new AbrController(AbrControllerOptions.defaults(), new SimpleMeterRegistry());
  }

  /** A controller with {@code options}, metered in {@code registry}. */
  public static AbrController create(AbrControllerOptions options, MeterRegistry registry) {
    return new AbrController(
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(registry, "registry"));
  }

  /** Adds a listener of every {@link AbrEvent}; it must not block. */
  public void addListener(Consumer<? super AbrEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added before; unknown listeners are ignored. */
  public void removeListener(Consumer<? super AbrEvent> listener) {
    listeners.remove(listener);
  }

  /**
   * Registers {@code peerId} with its ladder.
   *
   * @throws IllegalStateException when the id is already registered
   */
  public void register(String peerId, AbrPeerSpec spec) {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(spec, "spec");
    synchronized (lock) {
      if (peers.containsKey(peerId)) {
        throw new IllegalStateException("peerId: '" + peerId + "' is already registered");
      }
      peers.put(peerId, new Peer(peerId, spec));
    }
  }

  /** Forgets {@code peerId}; unknown ids are ignored. */
  public void unregister(String peerId) {
    synchronized (lock) {
      peers.remove(peerId);
    }
  }

  /**
   * Feeds one finished transfer of {@code peerId} into the shared link estimate, then re-evaluates
   * that peer when it is registered. Transfers of unregistered peers (playlists, keys) still count
   * towards the estimate.
   */
  public void onTransfer(String peerId, TransferSample sample) {
    Objects.requireNonNull(sample, "sample");
    Evaluation evaluation = null;
    synchronized (lock) {
      if (sample.bytes() >= options.minSampleBytes() && sample.bytes() > 0
          && sample.transferNanos() > 0) {
        // Fair share: with N transfers on the link, this one had it for about 1/N of its time.
        long linkNanos = Math.max(1,
            Math.round(sample.transferNanos() / sample.overlappingTransfers()));
        estimator.addSample(sample.bytes(), linkNanos, sample.endNanos());
        history.addLast(
            new ThroughputSample(sample.bytes(), linkNanos / 1e6, 0, history.isEmpty()));
        while (history.size() > options.historyLimit()) {
          history.removeFirst();
        }
      }
      Peer peer = peers.get(peerId);
      if (peer != null) {
        evaluation = prepare(peer);
      }
    }
    complete(evaluation);
  }

  /**
   * Tells the controller where {@code peerId}'s playback stands, and re-evaluates its variant.
   *
   * @param bufferedUs media buffered ahead of the playhead
   * @param nextSegmentIndex the index of the next segment to fetch
   * @param segmentsRemaining segments left to fetch, or -1 when unknown (live)
   */
  public void reportBuffer(
      String peerId, long bufferedUs, int nextSegmentIndex, int segmentsRemaining) {
    if (bufferedUs < 0 || nextSegmentIndex < 0 || segmentsRemaining < -1) {
      throw new IllegalArgumentException(
          "bufferedUs, nextSegmentIndex, segmentsRemaining: " + bufferedUs + ", "
              + nextSegmentIndex + ", " + segmentsRemaining
              + " (expected: >= 0, >= 0, >= -1)");
    }
    Evaluation evaluation = null;
    synchronized (lock) {
      Peer peer = requirePeer(peerId);
      peer.bufferMs = bufferedUs / 1000.0;
      peer.nextSegmentIndex = nextSegmentIndex;
      peer.segmentsRemaining = segmentsRemaining;
      evaluation = prepare(peer);
    }
    complete(evaluation);
  }

  /**
   * The variant of {@code peerId}'s next segment: applies the pending switch unless the peer is
   * locked. Call it at every segment boundary.
   */
  public int nextVariant(String peerId) {
    List<AbrEvent> events = new ArrayList<>(1);
    int index;
    synchronized (lock) {
      Peer peer = requirePeer(peerId);
      if (peer.locks == 0 && peer.pendingIndex >= 0 && peer.pendingIndex != peer.currentIndex) {
        events.add(switchTo(peer, peer.pendingIndex, peer.pendingReason, false));
      }
      if (peer.locks == 0) {
        peer.pendingIndex = -1;
        peer.pendingReason = null;
      }
      index = peer.currentIndex;
    }
    fire(events);
    return index;
  }

  /**
   * Judges a download of {@code peerId} that is running slow: returns {@link AbrDecision.Abandon}
   * (the peer is already switched to the lower variant: cancel and refetch the segment from it)
   * or {@link AbrDecision.Stay}. Manual and locked peers never abandon.
   *
   * @param bufferedUs media buffered ahead of the playhead now
   * @param segmentIndex the index of the segment in flight
   */
  public AbrDecision onLoadSlow(
      String peerId, DownloadProgress progress, long bufferedUs, int segmentIndex) {
    Objects.requireNonNull(progress, "progress");
    if (bufferedUs < 0 || segmentIndex < 0) {
      throw new IllegalArgumentException("bufferedUs, segmentIndex: " + bufferedUs + ", "
          + segmentIndex + " (expected: >= 0)");
    }
    List<AbrEvent> events = new ArrayList<>(1);
    AbrDecision decision;
    synchronized (lock) {
      Peer peer = requirePeer(peerId);
      if (progress.variantIndex() >= peer.spec.bitratesBps().size()) {
        throw new IllegalArgumentException(
            "progress.variantIndex: " + progress.variantIndex() + " (expected: < "
                + peer.spec.bitratesBps().size() + ")");
      }
      peer.bufferMs = bufferedUs / 1000.0;
      if (peer.locks > 0 || peer.manualIndex >= 0) {
        decision = new AbrDecision.Stay(
            progress.variantIndex(),
            peer.locks > 0 ? AbrDecision.Reason.LOCKED : AbrDecision.Reason.MANUAL);
      } else {
        AbrView view = view(peer, peer.spec.bitratesBps(), progress.variantIndex(),
            audioBitrateBps(peer))
            .toBuilder()
            .nextSegmentIndex(segmentIndex)
            .download(progress)
            .build();
        decision = options.policy().decide(view);
        if (decision instanceof AbrDecision.Abandon abandon) {
          peer.currentIndex = progress.variantIndex();
          events.add(switchTo(peer, abandon.targetIndex(), abandon.reason(), true));
          peer.pendingIndex = -1;
          peer.pendingReason = null;
        }
      }
    }
    fire(events);
    return decision;
  }

  /** Pins {@code peerId} to variant {@code index} from its next segment on (manual mode). */
  public void setManual(String peerId, int index) {
    List<AbrEvent> events = new ArrayList<>(2);
    Evaluation evaluation = null;
    synchronized (lock) {
      Peer peer = requirePeer(peerId);
      if (index < 0 || index >= peer.spec.bitratesBps().size()) {
        throw new IllegalArgumentException(
            "index: " + index + " (expected: 0.." + (peer.spec.bitratesBps().size() - 1) + ")");
      }
      peer.manualIndex = index;
      events.add(new AbrEvent.ModeChanged(peerId, index, now()));
      evaluation = prepare(peer);
    }
    complete(evaluation);
    fire(events);
  }

  /** Returns {@code peerId} to auto mode and re-evaluates it. */
  public void setAuto(String peerId) {
    List<AbrEvent> events = new ArrayList<>(2);
    Evaluation evaluation = null;
    synchronized (lock) {
      Peer peer = requirePeer(peerId);
      peer.manualIndex = -1;
      events.add(new AbrEvent.ModeChanged(peerId, -1, now()));
      evaluation = prepare(peer);
    }
    complete(evaluation);
    fire(events);
  }

  /**
   * Caps {@code peerId}'s variant bitrate at {@code capBps} ({@link Long#MAX_VALUE} for none); the
   * lowest variant stays allowed whatever the cap.
   */
  public void setBandwidthCap(String peerId, long capBps) {
    if (capBps <= 0) {
      throw new IllegalArgumentException("capBps: " + capBps + " (expected: > 0)");
    }
    List<AbrEvent> events = new ArrayList<>(2);
    Evaluation evaluation = null;
    synchronized (lock) {
      Peer peer = requirePeer(peerId);
      peer.capBps = capBps;
      events.add(new AbrEvent.BandwidthCapChanged(peerId, capBps, now()));
      evaluation = prepare(peer);
    }
    complete(evaluation);
    fire(events);
  }

  /** Holds {@code peerId}'s variant until as many {@link #unlock} calls; reentrant. */
  public void lock(String peerId) {
    synchronized (lock) {
      requirePeer(peerId).locks++;
    }
  }

  /**
   * Releases one {@link #lock}.
   *
   * @throws IllegalStateException when the peer is not locked
   */
  public void unlock(String peerId) {
    synchronized (lock) {
      Peer peer = requirePeer(peerId);
      if (peer.locks == 0) {
        throw new IllegalStateException("peerId: '" + peerId + "' is not locked");
      }
      peer.locks--;
    }
  }

  /** A snapshot of {@code peerId}'s state. */
  public AbrPeerState peerState(String peerId) {
    synchronized (lock) {
      Peer peer = requirePeer(peerId);
      return new AbrPeerState(peerId, peer.currentIndex, peer.pendingIndex, peer.manualIndex,
          peer.capBps, peer.locks);
    }
  }

  /** The link bandwidth estimate in bits per second (the estimator's default until measured). */
  public long bandwidthEstimateBps() {
    synchronized (lock) {
      return estimator.estimateBps();
    }
  }

  /** A re-evaluation snapshotted under the lock, decided outside it. */
  private record Evaluation(Peer peer, long generation, AbrView view, int allowed) {}

  // Called with the lock held: settles a manual peer at once, else snapshots the view.
  private Evaluation prepare(Peer peer) {
    peer.generation++;
    if (peer.manualIndex >= 0) {
      setPending(peer, peer.manualIndex, AbrDecision.Reason.MANUAL);
      return null;
    }
    List<Long> ladder = peer.spec.bitratesBps();
    int allowed = 1;
    while (allowed < ladder.size() && ladder.get(allowed) <= peer.capBps) {
      allowed++;
    }
    int viewCurrent = Math.min(peer.currentIndex, allowed - 1);
    AbrView view = view(peer, ladder.subList(0, allowed), viewCurrent, audioBitrateBps(peer));
    return new Evaluation(peer, peer.generation, view, allowed);
  }

  // Called without the lock: runs the policy, then applies its decision unless the peer changed.
  private void complete(Evaluation evaluation) {
    if (evaluation == null) {
      return;
    }
    AbrDecision decision = options.policy().decide(evaluation.view());
    synchronized (lock) {
      Peer peer = evaluation.peer();
      if (peers.get(peer.peerId) != peer || peer.generation != evaluation.generation()) {
        return;
      }
      int allowed = evaluation.allowed();
      int target = Math.min(decision.targetIndex(), allowed - 1);
      AbrDecision.Reason reason = decision.reason();
      if (peer.currentIndex >= allowed && target == allowed - 1) {
        reason = AbrDecision.Reason.BANDWIDTH_CAP;
      }
      setPending(peer, target, reason);
    }
  }

  // Called with the lock held.
  private static void setPending(Peer peer, int target, AbrDecision.Reason reason) {
    if (target == peer.currentIndex) {
      peer.pendingIndex = -1;
      peer.pendingReason = null;
    } else {
      peer.pendingIndex = target;
      peer.pendingReason = reason;
    }
  }

  // Called with the lock held: the bitrate of the audio peers of the same player.
  private long audioBitrateBps(Peer peer) {
    if (peer.spec.mediaType() != MediaType.VIDEO) {
      return 0;
    }
    long audioBps = 0;
    for (Peer other : peers.values()) {
      if (other != peer && other.spec.mediaType() == MediaType.AUDIO
          && other.spec.playerId().equals(peer.spec.playerId())) {
        audioBps += other.bitrateBps(other.currentIndex);
      }
    }
    return audioBps;
  }

  // Called with the lock held.
  private AbrView view(Peer peer, List<Long> ladder, int currentIndex, long reservedBps) {
    List<ThroughputSample> samples = new ArrayList<>(history.size());
    for (ThroughputSample sample : history) {
      samples.add(reservedBps > 0 ? withoutReserved(sample, reservedBps) : sample);
    }
    long estimateBps = estimator.hasEstimate()
        ? Math.max(estimator.estimateBps() - reservedBps, estimator.estimateBps() / 10)
        : 0;
    return AbrView.builder()
        .bitratesBps(ladder)
        .segmentSizes(peer.spec.segmentSizes())
        .currentIndex(currentIndex)
        .bufferMs(peer.bufferMs)
        .maxBufferMs(options.maxBufferMs())
        .segmentDurationUs(peer.spec.segmentDurationUs())
        .nextSegmentIndex(peer.nextSegmentIndex)
        .segmentsRemaining(peer.segmentsRemaining)
        .throughputHistory(samples)
        .bandwidthEstimateBps(estimateBps)
        .nowNanos(now())
        .build();
  }

  /**
   * The sample as the video would have seen it with {@code reservedBps} of the link going to
   * audio: same time, fewer bytes (never under a tenth, so a starved link still reads as slow,
   * not as dead).
   */
  private static ThroughputSample withoutReserved(ThroughputSample sample, long reservedBps) {
    double bps = sample.sizeBytes() * 8.0 * 1000.0 / sample.durationMs();
    double availableBps = Math.max(bps - reservedBps, bps / 10);
    long bytes = Math.max(1, Math.round(sample.sizeBytes() * availableBps / bps));
    return new ThroughputSample(
        bytes, sample.durationMs(), sample.latencyMs(), sample.sessionStart());
  }

  // Called with the lock held.
  private AbrEvent switchTo(Peer peer, int target, AbrDecision.Reason reason, boolean abandoned) {
    int from = peer.currentIndex;
    peer.currentIndex = target;
    peer.generation++;
    AbrDecision.Reason why = reason == null ? AbrDecision.Reason.ALREADY_OPTIMAL : reason;
    Counter.builder("abrfetch.abr.switches")
        .description("Variant switches decided by the ABR controller")
        .tag("direction", target > from ? "up" : "down")
        .tag("reason", why.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
    return new AbrEvent.VariantSwitched(peer.peerId, from, target, peer.bitrateBps(from),
        peer.bitrateBps(target), why, abandoned, now());
  }

  private Peer requirePeer(String peerId) {
    Peer peer = peers.get(peerId);
    if (peer == null) {
      throw new IllegalArgumentException("peerId: '" + peerId + "' (expected: a registered peer)");
    }
    return peer;
  }

  private long now() {
    return options.nanoClock().getAsLong();
  }

  private void fire(List<AbrEvent> events) {
    for (AbrEvent event : events) {
      for (Consumer<? super AbrEvent> listener : listeners) {
        listener.accept(event);
      }
    }
  }
}
