package io.abrfetch.fetcher;

import io.abrfetch.origin.SyntheticContent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.Arrays;

/**
 * A sink that checks every byte written against {@link SyntheticContent} as it arrives (so a
 * GiB costs no memory), and optionally acts as a slow consumer: written bytes join a queue that a
 * timer drains at {@code drainBytesPerTick} every {@code tickMs}; {@link #writeQueueFull()} is
 * true while the queue holds {@code maxQueueBytes} or more, and the drain handler fires once it
 * falls under half of that. Used from one event loop (the downloader's).
 */
final class ParallelRangeGetCheckingSink implements WriteStream<Buffer> {

  private final Vertx vertx;
  private final String path;
  private final long maxQueueBytes;
  private final long drainBytesPerTick;
  private final long tickMs;
  private long queuedBytes;
  private long timerId = -1;
  private Handler<Void> drainHandler;
  private long hiccupEveryBytes = Long.MAX_VALUE;
  private long hiccupMs;
  private long drainedBytes;
  private long hiccupUntilMs;
  volatile long writtenBytes;
  volatile long firstMismatchOffset = -1;
  volatile int timesFull;
  volatile boolean ended;

  /** A fast sink: never full. */
  ParallelRangeGetCheckingSink(String path) {
    this(null, path, Long.MAX_VALUE, 0, 0);
  }

  ParallelRangeGetCheckingSink(Vertx vertx, String path, long maxQueueBytes,
      long drainBytesPerTick, long tickMs) {
    this.vertx = vertx;
    this.path = path;
    this.maxQueueBytes = maxQueueBytes;
    this.drainBytesPerTick = drainBytesPerTick;
    this.tickMs = tickMs;
  }

  @Override
  public Future<Void> write(Buffer data) {
    byte[] actual = data.getBytes();
    byte[] expected = SyntheticContent.bytes(path, writtenBytes, actual.length);
    if (firstMismatchOffset < 0 && !Arrays.equals(expected, actual)) {
      int i = Arrays.mismatch(expected, actual);
      firstMismatchOffset = writtenBytes + i;
    }
    writtenBytes += actual.length;
    if (vertx != null) {
      queuedBytes += actual.length;
      if (queuedBytes >= maxQueueBytes) {
        timesFull++;
      }
      if (timerId == -1) {
        timerId = vertx.setPeriodic(tickMs, id -> tick());
      }
    }
    return Future.succeededFuture();
  }

  /**
   * Makes the consumer stop draining for {@code pauseMs} after every {@code everyBytes} it
   * drained (a consumer's hiccup: a GC pause, a slow disk), on top of its steady rate.
   */
  ParallelRangeGetCheckingSink hiccups(long everyBytes, long pauseMs) {
    this.hiccupEveryBytes = everyBytes;
    this.hiccupMs = pauseMs;
    return this;
  }

  private void tick() {
    long nowMs = System.currentTimeMillis();
    if (nowMs < hiccupUntilMs) {
      return;
    }
    long drained = Math.min(queuedBytes, drainBytesPerTick);
    if ((drainedBytes + drained) / hiccupEveryBytes > drainedBytes / hiccupEveryBytes) {
      hiccupUntilMs = nowMs + hiccupMs;
    }
    drainedBytes += drained;
    queuedBytes -= drained;
    if (queuedBytes == 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    if (queuedBytes < maxQueueBytes / 2 && drainHandler != null) {
      Handler<Void> handler = drainHandler;
      drainHandler = null;
      handler.handle(null);
    }
  }

  /** The queue's state, for failure messages. */
  String describe() {
    return "queued " + queuedBytes + ", timer " + timerId + ", drain handler "
        + (drainHandler != null) + ", hiccup until " + hiccupUntilMs;
  }

  /** Stops the drain timer (the test is over). */
  void stop() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  @Override
  public boolean writeQueueFull() {
    return queuedBytes >= maxQueueBytes;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public Future<Void> end() {
    ended = true;
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }
}
