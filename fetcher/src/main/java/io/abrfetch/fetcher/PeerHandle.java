package io.abrfetch.fetcher;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A registered {@link Peer}'s door to its downloader: submit requests, flip the playing flag,
 * listen to the peer's events, and close.
 *
 * <p>Closing cancels every queued and running request of the peer
 * ({@link CancelReason#PEER_CLOSED}) and unregisters it from ABR; requests submitted afterwards
 * are refused with {@link FetchException.Kind#CLOSED}. Other peers are not affected.
 *
 * <p>Threading: every method may be called from any thread; listeners and futures run on the
 * downloader's event loop.
 */
public final class PeerHandle {

  private final Downloader downloader;
  private final Peer peer;
  private final String peerId;
  final List<Consumer<FetchEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  PeerHandle(Downloader downloader, Peer peer) {
    this.downloader = downloader;
    this.peer = peer;
    this.peerId = peer.id();
  }

  public String peerId() {
    return peerId;
  }

  Downloader downloader() {
    return downloader;
  }

  Peer peer() {
    return peer;
  }

  /**
   * Submits {@code request}; never blocks. A full queue or a closed peer fails the handle's
   * {@link FetchHandle#result()} with {@code QUEUE_FULL} or {@code CLOSED} (such a request was
   * never accepted and gets no events).
   */
  public FetchHandle fetch(FetchRequest request) {
    Checks.checkNotNull(request, "request");
    return downloader.submit(this, request);
  }

  /** Changes the peer axis of the priority map; queued requests move to their new slots. */
  public Future<Void> setPlaying(boolean playing) {
    return downloader.setPlaying(this, playing);
  }

  /** Adds a listener for this peer's events (called on the downloader's event loop). */
  public PeerHandle addListener(Consumer<FetchEvent> listener) {
    listeners.add(Checks.checkNotNull(listener, "listener"));
    return this;
  }

  /** Cancels the peer's work and unregisters it; completes once every request has ended. */
  public Future<Void> close() {
    return downloader.closePeer(this, CancelReason.PEER_CLOSED);
  }

  /** Whether {@link #close()} has taken effect. */
  public boolean isClosed() {
    return closed;
  }

  void markClosed() {
    closed = true;
  }
}
