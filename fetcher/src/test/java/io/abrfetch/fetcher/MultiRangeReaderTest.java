package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.abrfetch.origin.Fault;
import io.abrfetch.origin.GrpcFault;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.abrfetch.origin.RangeReadOrigin;
import io.abrfetch.origin.RangeReadOriginOptions;
import io.abrfetch.origin.SyntheticContent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link MultiRangeReader} against the origin's real gRPC range-read front end on 127.0.0.1: every
 * byte checked against {@link SyntheticContent}, flow control, reopen, checksums, cancellation and
 * per-read errors observed on both sides.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiRangeReaderTest {

  private static final String OBJECT = "/bytes/67108864/multi-range";
  private static final long OBJECT_SIZE_BYTES = 64L << 20;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Vertx vertx;
  private OriginServer origin;
  private RangeReadOrigin rangeOrigin;
  private GrpcClient client;
  private SocketAddress address;
  private final List<MultiRangeReader> readers = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    origin = await(OriginServer.start(vertx, OriginOptions.defaults()));
    rangeOrigin = await(RangeReadOrigin.start(vertx, origin, RangeReadOriginOptions.defaults()));
    client = GrpcClient.client(vertx);
    address = SocketAddress.inetSocketAddress(rangeOrigin.port(), rangeOrigin.host());
  }

  @AfterEach
  void stop() throws Exception {
    for (MultiRangeReader reader : readers) {
      await(reader.close());
    }
    await(client.close());
    await(rangeOrigin.close());
    await(origin.close());
  }

  @Test
  void hundredConcurrentReads_overOneStream_deliverExactBytesWithVerifiedChecksums()
      throws Exception {
    MultiRangeReader reader = reader(OBJECT, MultiRangeReaderOptions.defaults());
    SplittableRandom random = new SplittableRandom(7);
    List<RangeReadStream> reads = new ArrayList<>();
    List<Future<Buffer>> bodies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      long lengthBytes = 1 + random.nextInt(600_000);
      long offsetBytes = random.nextLong(OBJECT_SIZE_BYTES - lengthBytes);
      RangeReadStream read = reader.read(offsetBytes, lengthBytes);
      reads.add(read);
      bodies.add(collect(read));
    }
    for (int i = 0; i < reads.size(); i++) {
      RangeReadStream read = reads.get(i);
      Buffer body = await(bodies.get(i));
      assertArrayEquals(SyntheticContent.bytes(OBJECT, read.offsetBytes(), (int) read.lengthBytes()),
          body.getBytes(), "read " + read.readId());
      RangeReadResult result = await(read.completion());
      assertEquals(read.lengthBytes(), result.bytesDelivered());
      assertTrue(result.checksummedMessages() >= (read.lengthBytes() + 65_535) / 65_536,
          "read " + read.readId() + " verified " + result.checksummedMessages() + " messages");
    }
    assertEquals(1, reader.streamsOpened(), "one stream for all reads");
    assertEquals(1, rangeOrigin.stats().streamsOpened(), "server saw one stream");
    assertEquals(100, rangeOrigin.stats().readsCompleted());
    assertEquals(new RangeReadMetadata(OBJECT_SIZE_BYTES, SyntheticContent.etag(OBJECT)),
        await(reader.metadata()));
  }

  @Test
  void readerThatNeverReads_holdsOneCreditWindow_andOthersFinishWhileItIsParked()
      throws Exception {
    long windowBytes = 256 * 1024;
    MultiRangeReader reader = reader(OBJECT,
        MultiRangeReaderOptions.builder().creditWindowBytes(windowBytes).build());
    // Baseline: the same 20 reads with nobody parked.
    long baselineNanos = timeReads(reader, /* firstOffset= */ 16L << 20);
    long sentBefore = rangeOrigin.stats().dataBytesSent();

    RangeReadStream parked = reader.read(0, 8L << 20);
    parked.pause();
    long parkedNanos = timeReads(reader, /* firstOffset= */ 40L << 20);
    assertFalse(parked.completion().isComplete(), "the parked read cannot finish while parked");
    long othersBytes = 20L * (1 << 20);
    long sentForParked = rangeOrigin.stats().dataBytesSent() - sentBefore - othersBytes;
    assertTrue(sentForParked <= windowBytes,
        "server sent " + sentForParked + " bytes for the parked read (expected: <= window "
            + windowBytes + ")");
    // Generous: the parked read must not hold the others up (it would stall them for ever).
    assertTrue(parkedNanos < 5 * baselineNanos + 500_000_000L,
        "others took " + parkedNanos / 1_000_000 + " ms with a parked reader, "
            + baselineNanos / 1_000_000 + " ms without");

    Future<Buffer> parkedBody = collect(parked);
    parked.resume();
    assertArrayEquals(SyntheticContent.bytes(OBJECT, 0, 8 << 20), await(parkedBody).getBytes());
    assertEquals(1, reader.streamsOpened());
  }

  @Test
  void streamDroppedMidway_underFiftyReads_reopensExactlyOnce_andAllBytesAreIdentical()
      throws Exception {
    rangeOrigin.faults().add("/bytes/", new GrpcFault.DropStreamAfterBytes(8L << 20), 1);
    MultiRangeReader reader = reader(OBJECT, MultiRangeReaderOptions.defaults());
    SplittableRandom random = new SplittableRandom(11);
    List<RangeReadStream> reads = new ArrayList<>();
    List<Future<Buffer>> bodies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long offsetBytes = random.nextLong(OBJECT_SIZE_BYTES - (1 << 20));
      RangeReadStream read = reader.read(offsetBytes, 256 * 1024 + random.nextInt(256 * 1024));
      reads.add(read);
      bodies.add(collect(read));
    }
    int resumedReads = 0;
    for (int i = 0; i < reads.size(); i++) {
      RangeReadStream read = reads.get(i);
      assertArrayEquals(SyntheticContent.bytes(OBJECT, read.offsetBytes(), (int) read.lengthBytes()),
          await(bodies.get(i)).getBytes(), "read " + read.readId());
      RangeReadResult result = await(read.completion());
      resumedReads += result.resumes();
      assertTrue(result.resumes() <= 1, "read " + read.readId() + " resumed " + result.resumes());
    }
    assertEquals(1, reader.reopens(), "exactly one reopen");
    assertEquals(2, reader.streamsOpened());
    assertEquals(2, rangeOrigin.stats().streamsOpened());
    assertEquals(1, rangeOrigin.stats().streamsDropped());
    assertTrue(resumedReads > 0, "the reads unfinished at the drop resumed on the new stream");
    assertTrue(rangeOrigin.stats().readsStarted() == 50 + resumedReads,
        "the server saw 50 reads and " + resumedReads + " resumptions, not "
            + rangeOrigin.stats().readsStarted());
  }

  @Test
  void corruptedChecksum_failsThatReadWithChecksumMismatch_andOthersSucceed() throws Exception {
    rangeOrigin.faults().add("/bytes/", new GrpcFault.CorruptChecksum(/* afterBytes= */ 300_000),
        1);
    // One message of credit per read: the server cannot finish the failing read before its
    // cancel arrives (a finished read is not counted as cancelled), so the count is certain.
    MultiRangeReader reader = reader(OBJECT,
        MultiRangeReaderOptions.builder().creditWindowBytes(64 * 1024).build());
    List<RangeReadStream> reads = new ArrayList<>();
    List<Future<Buffer>> bodies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      RangeReadStream read = reader.read(i * 1_000_000L, 400_000);
      reads.add(read);
      bodies.add(collect(read));
    }
    int corrupted = 0;
    for (int i = 0; i < reads.size(); i++) {
      RangeReadStream read = reads.get(i);
      try {
        assertArrayEquals(SyntheticContent.bytes(OBJECT, read.offsetBytes(), 400_000),
            await(bodies.get(i)).getBytes());
      } catch (ExecutionException e) {
        RangeReadException failure = assertInstanceOf(RangeReadException.class, e.getCause());
        assertEquals(RangeReadException.Kind.CHECKSUM_MISMATCH, failure.kind());
        assertEquals(read.readId(), failure.readId());
        assertTrue(failure.isTransient());
        corrupted++;
      }
    }
    assertEquals(1, corrupted, "exactly the read with the corrupted message fails");
    assertEquals(1, serverCount(() -> rangeOrigin.stats().readsCancelled(), 1),
        "the corrupted read is cancelled on the server");
    assertEquals(1, reader.streamsOpened(), "a bad checksum does not break the stream");
  }

  @Test
  void offsetGap_failsThatReadWithProtocol_andOthersSucceed() throws Exception {
    rangeOrigin.faults().add("/bytes/", new GrpcFault.WrongOffset(/* afterBytes= */ 200_000), 1);
    // One message of credit per read: the server cannot finish the failing read before its
    // cancel arrives (a finished read is not counted as cancelled), so the count is certain.
    MultiRangeReader reader = reader(OBJECT,
        MultiRangeReaderOptions.builder().creditWindowBytes(64 * 1024).build());
    List<RangeReadStream> reads = new ArrayList<>();
    List<Future<Buffer>> bodies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      RangeReadStream read = reader.read(i * 2_000_000L, 300_000);
      reads.add(read);
      bodies.add(collect(read));
    }
    int gaps = 0;
    for (int i = 0; i < reads.size(); i++) {
      try {
        assertArrayEquals(SyntheticContent.bytes(OBJECT, i * 2_000_000L, 300_000),
            await(bodies.get(i)).getBytes());
      } catch (ExecutionException e) {
        RangeReadException failure = assertInstanceOf(RangeReadException.class, e.getCause());
        assertEquals(RangeReadException.Kind.PROTOCOL, failure.kind());
        assertFalse(failure.isTransient());
        gaps++;
      }
    }
    assertEquals(1, gaps, "exactly the read with the shifted message fails");
    assertEquals(1, serverCount(() -> rangeOrigin.stats().readsCancelled(), 1),
        "and it is cancelled on the server");
    assertEquals(1, reader.streamsOpened());
  }

  @Test
  void cancelledRead_stopsOnTheServer_lateDataIsDiscarded_andTheStreamGoesOn() throws Exception {
    long windowBytes = 256 * 1024;
    MultiRangeReader reader = reader(OBJECT,
        MultiRangeReaderOptions.builder().creditWindowBytes(windowBytes).build());
    RangeReadStream read = reader.read(0, OBJECT_SIZE_BYTES);
    Promise<Long> cancelledAt = Promise.promise();
    long[] received = {0};
    read.handler(data -> {
      received[0] += data.length();
      if (received[0] >= (1 << 20) && !cancelledAt.future().isComplete()) {
        read.cancel();
        cancelledAt.complete(received[0]);
      }
    });
    long deliveredAtCancel = await(cancelledAt.future());
    ExecutionException cancelled =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> await(read.completion()));
    assertEquals(RangeReadException.Kind.CANCELLED,
        assertInstanceOf(RangeReadException.class, cancelled.getCause()).kind());
    // The stream goes on: a later read on it completes (and proves the cancel was processed).
    RangeReadStream after = reader.read(OBJECT_SIZE_BYTES - 1000, 1000);
    assertArrayEquals(SyntheticContent.bytes(OBJECT, OBJECT_SIZE_BYTES - 1000, 1000),
        await(collect(after)).getBytes());
    long sentAfterCancel = rangeOrigin.stats().dataBytesSent();
    Thread.sleep(300);
    assertEquals(sentAfterCancel, rangeOrigin.stats().dataBytesSent(),
        "the server sends nothing more once the read is cancelled");
    assertEquals(1, rangeOrigin.stats().readsCancelled());
    assertTrue(sentAfterCancel - 1000 <= deliveredAtCancel + windowBytes,
        "server sent " + (sentAfterCancel - 1000) + " bytes for the cancelled read (expected: <= "
            + deliveredAtCancel + " delivered + one window " + windowBytes + ")");
    assertEquals(1, reader.streamsOpened());
  }

  @Test
  void notFoundAndOutOfRange_failPerRead_whileOtherReadsOnTheSameStreamSucceed()
      throws Exception {
    MultiRangeReader reader = reader(OBJECT, MultiRangeReaderOptions.defaults());
    RangeReadStream before = reader.read(0, 100_000);
    RangeReadStream outOfRange = reader.read(OBJECT_SIZE_BYTES + 1, 10);
    RangeReadStream after = reader.read(OBJECT_SIZE_BYTES - 100_000, 100_000);
    RangeReadStream pastEnd = reader.read(OBJECT_SIZE_BYTES - 10, 1000);
    Future<Buffer> beforeBody = collect(before);
    Future<Buffer> afterBody = collect(after);
    Future<Buffer> pastEndBody = collect(pastEnd);
    assertEquals(RangeReadException.Kind.OUT_OF_RANGE, failureOf(outOfRange).kind());
    assertArrayEquals(SyntheticContent.bytes(OBJECT, 0, 100_000), await(beforeBody).getBytes());
    assertArrayEquals(SyntheticContent.bytes(OBJECT, OBJECT_SIZE_BYTES - 100_000, 100_000),
        await(afterBody).getBytes());
    assertArrayEquals(SyntheticContent.bytes(OBJECT, OBJECT_SIZE_BYTES - 10, 10),
        await(pastEndBody).getBytes(), "a read past the end gets the bytes up to the end");
    assertEquals(1, reader.streamsOpened());

    MultiRangeReader missing = reader("/no/such/object", MultiRangeReaderOptions.defaults());
    RangeReadStream first = missing.read(0, 10);
    RangeReadStream second = missing.read(5, 10);
    assertEquals(RangeReadException.Kind.NOT_FOUND, failureOf(first).kind());
    assertEquals(RangeReadException.Kind.NOT_FOUND, failureOf(second).kind());
    assertEquals(1, missing.streamsOpened(), "not found fails the reads, not the stream");
  }

  @Test
  void objectChangedBeforeReopen_failsTheResumedReadWithObjectChanged() throws Exception {
    rangeOrigin.faults().add("/bytes/", new GrpcFault.DropStreamAfterBytes(2L << 20), 1);
    MultiRangeReader reader = reader(OBJECT, MultiRangeReaderOptions.builder()
        .initialBackoff(Duration.ofMillis(10)).build());
    await(collect(reader.read(0, 1000)));
    // The reopened stream, not the first one, sees a new generation of the object.
    origin.faults().add("/bytes/", new Fault.EtagChange(), 1);
    RangeReadStream read = reader.read(1000, 4L << 20);
    collect(read);
    assertEquals(RangeReadException.Kind.OBJECT_CHANGED, failureOf(read).kind());
    assertEquals(1, reader.reopens());
    assertEquals(SyntheticContent.etag(OBJECT), await(reader.metadata()).generation());
  }

  @Test
  void unreachableServer_failsReadsWithStreamBroken_afterMaxReopenAttempts() throws Exception {
    SocketAddress nowhere = SocketAddress.inetSocketAddress(closedPort(), "127.0.0.1");
    MultiRangeReader reader = MultiRangeReader.create(vertx, client, nowhere, OBJECT,
        MultiRangeReaderOptions.builder().maxReopenAttempts(2)
            .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20)).build());
    readers.add(reader);
    RangeReadStream read = reader.read(0, 10);
    RangeReadException failure = failureOf(read);
    assertEquals(RangeReadException.Kind.STREAM_BROKEN, failure.kind());
    assertEquals(3, reader.streamsOpened(), "the first open and two reopen attempts");
  }

  @Test
  void serverDroppingEveryStreamBeforeData_failsReadsWithStreamBroken_afterMaxReopenAttempts()
      throws Exception {
    rangeOrigin.faults().add("/bytes/", new GrpcFault.DropStreamAfterBytes(0));
    MultiRangeReader reader = reader(OBJECT, MultiRangeReaderOptions.builder().maxReopenAttempts(3)
        .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20)).build());
    RangeReadStream read = reader.read(0, 100_000);
    collect(read);
    assertEquals(RangeReadException.Kind.STREAM_BROKEN, failureOf(read).kind());
    assertEquals(4, reader.streamsOpened(), "the first stream and three reopens, then give up");
    assertEquals(4, rangeOrigin.stats().streamsDropped());
    assertEquals(SyntheticContent.etag(OBJECT), await(reader.metadata()).generation(),
        "metadata arrived on the first stream though no data did");
  }

  @Test
  void originsOwnPort_servesTheReaderBesideHttp() throws Exception {
    MultiRangeReader reader = MultiRangeReader.create(vertx, client,
        SocketAddress.inetSocketAddress(origin.port(), "127.0.0.1"), OBJECT,
        MultiRangeReaderOptions.defaults());
    readers.add(reader);
    List<RangeReadStream> reads = new ArrayList<>();
    List<Future<Buffer>> bodies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      RangeReadStream read = reader.read(i * 3_000_000L, 200_000 + i);
      reads.add(read);
      bodies.add(collect(read));
    }
    for (int i = 0; i < reads.size(); i++) {
      assertArrayEquals(SyntheticContent.bytes(OBJECT, i * 3_000_000L, 200_000 + i),
          await(bodies.get(i)).getBytes());
    }
    assertEquals(1, origin.grpcStats().streamsOpened());
    assertEquals(0, rangeOrigin.stats().streamsOpened());
  }

  @Test
  void options_rejectBadValuesWithTheirNames() {
    IllegalArgumentException window = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> MultiRangeReaderOptions.builder().creditWindowBytes(4095).build());
    assertTrue(window.getMessage().startsWith("creditWindowBytes: 4095"), window.getMessage());
    IllegalArgumentException backoff = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> MultiRangeReaderOptions.builder().initialBackoff(Duration.ofSeconds(3)).build());
    assertTrue(backoff.getMessage().startsWith("maxBackoff: "), backoff.getMessage());
    assertEquals(Duration.ofMillis(400),
        MultiRangeReaderOptions.defaults().backoff(/* attempt= */ 4));
    assertEquals(Duration.ofSeconds(2),
        MultiRangeReaderOptions.defaults().backoff(/* attempt= */ 30));
  }

  // Helpers.

  private MultiRangeReader reader(String path, MultiRangeReaderOptions options) {
    MultiRangeReader reader = MultiRangeReader.create(vertx, client, address, path, options);
    readers.add(reader);
    return reader;
  }

  /** Reads 20 ranges of 1 MiB from {@code firstOffset} on and returns how long they all took. */
  private long timeReads(MultiRangeReader reader, long firstOffset) throws Exception {
    long startNanos = System.nanoTime();
    List<Future<Buffer>> bodies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      bodies.add(collect(reader.read(firstOffset + i * (1L << 20), 1 << 20)));
    }
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(SyntheticContent.bytes(OBJECT, firstOffset + i * (1L << 20), 1 << 20),
          await(bodies.get(i)).getBytes());
    }
    return System.nanoTime() - startNanos;
  }

  /** Collects a read's bytes; fails with its {@link RangeReadException}. */
  private static Future<Buffer> collect(RangeReadStream read) {
    Promise<Buffer> body = Promise.promise();
    Buffer bytes = Buffer.buffer();
    read.exceptionHandler(body::tryFail);
    read.endHandler(unused -> body.tryComplete(bytes));
    read.handler(bytes::appendBuffer);
    read.completion().onFailure(body::tryFail);
    return body.future();
  }

  private static RangeReadException failureOf(RangeReadStream read) throws Exception {
    try {
      await(read.completion());
    } catch (ExecutionException e) {
      return assertInstanceOf(RangeReadException.class, e.getCause());
    }
    return fail("read " + read.readId() + " succeeded (expected: a failure)");
  }

  private static int closedPort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * A server counter once it reaches {@code expected} (or after 5 s): the client fails a read
   * before its cancel message has reached the server, so the count lags the client's view.
   */
  private static long serverCount(java.util.function.LongSupplier counter, long expected)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (counter.getAsLong() < expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    return counter.getAsLong();
  }
}
