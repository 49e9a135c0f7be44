package io.abrfetch.fetcher.hls;

import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * One track of an {@link HlsSession} as its reader sees it: an ordered {@link ReadStream} of
 * {@link MediaSegment}s with backpressure.
 *
 * <p>Segments arrive in media sequence order, none skipped (a live window that slid past unread
 * segments is flagged as a discontinuity and reported as {@link HlsEvent.SegmentsMissed}). The
 * stream starts flowing when a handler is set; {@link #pause()} and {@link #fetch(long)} bound what
 * is handed over, and what is not handed over stays queued here. The peer behind the track stops
 * fetching while the queued media plus what the reader reported as buffered downstream
 * ({@link #reportBufferedUs}) reaches the session's target buffer. A reader waiting for a segment
 * (demand and nothing queued) makes the peer's next fetch urgent
 * ({@link io.abrfetch.fetcher.RequestPriority#BLOCKING}). The stream ends after the last segment
 * of a VOD or ended live stream, or when the session closes; a failure reaches the exception
 * handler after the segments queued before it, and the stream then ends.
 *
 * <p>Threading: every method may be called from any thread; it hops onto the session's context,
 * where all handlers are called.
 */
public final class Track implements ReadStream<MediaSegment> {

  private final TrackType type;
  private final ContextInternal context;
  private TrackPeer peer;

  // Confined to the session's context.
  private final ArrayDeque<MediaSegment> queue = new ArrayDeque<>();
  private long demand = Long.MAX_VALUE;
  private Handler<MediaSegment> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean noMoreSegments;
  private boolean endSignalled;
  private boolean failureSignalled;
  private boolean delivering;

  // Written on the session's context, read from any thread (dashboards, the abandon hook).
  private volatile long queuedDurationUs;
  private volatile int queuedSegments;
  private volatile long downstreamBufferedUs;
  private volatile boolean finished;
  private volatile HlsException failure;

  Track(TrackType type, ContextInternal context) {
    this.type = type;
    this.context = context;
  }

  void attach(TrackPeer peer) {
    this.peer = peer;
  }

  /** What this track carries. */
  public TrackType type() {
    return type;
  }

  /** The downloader (and ABR) peer id of this track. */
  public String peerId() {
    return peer.peerId();
  }

  /** The ladder index of the variant the next segment comes from (0 for audio). */
  public int currentVariantIndex() {
    return peer.currentVariantIndex();
  }

  /** Media queued here and not yet handed to the reader, microseconds. */
  public long queuedDurationUs() {
    return queuedDurationUs;
  }

  /** Segments queued here and not yet handed to the reader. */
  public int queuedSegments() {
    return queuedSegments;
  }

  /**
   * Tells the track how much media its reader holds ahead of its playhead (a player's buffer),
   * microseconds; it counts towards the look-ahead window and the buffer ABR sees. 0 by default.
   */
  public Track reportBufferedUs(long bufferedUs) {
    if (bufferedUs < 0) {
      throw new IllegalArgumentException("bufferedUs: " + bufferedUs + " (expected: >= 0)");
    }
    downstreamBufferedUs = bufferedUs;
    onContext(() -> peer.pump());
    return this;
  }

  /** The buffer this track counts: queued here plus what the reader reported, microseconds. */
  public long bufferedUs() {
    return queuedDurationUs + downstreamBufferedUs;
  }

  /** The failure that ended this track, or null. */
  public HlsException failure() {
    return failure;
  }

  /** Whether the stream has ended (normally, by failure, or by the session closing). */
  public boolean isEnded() {
    return finished;
  }

  @Override
  public Track exceptionHandler(Handler<Throwable> handler) {
    onContext(() -> {
      exceptionHandler = handler;
      drain();
    });
    return this;
  }

  @Override
  public Track handler(Handler<MediaSegment> handler) {
    onContext(() -> {
      this.handler = handler;
      drain();
    });
    return this;
  }

  @Override
  public Track pause() {
    onContext(() -> demand = 0);
    return this;
  }

  @Override
  public Track resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public Track fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("amount: " + amount + " (expected: >= 0)");
    }
    onContext(() -> {
      demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
      drain();
    });
    return this;
  }

  @Override
  public Track endHandler(Handler<Void> endHandler) {
    onContext(() -> {
      this.endHandler = endHandler;
      drain();
    });
    return this;
  }

  /** Whether a reader waits for a segment that is not here yet. Session context only. */
  boolean readerWaiting() {
    return handler != null && demand > 0 && queue.isEmpty() && !noMoreSegments;
  }

  /** Queues {@code segment} (or hands it straight to a waiting reader). Session context only. */
  void offer(MediaSegment segment) {
    if (noMoreSegments) {
      return;
    }
    queue.addLast(segment);
    queuedDurationUs += segment.durationUs();
    queuedSegments = queue.size();
    drain();
  }

  /** No segment follows the queued ones. Session context only. */
  void end() {
    noMoreSegments = true;
    drain();
  }

  /** The track failed: {@code error} follows the queued segments, then the end. */
  void fail(HlsException error) {
    if (noMoreSegments) {
      return;
    }
    failure = error;
    noMoreSegments = true;
    drain();
  }

  /** The session closed: queued segments are dropped and the stream ends now. */
  void close() {
    noMoreSegments = true;
    queue.clear();
    queuedDurationUs = 0;
    queuedSegments = 0;
    drain();
  }

  private void drain() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (handler != null && demand > 0 && !queue.isEmpty()) {
        MediaSegment segment = queue.pollFirst();
        queuedDurationUs -= segment.durationUs();
        queuedSegments = queue.size();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(segment);
      }
      if (queue.isEmpty() && noMoreSegments) {
        finished = true;
        // Handlers set after the end still hear of it, so a late reader is never left waiting.
        if (failure != null && !failureSignalled && exceptionHandler != null) {
          failureSignalled = true;
          exceptionHandler.handle(failure);
        }
        if (!endSignalled && endHandler != null) {
          endSignalled = true;
          endHandler.handle(null);
        }
      }
    } finally {
      delivering = false;
    }
    if (peer != null && !noMoreSegments) {
      if (readerWaiting()) {
        peer.onReaderWaiting();
      }
      peer.pump();
    }
  }

  private void onContext(Runnable action) {
    if (context.nettyEventLoop().inEventLoop()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
