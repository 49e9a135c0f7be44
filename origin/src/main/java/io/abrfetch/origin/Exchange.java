package io.abrfetch.origin;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One request and its response: applies the request's faults, resolves the object, evaluates
 * conditions and ranges, and pumps the body in shaped chunks with write-queue backpressure.
 *
 * <p>Confined to the origin's event loop. Timers, never sleeps: a delay or stall is a timer, a full
 * write queue waits for its drain handler, and a long unshaped body yields to the event loop every
 * few chunks so other connections keep moving.
 */
final class Exchange {

  /** Chunks written back to back before the pump yields to other work on the event loop. */
  private static final int CHUNKS_PER_TURN = 16;
  private static final String RANGE = "Range";
  private static final String IF_RANGE = "If-Range";

  private final OriginHttpHandler origin;
  private final Vertx vertx;
  private final Context context;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final String path;
  private final long startNanos;
  private final List<Fault> faults;
  private final long connectionId;
  // Confined to the origin's event loop.
  private int status;
  private long bodyBytes;
  private boolean endCalled;
  private boolean closed;
  private boolean finished;
  private long timerId = -1;
  private ServedObject.Reader readerOrNull;
  // Body pump state.
  private Link link;
  private long firstByte;
  private long objectBytes;
  private long totalBytes;
  private long stallAtBytes = -1;
  private long stallNanos;
  private boolean stalled;
  private long resetAtBytes = -1;
  private boolean shortBody;
  private long junkKey;
  private Future<Void> lastWrite = Future.succeededFuture();

  Exchange(OriginHttpHandler origin, HttpServerRequest request) {
    this.origin = origin;
    this.vertx = origin.vertx;
    this.context = vertx.getOrCreateContext();
    this.request = request;
    this.response = request.response();
    this.path = request.path();
    this.startNanos = origin.nanoClock.getAsLong();
    this.faults = origin.faults.pick(path);
    this.connectionId = origin.connectionId(request.connection());
  }

  void start() {
    origin.stats.requestStarted(path);
    response.closeHandler(unused -> {
      closed = true;
      finish();
    });
    response.endHandler(unused -> finish());
    long delayNanos = 0;
    for (Fault fault : faults) {
      if (fault instanceof Fault.DelayFirstByte delay) {
        delayNanos += delay.delay().toNanos();
      }
    }
    after(delayNanos, this::respond);
  }

  /** Cancels pending timers and releases the reader; the server is stopping. */
  void stop() {
    closed = true;
    cancelTimer();
    releaseReader();
  }

  private void respond() {
    if (closed) {
      return;
    }
    HttpMethod method = request.method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.ALLOW, "GET, HEAD");
      sendText(405, "method " + method + " not allowed\n");
      return;
    }
    for (Fault fault : faults) {
      if (fault instanceof Fault.Status replacement) {
        if (replacement.retryAfterOrNull() != null) {
          long seconds = (replacement.retryAfterOrNull().toMillis() + 999) / 1000;
          response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        sendText(replacement.code(), "injected status " + replacement.code() + "\n");
        return;
      }
      if (fault instanceof Fault.HtmlPage200) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
        send(200, "<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>"
            + "<body><h1>Sorry, something went wrong.</h1><p>Please try again later.</p>"
            + "</body></html>\n");
        return;
      }
      if (fault instanceof Fault.RedirectLoop) {
        response.putHeader(HttpHeaders.LOCATION, request.uri());
        sendText(302, "redirecting to " + request.uri() + "\n");
        return;
      }
    }
    ContentSource source = origin.sourceFor(path);
    if (source == null) {
      sendText(404, "not found: " + path + "\n");
      return;
    }
    source.resolve(path).onComplete(resolved -> {
      if (resolved.succeeded() && resolved.result() != null) {
        readerOrNull = resolved.result().reader();
      }
      if (closed) {
        releaseReader();
        return;
      }
      if (resolved.failed()) {
        if (resolved.cause() instanceof OriginException e
            && e.kind() == OriginException.Kind.BAD_PATH) {
          sendText(400, e.getMessage() + "\n");
        } else {
          sendText(500, "internal error\n");
        }
      } else if (resolved.result() == null) {
        sendText(404, "not found: " + path + "\n");
      } else {
        serve(resolved.result());
      }
    });
  }

  private void serve(ServedObject object) {
    String etag = object.etagAtGeneration(origin.faults.generation(path));
    String ifMatch = request.getHeader(HttpHeaders.IF_MATCH);
    if (ifMatch != null && !matchesStrongly(ifMatch, etag)) {
      response.putHeader(HttpHeaders.ETAG, etag);
      sendText(412, "precondition failed: ETag is " + etag + "\n");
      return;
    }
    String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null && matchesStrongly(ifNoneMatch, etag)) {
      response.putHeader(HttpHeaders.ETAG, etag);
      send(304, null);
      return;
    }
    long sizeBytes = object.sizeBytes();
    ByteRange range = new ByteRange.Whole();
    String rangeHeader = request.getHeader(RANGE);
    if (rangeHeader != null && !has(Fault.IgnoreRange.class)) {
      String ifRange = request.getHeader(IF_RANGE);
      // A date or a stale ETag in If-Range means "send it all" (RFC 9110 section 13.1.5).
      if (ifRange == null || ifRange.strip().equals(etag)) {
        range = ByteRange.parse(rangeHeader, sizeBytes);
      }
    }
    response.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    response.putHeader(HttpHeaders.ETAG, etag);
    if (range instanceof ByteRange.Unsatisfiable) {
      response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + sizeBytes);
      sendText(416, "range not satisfiable: " + rangeHeader + " of " + sizeBytes + " bytes\n");
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, object.contentType());
    if (object.lastModifiedMsOrNull() != null) {
      response.putHeader(HttpHeaders.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME.format(
          Instant.ofEpochMilli(object.lastModifiedMsOrNull()).atOffset(ZoneOffset.UTC)));
    }
    long lastByte;
    if (range instanceof ByteRange.Part part) {
      firstByte = part.firstByte();
      lastByte = part.lastByte();
      status = 206;
    } else {
      firstByte = 0;
      lastByte = sizeBytes - 1;
      status = 200;
    }
    objectBytes = lastByte - firstByte + 1;
    if (has(Fault.WrongContentRange.class)) {
      long shift = origin.options.chunkSizeBytes();
      status = 206;
      response.putHeader(HttpHeaders.CONTENT_RANGE,
          "bytes " + (firstByte + shift) + "-" + (lastByte + shift) + "/" + sizeBytes);
    } else if (status == 206) {
      response.putHeader(HttpHeaders.CONTENT_RANGE,
          "bytes " + firstByte + "-" + lastByte + "/" + sizeBytes);
    }
    response.setStatusCode(status);
    planBody();
    if (totalBytes > objectBytes) {
      response.setChunked(true);
    } else {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(objectBytes));
    }
    if (request.method() == HttpMethod.HEAD) {
      endCalled = true;
      response.end();
      return;
    }
    link = origin.linkFor(request.connection());
    lastWrite = response.writeHead();
    pump();
  }

  private void planBody() {
    totalBytes = objectBytes;
    for (Fault fault : faults) {
      if (fault instanceof Fault.StallAfterBytes stall && stallAtBytes < 0) {
        stallAtBytes = stall.bytes();
        stallNanos = stall.stall().toNanos();
      } else if (fault instanceof Fault.ResetAfterBytes reset && resetAtBytes < 0) {
        resetAtBytes = reset.bytes();
      } else if (fault instanceof Fault.ShortBody shortened && totalBytes == objectBytes) {
        totalBytes = Math.max(0, objectBytes - shortened.missingBytes());
        shortBody = true;
      } else if (fault instanceof Fault.OverlongBody overlong && totalBytes == objectBytes) {
        totalBytes = objectBytes + overlong.extraBytes();
        junkKey = SyntheticContent.keyOf("overlong:" + path);
      }
    }
  }

  /** Writes body chunks until the body ends, a fault intervenes, or it must wait. */
  private void pump() {
    timerId = -1;
    for (int turn = 0; turn < CHUNKS_PER_TURN; turn++) {
      if (closed) {
        return;
      }
      if (!stalled && stallAtBytes >= 0 && bodyBytes == stallAtBytes && bodyBytes < totalBytes) {
        stalled = true;
        after(stallNanos, this::pump);
        return;
      }
      if (resetAtBytes >= 0 && bodyBytes == resetAtBytes && bodyBytes < totalBytes) {
        lastWrite.onComplete(written -> OriginHttpHandler.reset(request.connection()));
        return;
      }
      if (bodyBytes == totalBytes) {
        endBody();
        return;
      }
      if (response.writeQueueFull()) {
        response.drainHandler(unused -> pump());
        return;
      }
      int lengthBytes = nextChunkBytes();
      Future<Buffer> data = bodyBytes < objectBytes
          ? readerOrNull.read(firstByte + bodyBytes, lengthBytes)
          : Future.succeededFuture(junk(lengthBytes));
      long nowNanos = origin.nanoClock.getAsLong();
      long waitNanos = link == null ? 0 : link.reserve(nowNanos, lengthBytes) - nowNanos;
      if (data.succeeded() && waitNanos < 1_000_000) {
        write(data.result());
        continue;
      }
      data.onComplete(read -> {
        if (read.failed()) {
          if (!closed) {
            request.connection().close();
          }
          return;
        }
        long remainingNanos = waitNanos - (origin.nanoClock.getAsLong() - nowNanos);
        after(remainingNanos, () -> {
          if (!closed) {
            write(read.result());
            pump();
          }
        });
      });
      return;
    }
    // Let other connections' work run before the next batch of chunks.
    context.runOnContext(unused -> pump());
  }

  /** The next chunk's length: at most one chunk, and never across a fault boundary or the object end. */
  private int nextChunkBytes() {
    long limit = Math.min(origin.options.chunkSizeBytes(), totalBytes - bodyBytes);
    if (!stalled && stallAtBytes > bodyBytes) {
      limit = Math.min(limit, stallAtBytes - bodyBytes);
    }
    if (resetAtBytes > bodyBytes) {
      limit = Math.min(limit, resetAtBytes - bodyBytes);
    }
    if (bodyBytes < objectBytes) {
      limit = Math.min(limit, objectBytes - bodyBytes);
    }
    return (int) limit;
  }

  private Buffer junk(int lengthBytes) {
    byte[] bytes = new byte[lengthBytes];
    SyntheticContent.fill(junkKey, bodyBytes - objectBytes, bytes, 0, lengthBytes);
    return Buffer.buffer(bytes);
  }

  private void write(Buffer chunk) {
    lastWrite = response.write(chunk);
    bodyBytes += chunk.length();
    origin.stats.bodyBytesWritten(chunk.length());
  }

  private void endBody() {
    if (shortBody) {
      // Content-Length promised more: closing is the only honest way to end this lie.
      lastWrite.onComplete(written -> request.connection().close());
      return;
    }
    endCalled = true;
    response.end();
  }

  private void sendText(int code, String text) {
    response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
    send(code, text);
  }

  private void send(int code, String bodyOrNull) {
    status = code;
    response.setStatusCode(code);
    endCalled = true;
    if (bodyOrNull == null || request.method() == HttpMethod.HEAD) {
      response.end();
    } else {
      byte[] bytes = bodyOrNull.getBytes(StandardCharsets.UTF_8);
      bodyBytes = bytes.length;
      origin.stats.bodyBytesWritten(bytes.length);
      response.end(Buffer.buffer(bytes));
    }
  }

  /** Runs {@code action} now when {@code delayNanos} is under a millisecond, else on a timer. */
  private void after(long delayNanos, Runnable action) {
    if (delayNanos < 1_000_000) {
      action.run();
      return;
    }
    timerId = vertx.setTimer(delayNanos / 1_000_000, id -> {
      timerId = -1;
      action.run();
    });
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimer();
    releaseReader();
    origin.exchangeEnded(this);
    origin.stats.requestEnded(new ServedRequest(
        request.method().name(),
        path,
        request.getHeader(RANGE),
        request.getHeader(HttpHeaders.IF_MATCH),
        request.getHeader(IF_RANGE),
        status,
        startNanos,
        bodyBytes,
        origin.nanoClock.getAsLong(),
        faults,
        endCalled && !closed,
        connectionId));
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void releaseReader() {
    if (readerOrNull != null) {
      readerOrNull.close();
    }
  }

  private boolean has(Class<? extends Fault> kind) {
    for (Fault fault : faults) {
      if (kind.isInstance(fault)) {
        return true;
      }
    }
    return false;
  }

  /** RFC 9110 strong comparison against a list of entity tags, or {@code *}. */
  private static boolean matchesStrongly(String header, String etag) {
    for (String candidate : header.split(",")) {
      String tag = candidate.strip();
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
