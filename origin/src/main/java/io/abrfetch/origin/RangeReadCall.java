package io.abrfetch.origin;

import com.google.protobuf.UnsafeByteOperations;
import io.abrfetch.protocol.ObjectMetadata;
import io.abrfetch.protocol.RangeData;
import io.abrfetch.protocol.ReadCredit;
import io.abrfetch.protocol.ReadRange;
import io.abrfetch.protocol.ReadRangesRequest;
import io.abrfetch.protocol.ReadRangesResponse;
import io.abrfetch.protocol.ReadStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One {@code ReadRanges} bidi stream on the server: resolves the object named by the first request,
 * answers with its metadata, then interleaves the open reads round-robin in messages of at most
 * {@link RangeReadOrigin.Front#maxMessageDataBytes} bytes, each read within its credit.
 *
 * <p>Confined to the front end's event loop. A read without credit is skipped, never waited on, so
 * a client that stops granting credit to one read does not hold up the others; a full response
 * write queue waits for its drain handler; shaping, delays and stalls are timers; a long run of
 * messages yields to the event loop every few messages.
 */
final class RangeReadCall {

  /** Messages written back to back before the pump yields to other work on the event loop. */
  private static final int MESSAGES_PER_TURN = 16;

  private final RangeReadOrigin.Front front;
  private final Context context;
  private final GrpcServerRequest<ReadRangesRequest, ReadRangesResponse> request;
  private final GrpcServerResponse<ReadRangesRequest, ReadRangesResponse> response;
  // Confined to the front end's event loop.
  private final Map<Long, ServerRead> reads = new HashMap<>();
  /** Reads that may have data to send, in round-robin order. */
  private final ArrayDeque<ServerRead> rotation = new ArrayDeque<>();
  private final ArrayDeque<ReadRangesRequest> early = new ArrayDeque<>();
  private boolean resolving;
  private boolean resolved;
  private String path;
  private ServedObject objectOrNull;
  private String generation;
  private String ifGenerationMatch = "";
  private boolean requestsEnded;
  private boolean closed;
  private boolean busy;
  private boolean yieldScheduled;
  private long timerId = -1;
  private long streamBytes;
  private long dropAtBytes = -1;
  private boolean resetConnectionOnDrop;
  private long stallAtBytes = -1;
  private long stallNanos;
  private boolean stalled;
  private long corruptAtBytes = -1;
  private long wrongOffsetAtBytes = -1;
  private long delayNanos;
  private Link link;
  private Future<Void> lastWrite = Future.succeededFuture();

  RangeReadCall(RangeReadOrigin.Front front,
      GrpcServerRequest<ReadRangesRequest, ReadRangesResponse> request) {
    this.front = front;
    this.context = front.vertx.getOrCreateContext();
    this.request = request;
    this.response = request.response();
  }

  void start() {
    front.callStarted(this);
    front.stats.streamOpened();
    request.handler(this::onRequest);
    request.endHandler(unused -> {
      requestsEnded = true;
      pump();
    });
    request.exceptionHandler(unused -> close());
    response.exceptionHandler(unused -> close());
  }

  /** Cancels timers and releases the reader; the server is stopping. */
  void stop() {
    if (!closed) {
      response.cancel();
    }
    close();
  }

  private void onRequest(ReadRangesRequest message) {
    if (closed) {
      return;
    }
    if (!resolved) {
      if (resolving) {
        if (message.hasObject()) {
          failStream(GrpcStatus.INVALID_ARGUMENT, "object is set in a later message");
          return;
        }
        early.add(message);
        return;
      }
      if (!message.hasObject() || message.getObject().getPath().isEmpty()) {
        failStream(GrpcStatus.INVALID_ARGUMENT,
            "first message: object.path is empty (expected: the object's path)");
        return;
      }
      resolving = true;
      early.add(message);
      resolve(message.getObject().getPath(), message.getObject().getIfGenerationMatch());
      return;
    }
    if (message.hasObject()) {
      failStream(GrpcStatus.INVALID_ARGUMENT, "object is set in a later message");
      return;
    }
    apply(message);
  }

  private void resolve(String objectPath, String ifGenerationMatch) {
    path = objectPath;
    this.ifGenerationMatch = ifGenerationMatch;
    planFaults(front.httpFaults.pick(objectPath), front.grpcFaults.pick(objectPath));
    link = front.linkFor(request.connection());
    ContentSource source = front.sourceFor(objectPath);
    Future<ServedObject> found = source == null
        ? Future.succeededFuture()
        : source.resolve(objectPath);
    found.onComplete(result -> {
      if (result.succeeded() && result.result() != null) {
        objectOrNull = result.result();
        generation = objectOrNull.etagAtGeneration(front.httpFaults.generation(objectPath));
      }
      if (closed) {
        releaseReader();
        return;
      }
      after(delayNanos, () -> {
        resolved = true;
        ReadRangesResponse.Builder first = ReadRangesResponse.newBuilder();
        if (objectOrNull != null) {
          first.setMetadata(ObjectMetadata.newBuilder()
              .setSizeBytes(objectOrNull.sizeBytes())
              .setGeneration(generation));
        }
        write(first.build());
        while (!early.isEmpty() && !closed) {
          apply(early.poll());
        }
      });
    });
  }

  private void planFaults(List<Fault> httpFaults, List<GrpcFault> grpcFaults) {
    for (Fault fault : httpFaults) {
      if (fault instanceof Fault.DelayFirstByte delay) {
        delayNanos += delay.delay().toNanos();
      } else if (fault instanceof Fault.StallAfterBytes stall) {
        stallAtBytes = stall.bytes();
        stallNanos = stall.stall().toNanos();
      } else if (fault instanceof Fault.ResetAfterBytes reset) {
        dropAtBytes = reset.bytes();
        resetConnectionOnDrop = true;
      }
      // The others shape HTTP heads and bodies; a gRPC stream has no such thing.
    }
    for (GrpcFault fault : grpcFaults) {
      if (fault instanceof GrpcFault.DelayFirstResponse delay) {
        delayNanos += delay.delay().toNanos();
      } else if (fault instanceof GrpcFault.DropStreamAfterBytes drop
          && (dropAtBytes < 0 || drop.bytes() < dropAtBytes)) {
        dropAtBytes = drop.bytes();
        resetConnectionOnDrop = false;
      } else if (fault instanceof GrpcFault.CorruptChecksum corrupt) {
        corruptAtBytes = corrupt.afterBytes();
      } else if (fault instanceof GrpcFault.WrongOffset wrong) {
        wrongOffsetAtBytes = wrong.afterBytes();
      }
    }
  }

  /** Applies cancels, then credits, then new reads of one request message. */
  private void apply(ReadRangesRequest message) {
    ReadRangesResponse.Builder statuses = ReadRangesResponse.newBuilder();
    for (long readId : message.getCancelReadIdsList()) {
      ServerRead read = reads.remove(readId);
      if (read != null) {
        rotation.remove(read);
        front.stats.readCancelled();
      }
    }
    for (ReadCredit credit : message.getCreditsList()) {
      ServerRead read = reads.get(credit.getReadId());
      if (read != null && read.creditBytes >= 0 && credit.getBytes() > 0) {
        read.creditBytes = saturatedAdd(read.creditBytes, credit.getBytes());
      }
    }
    for (ReadRange range : message.getRangesList()) {
      ReadStatus status = open(range);
      if (status != null) {
        front.stats.readFailed();
        statuses.addStatuses(status);
      }
    }
    if (statuses.getStatusesCount() > 0) {
      write(statuses.build());
    }
    pump();
  }

  /** Starts a read, or returns why it cannot run. */
  private ReadStatus open(ReadRange range) {
    long readId = range.getReadId();
    if (reads.containsKey(readId)) {
      return status(readId, ReadStatus.Code.INVALID_ARGUMENT,
          "read_id " + readId + " is already open on this stream");
    }
    if (objectOrNull == null) {
      return status(readId, ReadStatus.Code.NOT_FOUND, "not found: " + path);
    }
    if (!ifGenerationMatch.isEmpty() && !ifGenerationMatch.equals(generation)) {
      return status(readId, ReadStatus.Code.FAILED_PRECONDITION,
          "generation is " + generation + " (expected: " + ifGenerationMatch + ")");
    }
    long sizeBytes = objectOrNull.sizeBytes();
    if (range.getOffset() < 0 || range.getLength() < 0 || range.getInitialCreditBytes() < 0) {
      return status(readId, ReadStatus.Code.INVALID_ARGUMENT,
          "offset " + range.getOffset() + ", length " + range.getLength() + ", initial credit "
              + range.getInitialCreditBytes() + " (expected: all >= 0)");
    }
    if (range.getOffset() > sizeBytes) {
      return status(readId, ReadStatus.Code.OUT_OF_RANGE,
          "offset " + range.getOffset() + " is past the end of " + path + " (" + sizeBytes
              + " bytes)");
    }
    long available = sizeBytes - range.getOffset();
    long lengthBytes = range.getLength() == 0 ? available : Math.min(range.getLength(), available);
    ServerRead read = new ServerRead(readId, range.getOffset(), lengthBytes,
        range.getInitialCreditBytes() == 0 ? -1 : range.getInitialCreditBytes());
    reads.put(readId, read);
    rotation.add(read);
    front.stats.readStarted();
    return null;
  }

  /** Sends messages until nothing can be sent, a fault intervenes, or it must wait. */
  private void pump() {
    if (busy || closed || !resolved) {
      return;
    }
    for (int turn = 0; turn < MESSAGES_PER_TURN; turn++) {
      if (closed) {
        return;
      }
      if (!stalled && stallAtBytes >= 0 && streamBytes >= stallAtBytes && !reads.isEmpty()) {
        stalled = true;
        busy = true;
        after(stallNanos, this::resume);
        return;
      }
      if (dropAtBytes >= 0 && streamBytes >= dropAtBytes && !reads.isEmpty()) {
        drop();
        return;
      }
      if (response.writeQueueFull()) {
        busy = true;
        response.drainHandler(unused -> resume());
        return;
      }
      ServerRead read = nextReady();
      if (read == null) {
        if (requestsEnded && reads.isEmpty()) {
          close();
          response.end();
        }
        return;
      }
      int lengthBytes = nextMessageBytes(read);
      Future<Buffer> data = lengthBytes == 0
          ? Future.succeededFuture(Buffer.buffer())
          : objectOrNull.reader().read(read.nextOffset, lengthBytes);
      long nowNanos = front.nowNanos();
      long waitNanos = link == null ? 0 : link.reserve(nowNanos, lengthBytes) - nowNanos;
      if (data.succeeded() && waitNanos < 1_000_000) {
        send(read, data.result());
        continue;
      }
      busy = true;
      data.onComplete(result -> {
        if (closed) {
          return;
        }
        if (result.failed()) {
          failRead(read, ReadStatus.Code.INTERNAL, "reading " + path + ": " + result.cause());
          resume();
          return;
        }
        long remainingNanos = waitNanos - (front.nowNanos() - nowNanos);
        after(remainingNanos, () -> {
          if (!closed) {
            send(read, result.result());
            resume();
          }
        });
      });
      return;
    }
    if (!yieldScheduled) {
      yieldScheduled = true;
      context.runOnContext(unused -> {
        yieldScheduled = false;
        pump();
      });
    }
  }

  private void resume() {
    busy = false;
    pump();
  }

  /** The next read in rotation that may send now, moved to the back; null when none may. */
  private ServerRead nextReady() {
    for (int i = rotation.size(); i > 0; i--) {
      ServerRead read = rotation.poll();
      if (read.creditBytes != 0) {
        rotation.add(read);
        return read;
      }
      rotation.add(read);
    }
    return null;
  }

  /** One message's length: within the read, its credit, the message size and fault boundaries. */
  private int nextMessageBytes(ServerRead read) {
    long limit = Math.min(front.maxMessageDataBytes, read.remainingBytes);
    if (read.creditBytes >= 0) {
      limit = Math.min(limit, read.creditBytes);
    }
    if (dropAtBytes > streamBytes) {
      limit = Math.min(limit, dropAtBytes - streamBytes);
    }
    if (!stalled && stallAtBytes > streamBytes) {
      limit = Math.min(limit, stallAtBytes - streamBytes);
    }
    return (int) limit;
  }

  private void send(ServerRead read, Buffer data) {
    if (reads.get(read.readId) != read) {
      // Cancelled while its bytes were being read or shaped: send nothing more for it.
      return;
    }
    byte[] bytes = data.getBytes();
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    int crc32c = (int) crc.getValue();
    if (corruptAtBytes >= 0 && streamBytes >= corruptAtBytes && bytes.length > 0) {
      crc32c = ~crc32c;
      corruptAtBytes = -1;
    }
    read.remainingBytes -= bytes.length;
    if (read.creditBytes > 0) {
      read.creditBytes -= bytes.length;
    }
    boolean rangeEnd = read.remainingBytes == 0;
    long offset = read.nextOffset;
    if (wrongOffsetAtBytes >= 0 && streamBytes >= wrongOffsetAtBytes && bytes.length > 0) {
      offset++;
      wrongOffsetAtBytes = -1;
    }
    RangeData.Builder range = RangeData.newBuilder()
        .setReadId(read.readId)
        .setOffset(offset)
        .setData(UnsafeByteOperations.unsafeWrap(bytes))
        .setCrc32C(crc32c)
        .setRangeEnd(rangeEnd);
    read.nextOffset += bytes.length;
    streamBytes += bytes.length;
    if (rangeEnd) {
      reads.remove(read.readId);
      rotation.remove(read);
      front.stats.readCompleted();
    }
    front.stats.dataSent(bytes.length);
    write(ReadRangesResponse.newBuilder().addData(range).build());
  }

  private void failRead(ServerRead read, ReadStatus.Code code, String message) {
    if (reads.remove(read.readId) == read) {
      rotation.remove(read);
      front.stats.readFailed();
      write(ReadRangesResponse.newBuilder().addStatuses(status(read.readId, code, message)).build());
    }
  }

  private void write(ReadRangesResponse message) {
    if (!closed) {
      lastWrite = response.write(message);
    }
  }

  private void drop() {
    front.stats.streamDropped();
    boolean resetConnection = resetConnectionOnDrop;
    close();
    if (resetConnection) {
      lastWrite.onComplete(written -> OriginHttpHandler.reset(request.connection()));
    } else {
      lastWrite.onComplete(written -> response.cancel());
    }
  }

  private void failStream(GrpcStatus status, String message) {
    close();
    response.status(status).statusMessage(message).end();
  }

  /** Runs {@code action} now when {@code delayNanos} is under a millisecond, else on a timer. */
  private void after(long delayNanos, Runnable action) {
    if (delayNanos < 1_000_000) {
      action.run();
      return;
    }
    timerId = front.vertx.setTimer(delayNanos / 1_000_000, id -> {
      timerId = -1;
      action.run();
    });
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (timerId >= 0) {
      front.vertx.cancelTimer(timerId);
      timerId = -1;
    }
    reads.clear();
    rotation.clear();
    releaseReader();
    front.stats.streamClosed();
    front.callEnded(this);
  }

  private void releaseReader() {
    if (objectOrNull != null) {
      objectOrNull.reader().close();
    }
  }

  private static ReadStatus status(long readId, ReadStatus.Code code, String message) {
    return ReadStatus.newBuilder().setReadId(readId).setCode(code).setMessage(message).build();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /** One open read on this stream. */
  private static final class ServerRead {
    final long readId;
    long nextOffset;
    long remainingBytes;
    /** Bytes it may still send before the next credit; -1 for unlimited. */
    long creditBytes;

    ServerRead(long readId, long offset, long lengthBytes, long creditBytes) {
      this.readId = readId;
      this.nextOffset = offset;
      this.remainingBytes = lengthBytes;
      this.creditBytes = creditBytes;
    }
  }
}
