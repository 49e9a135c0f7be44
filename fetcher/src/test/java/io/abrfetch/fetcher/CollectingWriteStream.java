package io.abrfetch.fetcher;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.ByteArrayOutputStream;

/**
 * A sink that keeps every byte written, and optionally acts slow: writes go to a queue drained at
 * {@code drainBytesPerTick} bytes every {@code tickMs}, so {@link #writeQueueFull()} turns true and
 * the writer must wait for the drain handler. Used from one event loop only.
 */
final class CollectingWriteStream implements WriteStream<Buffer> {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Vertx vertx;
  private final int drainBytesPerTick;
  private final long tickMs;
  private int maxQueueBytes = Integer.MAX_VALUE;
  private long queuedBytes;
  private Handler<Void> drainHandler;
  private long timerId = -1;
  volatile int timesFull;
  volatile int writes;
  volatile boolean ended;

  /** A sink that is never full. */
  CollectingWriteStream() {
    this(null, 0, 0);
  }

  CollectingWriteStream(Vertx vertx, int drainBytesPerTick, long tickMs) {
    this.vertx = vertx;
    this.drainBytesPerTick = drainBytesPerTick;
    this.tickMs = tickMs;
  }

  synchronized byte[] bytes() {
    return bytes.toByteArray();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public synchronized Future<Void> write(Buffer data) {
    bytes.writeBytes(data.getBytes());
    writes++;
    if (vertx != null) {
      queuedBytes += data.length();
      if (queuedBytes >= maxQueueBytes) {
        timesFull++;
      }
      if (timerId == -1) {
        timerId = vertx.setPeriodic(tickMs, id -> tick());
      }
    }
    return Future.succeededFuture();
  }

  private void tick() {
    Handler<Void> toCall = null;
    synchronized (this) {
      boolean wasFull = queuedBytes >= maxQueueBytes;
      queuedBytes = Math.max(0, queuedBytes - drainBytesPerTick);
      if (queuedBytes == 0) {
        vertx.cancelTimer(timerId);
        timerId = -1;
      }
      if (wasFull && queuedBytes < maxQueueBytes / 2 && drainHandler != null) {
        toCall = drainHandler;
        drainHandler = null;
      }
    }
    if (toCall != null) {
      toCall.handle(null);
    }
  }

  @Override
  public Future<Void> end() {
    ended = true;
    return Future.succeededFuture();
  }

  @Override
  public synchronized WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    this.maxQueueBytes = maxSize;
    return this;
  }

  @Override
  public synchronized boolean writeQueueFull() {
    return queuedBytes >= maxQueueBytes;
  }

  @Override
  public synchronized WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
