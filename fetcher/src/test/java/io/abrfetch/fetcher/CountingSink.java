package io.abrfetch.fetcher;

import io.abrfetch.origin.SyntheticContent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.Arrays;

/**
 * A benchmark sink that counts what it is given and drops it, so a run measures the fetcher, not
 * the consumer; with a path it also checks the first 64 bytes of every write against the origin's
 * deterministic content. Never full. Confined to the writer's event loop.
 */
final class CountingSink implements WriteStream<Buffer> {

  private static final int SPOT_CHECK_BYTES = 64;

  private final String pathOrNull;
  long bytes;
  long mismatches;

  /** Counts only. */
  CountingSink() {
    this(null);
  }

  /** Counts and spot-checks against {@link SyntheticContent} at {@code pathOrNull} when non-null. */
  CountingSink(String pathOrNull) {
    this.pathOrNull = pathOrNull;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (pathOrNull != null) {
      int n = Math.min(SPOT_CHECK_BYTES, data.length());
      if (!Arrays.equals(SyntheticContent.bytes(pathOrNull, bytes, n), data.getBytes(0, n))) {
        mismatches++;
      }
    }
    bytes += data.length();
    return Future.succeededFuture();
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

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
