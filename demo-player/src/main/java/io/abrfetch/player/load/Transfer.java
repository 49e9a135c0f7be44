package io.abrfetch.player.load;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.netty.channel.ConnectTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One HTTP GET of a viewer: measures time to first byte and to the last byte, counts body bytes
 * without keeping them (playlists excepted: their body is collected), and paces reading to the
 * viewer's simulated link (see {@link ViewerLink}).
 *
 * <p>Ends exactly once, through the callback given at {@link #start}: with {@link #failed()} false
 * and the body (for playlists) or with a failure {@link #errorKind()}. {@link #cancel()} (run end,
 * abandonment) ends it without a callback.
 *
 * <p>Threading: confined to the event loop of its shard.
 */
final class Transfer {

  final LoadShard shard;
  final RequestType type;
  final long variantBitrateBps;
  private final boolean collectBody;
  private final ViewerLink link;
  private Consumer<Transfer> done;

  long startNanos;
  long firstByteNanos;
  long endNanos;
  long bytes;
  long contentLength = -1;
  int status;
  String errorKind;
  Buffer body;
  private HttpClientRequest request;
  private HttpClientResponse response;
  private boolean ended;
  private long resumeTimerId = -1;

  Transfer(LoadShard shard, RequestType type, long variantBitrateBps, boolean collectBody,
      ViewerLink link) {
    this.shard = shard;
    this.type = type;
    this.variantBitrateBps = variantBitrateBps;
    this.collectBody = collectBody;
    this.link = link;
  }

  /** Sends the request; {@code done} runs once on the shard's event loop. */
  Transfer start(String url, String rangeHeaderOrNull, Consumer<Transfer> done) {
    this.done = done;
    startNanos = shard.nanoTime();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url)
        // No RequestOptions connect timeout: it bounds the wait for a pooled connection, and
        // Vert.x 5.0.7 throws inside the pool when that wait times out (the request then never
        // ends). The TCP connect timeout is set on the client; waiting for a connection of this
        // loop's pool is the harness's own queue and shows up in the time to first byte.
        .setIdleTimeout(shard.options().requestTimeoutMs());
    if (rangeHeaderOrNull != null) {
      options.putHeader(HttpHeaderNames.RANGE, rangeHeaderOrNull);
    }
    shard.client().request(options)
        .compose(req -> {
          if (ended) {
            req.reset();
            return io.vertx.core.Future.failedFuture("cancelled");
          }
          request = req;
          return req.send();
        })
        .onComplete(ar -> {
          if (ended) {
            return;
          }
          if (ar.failed()) {
            fail(kindOf(ar.cause()), 0);
            return;
          }
          onResponse(ar.result());
        });
    return this;
  }

  private void onResponse(HttpClientResponse resp) {
    response = resp;
    firstByteNanos = shard.nanoTime();
    status = resp.statusCode();
    String length = resp.getHeader(HttpHeaderNames.CONTENT_LENGTH);
    if (length != null) {
      try {
        contentLength = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        contentLength = -1;
      }
    }
    if (collectBody && status < 300) {
      body = Buffer.buffer();
    }
    resp.handler(this::onChunk);
    resp.exceptionHandler(e -> fail(kindOf(e), 0));
    resp.endHandler(v -> onEnd());
  }

  private void onChunk(Buffer chunk) {
    if (ended) {
      return;
    }
    bytes += chunk.length();
    if (body != null) {
      body.appendBuffer(chunk);
    }
    if (link != null) {
      long waitNanos = link.transmit(chunk.length(), shard.nanoTime());
      if (waitNanos > 1_000_000 && resumeTimerId < 0) {
        response.pause();
        resumeTimerId = shard.vertx().setTimer(waitNanos / 1_000_000, id -> {
          resumeTimerId = -1;
          if (!ended) {
            response.resume();
          }
        });
      }
    }
  }

  private void onEnd() {
    if (ended) {
      return;
    }
    if (status >= 400) {
      fail("http", status);
      return;
    }
    long now = shard.nanoTime();
    long linkDoneNanos = link == null ? now : link.freeAtNanos();
    if (linkDoneNanos - now > 1_000_000) {
      // The simulated link is still delivering the last bytes: end when it would have.
      shard.vertx().setTimer((linkDoneNanos - now) / 1_000_000, id -> finish(linkDoneNanos));
    } else {
      finish(now);
    }
  }

  private void finish(long atNanos) {
    if (ended) {
      return;
    }
    ended = true;
    endNanos = Math.max(atNanos, shard.nanoTime());
    shard.recordSuccess(this);
    done.accept(this);
  }

  private void fail(String kind, int httpStatus) {
    if (ended) {
      return;
    }
    ended = true;
    endNanos = shard.nanoTime();
    errorKind = kind;
    status = httpStatus;
    if (firstByteNanos == 0) {
      firstByteNanos = endNanos;
    }
    if (request != null && httpStatus == 0) {
      request.reset();
    }
    cancelTimer();
    shard.recordFailure(this);
    done.accept(this);
  }

  /** Ends it silently: the request is reset, nothing is recorded, the callback does not run. */
  void cancel() {
    if (ended) {
      return;
    }
    ended = true;
    cancelTimer();
    if (request != null) {
      request.reset();
    }
  }

  private void cancelTimer() {
    if (resumeTimerId >= 0) {
      shard.vertx().cancelTimer(resumeTimerId);
      resumeTimerId = -1;
    }
  }

  boolean failed() {
    return errorKind != null;
  }

  String errorKind() {
    return errorKind;
  }

  long ttfbUs() {
    return (firstByteNanos - startNanos) / 1000;
  }

  long totalUs() {
    return (endNanos - startNanos) / 1000;
  }

  /** Body transfer time without the time to first byte, for the bandwidth estimate. */
  long transferNanos() {
    return endNanos - firstByteNanos;
  }

  /** The kind label of a transport failure. */
  static String kindOf(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "connect_timeout";
    }
    if (cause instanceof TimeoutException
        || cause instanceof io.netty.handler.timeout.TimeoutException
        || cause.getClass().getSimpleName().contains("Timeout")) {
      return "timeout";
    }
    if (cause instanceof java.net.ConnectException) {
      return "connect";
    }
    if (cause instanceof io.vertx.core.http.HttpClosedException
        || cause instanceof java.io.IOException) {
      return "closed";
    }
    return "other";
  }
}
