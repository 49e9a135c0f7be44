package io.abrfetch.player;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A {@link BodyCodec} that collects the body into one {@link Buffer} but fails the response as
 * soon as more than {@code maxBytes} arrive, so a hostile origin cannot fill the heap.
 */
final class InspectBodyCodec implements BodyCodec<Buffer> {

  /** The body went over the limit; carries the limit for the message. */
  static final class TooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long maxBytes) {
      super("body over " + maxBytes + " bytes", null, false, false);
    }
  }

  private final long maxBytes;

  InspectBodyCodec(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Stream(maxBytes);
  }

  /** Written by the client's event loop only. */
  private static final class Stream implements BodyStream<Buffer> {
    private final long maxBytes;
    private final Promise<Buffer> result = Promise.promise();
    private final Buffer body = Buffer.buffer();

    Stream(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (result.future().isComplete()) {
        return Future.failedFuture(result.future().failed() ? result.future().cause()
            : new IllegalStateException("body already ended"));
      }
      if (body.length() + (long) data.length() > maxBytes) {
        TooLargeException tooLarge = new TooLargeException(maxBytes);
        result.tryFail(tooLarge);
        return Future.failedFuture(tooLarge);
      }
      body.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(body);
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false; // bounded by maxBytes, never by a queue
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
