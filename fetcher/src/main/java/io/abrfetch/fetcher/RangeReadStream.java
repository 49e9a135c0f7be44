package io.abrfetch.fetcher;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * One range read of a {@link MultiRangeReader}: a {@link ReadStream} of the range's bytes, in
 * order, exactly once, with its own flow control, plus {@link #completion()}.
 *
 * <p>Flow control: {@link #pause()}, {@link #fetch(long)} and {@link #resume()} act on this read
 * only. The server may send at most the reader's credit window ahead of what the handler consumed,
 * so a paused read holds at most that many bytes and the stream's other reads go on. Bytes that
 * arrive before a handler is set are kept (within that window), not dropped.
 *
 * <p>Threading: confined to the reader's context; handlers run there. The methods may be called
 * from any thread (they hop onto the context). Exactly one ending: the end handler and a
 * successful {@link #completion()}, or the exception handler and a failed completion with a
 * {@link RangeReadException} (a caller's {@link #cancel()} fails the completion with kind
 * {@code CANCELLED} and calls no handler).
 */
public final class RangeReadStream implements ReadStream<Buffer> {

  private final MultiRangeReader reader;
  private final long readId;
  private final long offsetBytes;
  private final long lengthBytes;
  private final Promise<RangeReadResult> completion = Promise.promise();
  // Confined to the reader's context.
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long receivedBytes;
  private long deliveredBytes;
  /** Credit granted on the current stream generation, and bytes received on it. */
  long grantedOnGeneration;
  long receivedOnGeneration;
  /** The stream generation this read was last sent on; 0 before it was ever sent. */
  int sentOnGeneration;
  private long checksummedMessages;
  private int resumes;
  private long demand = Long.MAX_VALUE;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean rangeEnded;
  private boolean done;
  private boolean draining;

  RangeReadStream(MultiRangeReader reader, long readId, long offsetBytes, long lengthBytes) {
    this.reader = reader;
    this.readId = readId;
    this.offsetBytes = offsetBytes;
    this.lengthBytes = lengthBytes;
  }

  /** The read's id on the stream, unique within its reader and kept across reopens. */
  public long readId() {
    return readId;
  }

  /** The first byte asked for. */
  public long offsetBytes() {
    return offsetBytes;
  }

  /** The bytes asked for; 0 means to the end of the object. */
  public long lengthBytes() {
    return lengthBytes;
  }

  /**
   * Completes once every byte was delivered and the end handler ran; fails with a
   * {@link RangeReadException}. Completed on the reader's context.
   */
  public Future<RangeReadResult> completion() {
    return completion.future();
  }

  /**
   * Gives up on the read: the server is told to stop sending it, bytes still arriving for it are
   * discarded without holding up the stream, and {@link #completion()} fails with kind
   * {@code CANCELLED}. No effect once the read has ended.
   */
  public void cancel() {
    reader.onContext(() -> reader.cancel(this));
  }

  @Override
  public RangeReadStream handler(Handler<Buffer> handler) {
    reader.onContext(() -> {
      this.handler = handler;
      drain();
    });
    return this;
  }

  @Override
  public RangeReadStream exceptionHandler(Handler<Throwable> handler) {
    reader.onContext(() -> this.exceptionHandler = handler);
    return this;
  }

  @Override
  public RangeReadStream endHandler(Handler<Void> endHandler) {
    reader.onContext(() -> {
      this.endHandler = endHandler;
      drain();
    });
    return this;
  }

  @Override
  public RangeReadStream pause() {
    reader.onContext(() -> demand = 0);
    return this;
  }

  @Override
  public RangeReadStream resume() {
    reader.onContext(() -> {
      demand = Long.MAX_VALUE;
      drain();
    });
    return this;
  }

  @Override
  public RangeReadStream fetch(long amount) {
    Checks.checkArgument(amount >= 0, "amount: %s (expected: >= 0)", amount);
    reader.onContext(() -> {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      drain();
    });
    return this;
  }

  // Package-private, called by the reader on its context.

  /** The reader this read runs on. */
  MultiRangeReader reader() {
    return reader;
  }

  long receivedBytes() {
    return receivedBytes;
  }

  long queuedBytes() {
    return queuedBytes;
  }

  boolean isDone() {
    return done;
  }

  void resumedOnNewStream(long initialCreditBytes) {
    resumes++;
    grantedOnGeneration = initialCreditBytes;
    receivedOnGeneration = 0;
  }

  void onData(Buffer data) {
    receivedBytes += data.length();
    receivedOnGeneration += data.length();
    checksummedMessages++;
    if (data.length() > 0) {
      queue.add(data);
      queuedBytes += data.length();
    }
    drain();
  }

  void onRangeEnd() {
    rangeEnded = true;
    drain();
  }

  void fail(RangeReadException failure) {
    if (done) {
      return;
    }
    done = true;
    queue.clear();
    queuedBytes = 0;
    completion.tryFail(failure);
    if (exceptionHandler != null && failure.kind() != RangeReadException.Kind.CANCELLED) {
      exceptionHandler.handle(failure);
    }
  }

  /** Delivers queued bytes while the handler has demand, then ends or asks for more credit. */
  private void drain() {
    if (draining || done) {
      return;
    }
    draining = true;
    try {
      while (!done && demand > 0 && handler != null && !queue.isEmpty()) {
        Buffer data = queue.poll();
        queuedBytes -= data.length();
        deliveredBytes += data.length();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(data);
      }
      if (!done && rangeEnded && queue.isEmpty()) {
        done = true;
        completion.tryComplete(new RangeReadResult(
            readId, offsetBytes, deliveredBytes, resumes, checksummedMessages));
        if (endHandler != null) {
          endHandler.handle(null);
        }
      }
    } finally {
      draining = false;
    }
    if (!done) {
      reader.maybeGrant(this);
    }
  }
}
