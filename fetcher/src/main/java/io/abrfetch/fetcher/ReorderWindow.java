package io.abrfetch.fetcher;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts the chunks of one object, fetched out of order, back in order on a target
 * {@link WriteStream}: each chunk's body goes to its own {@link ChunkSink}; the head chunk (the
 * oldest not fully written) streams straight through to the target, the others are held in memory
 * until they become the head.
 *
 * <p>Memory stays bounded because the caller only opens chunks inside its window (the head plus
 * {@code windowChunks - 1}), each holding at most its length; the target's backpressure reaches
 * the head chunk's transfer (its sink reports full while the target is full or the chunk still
 * has a held backlog), never a buffer.
 *
 * <p>Threading: confined to the downloader's event loop, like the transfers that write into it.
 */
final class ReorderWindow {

  private final WriteStream<Buffer> target;
  private final Downloader downloader;
  private final Consumer<Throwable> onTargetFailure;
  private final Runnable onAdvance;

  // Confined to the downloader's event loop.
  private final Map<Long, ChunkSink> open = new HashMap<>();
  private long headIndex;
  private boolean held = true;
  private boolean released;
  // Written on the loop, read from any thread (progress displays, tests).
  private volatile long bufferedBytes;
  private volatile long peakBufferedBytes;
  private Future<Void> lastWrite = Future.succeededFuture();
  private boolean targetDrainArmed;

  /**
   * A window writing to {@code target}; it starts held (nothing reaches the target before
   * {@link #start()}) so the first response can still be discarded.
   *
   * @param onTargetFailure called once with the cause when a write to the target fails
   * @param onAdvance called after the head moved past one or more finished chunks
   */
  ReorderWindow(WriteStream<Buffer> target, Downloader downloader,
      Consumer<Throwable> onTargetFailure, Runnable onAdvance) {
    this.target = target;
    this.downloader = downloader;
    this.onTargetFailure = onTargetFailure;
    this.onAdvance = onAdvance;
  }

  /** The sink for chunk {@code index}, which may hold up to {@code capacityBytes} bytes. */
  ChunkSink open(long index, long capacityBytes) {
    ChunkSink sink = new ChunkSink(index, capacityBytes);
    open.put(index, sink);
    return sink;
  }

  /** Chunk {@code index}'s transfer delivered every byte of it. */
  void markFinished(long index) {
    ChunkSink sink = open.get(index);
    if (sink != null) {
      sink.finished();
    }
  }

  /** Drops chunk {@code index} and what it held; its later writes are discarded. */
  void discard(long index) {
    ChunkSink sink = open.remove(index);
    if (sink != null) {
      sink.detach();
    }
  }

  /** Lets bytes reach the target from now on. */
  void start() {
    held = false;
    pump();
  }

  /** The oldest chunk not yet fully written to the target. */
  long headIndex() {
    return headIndex;
  }

  long bufferedBytes() {
    return bufferedBytes;
  }

  long peakBufferedBytes() {
    return peakBufferedBytes;
  }

  /** The future of the last write handed to the target. */
  Future<Void> lastWrite() {
    return lastWrite;
  }

  /** Drops every held byte; later writes of every chunk are discarded. */
  void release() {
    released = true;
    for (ChunkSink sink : open.values()) {
      sink.detach();
    }
    open.clear();
  }

  /** Writes what the head may write, then moves past every finished chunk. */
  private void pump() {
    downloader.assertOwner();
    boolean advanced = false;
    while (!held && !released) {
      ChunkSink head = open.get(headIndex);
      if (head == null) {
        break;
      }
      while (!head.backlog.isEmpty() && !target.writeQueueFull()) {
        Buffer piece = head.backlog.poll();
        head.heldBytes -= piece.length();
        bufferedBytes -= piece.length();
        writeToTarget(piece);
      }
      if (!head.backlog.isEmpty()) {
        armTargetDrain();
        break;
      }
      if (!head.finished) {
        if (target.writeQueueFull()) {
          // The flush filled the target: the head's transfer resumes when the target drains.
          armTargetDrain();
        } else {
          head.maybeSignalDrain();
        }
        break;
      }
      open.remove(headIndex);
      headIndex++;
      advanced = true;
    }
    if (advanced) {
      onAdvance.run();
    }
  }

  private Future<Void> writeToTarget(Buffer piece) {
    Future<Void> write = target.write(piece);
    lastWrite = write;
    write.onFailure(t -> downloader.onContext(() -> onTargetFailure.accept(t)));
    return write;
  }

  private void armTargetDrain() {
    if (!targetDrainArmed) {
      targetDrainArmed = true;
      target.drainHandler(v -> downloader.onContext(() -> {
        targetDrainArmed = false;
        pump();
      }));
    }
  }

  /**
   * The body sink of one chunk's transfer. Not the caller's stream: the downloader writes into
   * it and never ends it; {@link #finished()} marks the transfer complete.
   */
  final class ChunkSink implements WriteStream<Buffer> {
    private final long index;
    private final long capacityBytes;
    private final ArrayDeque<Buffer> backlog = new ArrayDeque<>();
    private long heldBytes;
    private boolean finished;
    private boolean detached;
    private Handler<Void> drainHandler;

    private ChunkSink(long index, long capacityBytes) {
      this.index = index;
      this.capacityBytes = capacityBytes;
    }

    /** The transfer delivered every byte of the chunk. */
    void finished() {
      finished = true;
      if (!detached && index == headIndex) {
        pump();
      }
    }

    private boolean streamsThrough() {
      return !held && index == headIndex && backlog.isEmpty();
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (detached) {
        return Future.succeededFuture();
      }
      if (streamsThrough()) {
        return writeToTarget(data);
      }
      if (heldBytes + data.length() > capacityBytes && index != headIndex) {
        // The downloader bounds every ranged body first; this is the last line. The head may
        // pass its capacity by the read that made it report full, before its transfer paused.
        return Future.failedFuture(FetchException.of(FetchException.Kind.OVERLONG,
            "chunk " + index + " holds more than its " + capacityBytes + " bytes"));
      }
      backlog.add(data);
      heldBytes += data.length();
      bufferedBytes += data.length();
      peakBufferedBytes = Math.max(peakBufferedBytes, bufferedBytes);
      return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      if (detached) {
        return false;
      }
      if (index != headIndex) {
        // Bounded by its range, not by pausing: its request must end so that the next chunk of
        // the window can start while the head is slow.
        return false;
      }
      if (held) {
        return heldBytes >= capacityBytes;
      }
      return !backlog.isEmpty() || target.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      this.drainHandler = handler;
      if (handler != null && !detached && !held && index == headIndex
          && backlog.isEmpty() && target.writeQueueFull()) {
        armTargetDrain();
      }
      return this;
    }

    private void maybeSignalDrain() {
      if (drainHandler != null && !writeQueueFull()) {
        Handler<Void> handler = drainHandler;
        drainHandler = null;
        handler.handle(null);
      }
    }

    private void detach() {
      detached = true;
      bufferedBytes -= heldBytes;
      heldBytes = 0;
      backlog.clear();
      drainHandler = null;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }
  }
}
