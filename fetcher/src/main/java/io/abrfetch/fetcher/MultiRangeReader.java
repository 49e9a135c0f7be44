package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;
import static io.abrfetch.fetcher.Checks.checkNotNull;

import io.abrfetch.protocol.ObjectSpec;
import io.abrfetch.protocol.RangeData;
import io.abrfetch.protocol.RangeReadGrpcClient;
import io.abrfetch.protocol.ReadCredit;
import io.abrfetch.protocol.ReadRange;
import io.abrfetch.protocol.ReadRangesRequest;
import io.abrfetch.protocol.ReadRangesResponse;
import io.abrfetch.protocol.ReadStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Many concurrent range reads of one object over one gRPC {@code ReadRanges} bidi stream.
 *
 * <p>{@link #read(long, long)} returns a {@link RangeReadStream} at once; reads issued in the same
 * event-loop turn go to the server in one request message. One receive loop routes every
 * {@code RangeData} by read id into that read's own queue, checks that its offset continues the
 * read exactly and that its CRC32C matches, and never pauses the shared stream: each read is
 * gated by its own credit (at most {@link MultiRangeReaderOptions#creditWindowBytes()} ahead of
 * what its caller consumed), granted again as its caller's demand drains its queue. A read whose
 * caller never reads therefore holds at most one window and the others go on; a cancelled read
 * is unregistered first, cancelled on the server, and whatever still arrives for it is discarded
 * (counted in {@link #discardedBytes()}), never queued.
 *
 * <p>When the stream breaks (reset, connection loss, unexpected end), exactly one reopen happens
 * per stream generation, after a backoff: the new stream names the object with
 * {@code if_generation_match} on the generation first seen, and every unfinished read resumes
 * with the same read id from {@code offset + bytesReceived}; bytes are delivered exactly once, in
 * order. After {@link MultiRangeReaderOptions#maxReopenAttempts()} reopens in a row without any
 * data, the unfinished reads fail with {@code STREAM_BROKEN}. A CRC32C mismatch fails that read
 * alone with {@code CHECKSUM_MISMATCH} (and cancels it on the server): retrying is the caller's
 * decision, as for any transient {@link RangeReadException}.
 *
 * <p>Threading: confined to one context (the one current at {@link #create}, else a new event-loop
 * context); every public method may be called from any thread and hops onto it; handlers and
 * futures complete there.
 */
public final class MultiRangeReader {

  private final GrpcClient client;
  private final SocketAddress server;
  private final String path;
  private final MultiRangeReaderOptions options;
  private final Vertx vertx;
  private final Context context;
  private final Promise<RangeReadMetadata> metadata = Promise.promise();
  // Confined to the context. Reads still receiving, by read id, in issue order.
  private final Map<Long, RangeReadStream> reads = new LinkedHashMap<>();
  private final List<ReadRange> pendingRanges = new ArrayList<>();
  private final List<Long> pendingCancels = new ArrayList<>();
  private final Map<Long, Long> pendingCredits = new LinkedHashMap<>();
  private final CRC32C crc = new CRC32C();
  private long nextReadId = 1;
  /** The generation of the current stream (open, opening or waiting to reopen); 0 before any. */
  private int generation;
  private GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> requestOrNull;
  private boolean opening;
  private boolean flushScheduled;
  private int failuresInARow;
  private long backoffTimerId = -1;
  private RangeReadMetadata metadataOrNull;
  private boolean closed;
  private Thread owner;
  // Written on the context, read by any thread.
  private volatile long reopens;
  private volatile long discardedBytes;
  private volatile int streamsOpened;

  private MultiRangeReader(Vertx vertx, Context context, GrpcClient client, SocketAddress server,
      String path, MultiRangeReaderOptions options) {
    this.vertx = vertx;
    this.context = context;
    this.client = client;
    this.server = server;
    this.path = path;
    this.options = options;
  }

  /**
   * A reader of the object at {@code path} on the range-read server at {@code server}, through
   * {@code client} (owned by the caller, left open by {@link #close()}). The stream opens lazily,
   * on the first read.
   */
  public static MultiRangeReader create(Vertx vertx, GrpcClient client, SocketAddress server,
      String path, MultiRangeReaderOptions options) {
    checkNotNull(vertx, "vertx");
    checkNotNull(client, "client");
    checkNotNull(server, "server");
    checkNotNull(path, "path");
    checkNotNull(options, "options");
    checkArgument(path.startsWith("/"), "path: '%s' (expected: starts with /)", path);
    Context current = Vertx.currentContext();
    // Off a context, getOrCreateContext makes a new event-loop context: keep that one for good.
    Context context = current != null && current.owner() == vertx
        ? current
        : vertx.getOrCreateContext();
    return new MultiRangeReader(vertx, context, client, server, path, options);
  }

  /** A reader confined to {@code context}: the {@link Downloader} makes its readers on its own. */
  static MultiRangeReader create(Vertx vertx, Context context, GrpcClient client,
      SocketAddress server, String path, MultiRangeReaderOptions options) {
    checkArgument(path.startsWith("/"), "path: '%s' (expected: starts with /)", path);
    return new MultiRangeReader(vertx, context, client, server, path, options);
  }

  /**
   * Starts reading {@code lengthBytes} bytes at {@code offsetBytes} ({@code lengthBytes} 0: to the
   * end of the object). A read past the end of the object delivers the bytes up to the end.
   */
  public RangeReadStream read(long offsetBytes, long lengthBytes) {
    checkArgument(offsetBytes >= 0, "offsetBytes: %s (expected: >= 0)", offsetBytes);
    checkArgument(lengthBytes >= 0, "lengthBytes: %s (expected: >= 0, 0 = to the end)",
        lengthBytes);
    RangeReadStream[] created = new RangeReadStream[1];
    // Ids come from a counter touched only here, under the reader's monitor, so they are unique
    // whatever thread reads; everything else happens on the context.
    synchronized (this) {
      created[0] = new RangeReadStream(this, nextReadId++, offsetBytes, lengthBytes);
    }
    onContext(() -> register(created[0]));
    return created[0];
  }

  /** The object's size and generation, from the first stream's first response. */
  public Future<RangeReadMetadata> metadata() {
    return metadata.future();
  }

  /** The object path this reader reads. */
  public String path() {
    return path;
  }

  /** Streams replaced after a break so far. */
  public long reopens() {
    return reopens;
  }

  /** Streams opened so far (the first one and every reopen attempt). */
  public int streamsOpened() {
    return streamsOpened;
  }

  /** Data bytes that arrived for reads no longer registered (cancelled or failed) and were dropped. */
  public long discardedBytes() {
    return discardedBytes;
  }

  /**
   * Fails every unfinished read with {@code CLOSED} and stops reopening; the stream is cancelled
   * when reads were unfinished, else half-closed so the server ends it cleanly. Reads that already
   * received all their bytes still deliver them.
   */
  public Future<Void> close() {
    Promise<Void> closedPromise = Promise.promise();
    onContext(() -> {
      if (!closed) {
        closed = true;
        if (backoffTimerId >= 0) {
          vertx.cancelTimer(backoffTimerId);
          backoffTimerId = -1;
        }
        boolean unfinished = !reads.isEmpty();
        failAll(RangeReadException.Kind.CLOSED, "reader closed", null);
        metadata.tryFail(new RangeReadException(RangeReadException.Kind.CLOSED, 0,
            "reader closed before the object's metadata arrived"));
        GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> request = requestOrNull;
        requestOrNull = null;
        generation++;
        if (request != null) {
          // Cancels still to be sent go out; new ranges and credits are moot now.
          pendingRanges.clear();
          pendingCredits.clear();
          flush(request);
          if (unfinished) {
            request.cancel();
          } else {
            // A half-close lets the server end the call cleanly: servers count stream resets
            // (HTTP/2 rapid-reset protection) and close connections that send too many.
            request.end();
          }
        }
      }
      closedPromise.complete();
    });
    return closedPromise.future();
  }

  // Confined to the context from here on.

  void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(unused -> action.run());
    }
  }

  private void register(RangeReadStream read) {
    assert onOwnerThread();
    if (closed) {
      read.fail(new RangeReadException(RangeReadException.Kind.CLOSED, read.readId(),
          "reader closed"));
      return;
    }
    reads.put(read.readId(), read);
    if (requestOrNull != null) {
      read.grantedOnGeneration = options.creditWindowBytes();
      read.sentOnGeneration = generation;
      pendingRanges.add(range(read, options.creditWindowBytes()));
      scheduleFlush();
    } else if (!opening) {
      open();
    }
    // Otherwise a stream is opening: its first message will carry this read.
  }

  void cancel(RangeReadStream read) {
    assert onOwnerThread();
    if (read.isDone()) {
      return;
    }
    if (reads.remove(read.readId()) != null && requestOrNull != null) {
      pendingCancels.add(read.readId());
      scheduleFlush();
    }
    read.fail(new RangeReadException(RangeReadException.Kind.CANCELLED, read.readId(),
        "read " + read.readId() + " cancelled by its caller"));
  }

  /** Grants {@code read} more credit once at least half its window is free. */
  void maybeGrant(RangeReadStream read) {
    if (requestOrNull == null || reads.get(read.readId()) != read) {
      return;
    }
    long window = options.creditWindowBytes();
    long outstanding = Math.max(0, read.grantedOnGeneration - read.receivedOnGeneration);
    long room = window - outstanding - read.queuedBytes();
    if (room >= window / 2) {
      read.grantedOnGeneration += room;
      pendingCredits.merge(read.readId(), room, Long::sum);
      scheduleFlush();
    }
  }

  private void open() {
    opening = true;
    if (generation == 0) {
      generation = 1;
    }
    int openingGeneration = generation;
    streamsOpened++;
    if (openingGeneration > 1) {
      reopens++;
    }
    client.request(server, RangeReadGrpcClient.ReadRanges).onComplete(created -> {
      if (openingGeneration != generation || closed) {
        if (created.succeeded()) {
          created.result().cancel();
        }
        return;
      }
      if (created.failed()) {
        broken(openingGeneration, created.cause());
        return;
      }
      started(openingGeneration, created.result());
    });
  }

  private void started(int streamGeneration,
      GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> request) {
    opening = false;
    requestOrNull = request;
    request.exceptionHandler(failure -> broken(streamGeneration, failure));
    pendingRanges.clear();
    pendingCancels.clear();
    pendingCredits.clear();
    ObjectSpec.Builder object = ObjectSpec.newBuilder().setPath(path);
    if (metadataOrNull != null) {
      object.setIfGenerationMatch(metadataOrNull.generation());
    }
    ReadRangesRequest.Builder first = ReadRangesRequest.newBuilder().setObject(object);
    List<ReadRange> ranges = new ArrayList<>();
    for (RangeReadStream read : List.copyOf(reads.values())) {
      long initialCredit = Math.max(1, options.creditWindowBytes() - read.queuedBytes());
      if (read.sentOnGeneration > 0) {
        read.resumedOnNewStream(initialCredit);
      } else {
        read.grantedOnGeneration = initialCredit;
      }
      read.sentOnGeneration = streamGeneration;
      if (read.lengthBytes() > 0 && read.receivedBytes() >= read.lengthBytes()) {
        // Every byte arrived, only the end marker was lost with the stream.
        reads.remove(read.readId());
        read.onRangeEnd();
        continue;
      }
      ranges.add(range(read, initialCredit));
    }
    int perMessage = options.maxRangesPerMessage();
    first.addAllRanges(ranges.subList(0, Math.min(perMessage, ranges.size())));
    request.write(first.build());
    for (int from = perMessage; from < ranges.size(); from += perMessage) {
      request.write(ReadRangesRequest.newBuilder()
          .addAllRanges(ranges.subList(from, Math.min(from + perMessage, ranges.size())))
          .build());
    }
    request.response().onComplete(answered -> {
      if (streamGeneration != generation) {
        return;
      }
      if (answered.failed()) {
        broken(streamGeneration, answered.cause());
        return;
      }
      GrpcClientResponse<ReadRangesRequest, ReadRangesResponse> response = answered.result();
      response.handler(message -> onResponse(streamGeneration, message));
      response.exceptionHandler(failure -> broken(streamGeneration, failure));
      response.endHandler(unused -> broken(streamGeneration, new RangeReadException(
          RangeReadException.Kind.STREAM_BROKEN, 0,
          "stream ended with status " + response.status() + " "
              + (response.statusMessage() == null ? "" : response.statusMessage()))));
    });
  }

  /** The receive loop: routes one response's parts to their reads; never pauses the stream. */
  private void onResponse(int streamGeneration, ReadRangesResponse message) {
    if (streamGeneration != generation) {
      for (RangeData data : message.getDataList()) {
        discardedBytes += data.getData().size();
      }
      return;
    }
    if (message.hasMetadata()) {
      RangeReadMetadata seen = new RangeReadMetadata(
          message.getMetadata().getSizeBytes(), message.getMetadata().getGeneration());
      if (metadataOrNull == null) {
        metadataOrNull = seen;
        metadata.tryComplete(seen);
      } else if (!metadataOrNull.equals(seen)) {
        failAll(RangeReadException.Kind.OBJECT_CHANGED,
            "object " + path + " changed from " + metadataOrNull + " to " + seen, null);
      }
    }
    for (RangeData data : message.getDataList()) {
      route(data);
    }
    for (ReadStatus status : message.getStatusesList()) {
      RangeReadStream read = reads.remove(status.getReadId());
      if (read != null && status.getCode() != ReadStatus.Code.OK) {
        read.fail(new RangeReadException(kindOf(status.getCode()), read.readId(),
            "read " + read.readId() + " of " + path + ": " + status.getCode() + " "
                + status.getMessage()));
      }
      if (status.getCode() == ReadStatus.Code.NOT_FOUND) {
        metadata.tryFail(new RangeReadException(RangeReadException.Kind.NOT_FOUND, 0,
            "not found: " + path));
      }
    }
  }

  private void route(RangeData data) {
    RangeReadStream read = reads.get(data.getReadId());
    int sizeBytes = data.getData().size();
    if (read == null) {
      // Cancelled or failed: drop it here rather than queue it anywhere.
      discardedBytes += sizeBytes;
      return;
    }
    long expectedOffset = read.offsetBytes() + read.receivedBytes();
    if (data.getOffset() != expectedOffset) {
      failOnServer(read, RangeReadException.Kind.PROTOCOL, "offset " + data.getOffset()
          + " (expected: " + expectedOffset + ", the byte after the last received)");
      return;
    }
    if (read.lengthBytes() > 0 && read.receivedBytes() + sizeBytes > read.lengthBytes()) {
      failOnServer(read, RangeReadException.Kind.PROTOCOL, (read.receivedBytes() + sizeBytes)
          + " bytes (expected: at most " + read.lengthBytes() + ")");
      return;
    }
    crc.reset();
    crc.update(data.getData().asReadOnlyByteBuffer());
    if ((int) crc.getValue() != data.getCrc32C()) {
      failOnServer(read, RangeReadException.Kind.CHECKSUM_MISMATCH, String.format(
          "CRC32C of %d bytes at offset %d is %08x (expected: %08x as sent)", sizeBytes,
          data.getOffset(), (int) crc.getValue(), data.getCrc32C()));
      return;
    }
    // Only data counts as an answer: a server that accepts streams and drops them before any
    // byte must not keep the reader reopening for ever.
    failuresInARow = 0;
    if (data.getRangeEnd()) {
      reads.remove(read.readId());
    }
    read.onData(Buffer.buffer(data.getData().toByteArray()));
    if (data.getRangeEnd()) {
      long endBytes = read.offsetBytes() + read.receivedBytes();
      boolean shortOfLength = read.lengthBytes() > 0 && read.receivedBytes() < read.lengthBytes();
      if (shortOfLength && (metadataOrNull == null || endBytes != metadataOrNull.sizeBytes())) {
        read.fail(new RangeReadException(RangeReadException.Kind.PROTOCOL, read.readId(),
            "read " + read.readId() + " ended after " + read.receivedBytes() + " of "
                + read.lengthBytes() + " bytes before the end of the object"));
        return;
      }
      read.onRangeEnd();
    }
  }

  private void failOnServer(RangeReadStream read, RangeReadException.Kind kind, String detail) {
    reads.remove(read.readId());
    if (requestOrNull != null) {
      pendingCancels.add(read.readId());
      scheduleFlush();
    }
    read.fail(new RangeReadException(kind, read.readId(),
        "read " + read.readId() + " of " + path + ": " + detail));
  }

  /**
   * The stream of {@code streamGeneration} broke. Only its first report acts (the generation gate):
   * the generation moves on, and the unfinished reads resume on one new stream after a backoff.
   */
  private void broken(int streamGeneration, Throwable cause) {
    if (streamGeneration != generation || closed) {
      return;
    }
    generation++;
    opening = false;
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> request = requestOrNull;
    requestOrNull = null;
    if (request != null) {
      request.cancel();
    }
    if (reads.isEmpty()) {
      // Nobody waits: reopen lazily with the next read.
      failuresInARow = 0;
      return;
    }
    failuresInARow++;
    if (failuresInARow > options.maxReopenAttempts()) {
      failuresInARow = 0;
      failAll(RangeReadException.Kind.STREAM_BROKEN, "stream to " + server + " for " + path
          + " broke and " + options.maxReopenAttempts() + " reopen attempts failed", cause);
      metadata.tryFail(new RangeReadException(RangeReadException.Kind.STREAM_BROKEN, 0,
          "stream to " + server + " broke before the object's metadata arrived", cause));
      return;
    }
    opening = true;
    long delayMs = options.backoff(failuresInARow).toMillis();
    if (delayMs <= 0) {
      open();
    } else {
      backoffTimerId = vertx.setTimer(delayMs, id -> {
        backoffTimerId = -1;
        if (!closed) {
          open();
        }
      });
    }
  }

  private void failAll(RangeReadException.Kind kind, String message, Throwable cause) {
    List<RangeReadStream> unfinished = List.copyOf(reads.values());
    reads.clear();
    for (RangeReadStream read : unfinished) {
      read.fail(new RangeReadException(kind, read.readId(),
          "read " + read.readId() + ": " + message, cause));
    }
  }

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(unused -> flush());
    }
  }

  /** Sends the new ranges, cancels and credits gathered during this turn, batched. */
  private void flush() {
    flushScheduled = false;
    flush(requestOrNull);
  }

  private void flush(GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> request) {
    if (request == null) {
      // A new stream's first message carries every unfinished read with fresh credit.
      pendingRanges.clear();
      pendingCancels.clear();
      pendingCredits.clear();
      return;
    }
    ReadRangesRequest.Builder message = ReadRangesRequest.newBuilder();
    message.addAllCancelReadIds(pendingCancels);
    pendingCredits.forEach((readId, bytes) -> {
      if (reads.containsKey(readId)) {
        message.addCredits(ReadCredit.newBuilder().setReadId(readId).setBytes(bytes));
      }
    });
    int perMessage = options.maxRangesPerMessage();
    int from = 0;
    do {
      int to = Math.min(from + perMessage, pendingRanges.size());
      message.addAllRanges(pendingRanges.subList(from, to));
      if (message.getRangesCount() > 0 || message.getCancelReadIdsCount() > 0
          || message.getCreditsCount() > 0) {
        request.write(message.build());
      }
      message.clear();
      from = to;
    } while (from < pendingRanges.size());
    pendingRanges.clear();
    pendingCancels.clear();
    pendingCredits.clear();
  }

  private static ReadRange range(RangeReadStream read, long initialCreditBytes) {
    long remaining = read.lengthBytes() == 0 ? 0 : read.lengthBytes() - read.receivedBytes();
    return ReadRange.newBuilder()
        .setReadId(read.readId())
        .setOffset(read.offsetBytes() + read.receivedBytes())
        .setLength(remaining)
        .setInitialCreditBytes(initialCreditBytes)
        .build();
  }

  private static RangeReadException.Kind kindOf(ReadStatus.Code code) {
    return switch (code) {
      case NOT_FOUND -> RangeReadException.Kind.NOT_FOUND;
      case OUT_OF_RANGE -> RangeReadException.Kind.OUT_OF_RANGE;
      case FAILED_PRECONDITION -> RangeReadException.Kind.OBJECT_CHANGED;
      case INVALID_ARGUMENT -> RangeReadException.Kind.INVALID_ARGUMENT;
      case INTERNAL, OK, UNRECOGNIZED -> RangeReadException.Kind.SERVER_ERROR;
    };
  }

  private boolean onOwnerThread() {
    if (owner == null) {
      owner = Thread.currentThread();
    }
    return owner == Thread.currentThread();
  }
}
