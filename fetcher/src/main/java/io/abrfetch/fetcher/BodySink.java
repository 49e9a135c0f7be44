package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;
import static io.abrfetch.fetcher.Checks.checkNotNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Where a request's body goes: collected into one {@link Buffer} up to a limit, or streamed into a
 * {@link WriteStream} whose backpressure pauses the download.
 */
public sealed interface BodySink permits BodySink.Collect, BodySink.Stream {

  /**
   * Collects the body into the {@link FetchResult#body()} buffer; a body larger than
   * {@code maxBytes} fails the request with {@link FetchException.Kind#TOO_LARGE}.
   */
  record Collect(int maxBytes) implements BodySink {
    public Collect {
      checkArgument(maxBytes > 0, "maxBytes: %s (expected: > 0)", maxBytes);
    }
  }

  /**
   * Writes the body, in order and exactly once per byte (also across resumes), to {@code target}.
   * The downloader pauses the transfer while {@code target.writeQueueFull()} and resumes it on
   * drain; it never calls {@code end()}: the stream stays the caller's. The request completes
   * once every write has been acknowledged; a failed write fails it with
   * {@link FetchException.Kind#SINK}. The stream is written from the downloader's event loop.
   */
  record Stream(WriteStream<Buffer> target) implements BodySink {
    public Stream {
      checkNotNull(target, "target");
    }
  }

  /** Collect into memory, at most {@code maxBytes}. */
  static BodySink collect(int maxBytes) {
    return new Collect(maxBytes);
  }

  /** Stream into {@code target} with backpressure. */
  static BodySink stream(WriteStream<Buffer> target) {
    return new Stream(target);
  }
}
