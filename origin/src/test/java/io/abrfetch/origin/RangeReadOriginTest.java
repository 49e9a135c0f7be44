package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.protocol.ObjectSpec;
import io.abrfetch.protocol.RangeData;
import io.abrfetch.protocol.RangeReadGrpcClient;
import io.abrfetch.protocol.ReadCredit;
import io.abrfetch.protocol.ReadRange;
import io.abrfetch.protocol.ReadRangesRequest;
import io.abrfetch.protocol.ReadRangesResponse;
import io.abrfetch.protocol.ReadStatus;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gRPC range-read front end, driven with the raw generated client so every message is seen:
 * metadata first, message size, CRC32C, credits, per-read statuses, stream-level errors, faults.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RangeReadOriginTest {

  private static final String PATH = "/bytes/1000000/grpc.bin";

  private OriginServer origin;
  private RangeReadOrigin front;
  private GrpcClient client;
  private SocketAddress address;
  private final List<ReadRangesResponse> responses = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    origin = OriginServer.start(vertx, OriginOptions.builder()
        .ladder(LadderOptions.defaults()).build()).await();
    front = RangeReadOrigin.start(vertx, origin, RangeReadOriginOptions.defaults()).await();
    client = GrpcClient.client(vertx);
    address = SocketAddress.inetSocketAddress(front.port(), front.host());
  }

  @AfterEach
  void stop() {
    client.close().await();
    front.close().await();
    origin.close().await();
  }

  @Test
  void firstResponseCarriesMetadata_thenDataIn64KiBMessagesWithCrc32c() {
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> call = open();
    call.write(first(PATH).addRanges(range(1, 1000, 200_000, 0)).build());
    awaitUntil(() -> dataBytes(1) == 200_000);

    assertTrue(responses.get(0).hasMetadata(), "metadata in the first response");
    assertEquals(1_000_000, responses.get(0).getMetadata().getSizeBytes());
    assertEquals(SyntheticContent.etag(PATH), responses.get(0).getMetadata().getGeneration());
    List<RangeData> data = data(1);
    assertEquals(List.of(65_536, 65_536, 65_536, 3_392),
        data.stream().map(d -> d.getData().size()).toList());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    long offset = 1000;
    for (RangeData d : data) {
      assertEquals(offset, d.getOffset());
      assertEquals(crc32c(d.getData().toByteArray()), d.getCrc32C());
      assertEquals(d == data.get(data.size() - 1), d.getRangeEnd());
      body.writeBytes(d.getData().toByteArray());
      offset += d.getData().size();
    }
    assertArrayEquals(SyntheticContent.bytes(PATH, 1000, 200_000), body.toByteArray());
    assertTrue(responses.stream().skip(1).noneMatch(ReadRangesResponse::hasMetadata));
  }

  @Test
  void credit_boundsWhatIsSent_untilTheClientGrantsMore() throws Exception {
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> call = open();
    call.write(first(PATH).addRanges(range(5, 0, 500_000, 100_000)).build());
    awaitUntil(() -> dataBytes(5) == 100_000);
    Thread.sleep(200);
    assertEquals(100_000, dataBytes(5), "nothing beyond the initial credit");
    assertEquals(100_000, front.stats().dataBytesSent());

    call.write(credit(5, 50_000));
    awaitUntil(() -> dataBytes(5) == 150_000);
    Thread.sleep(200);
    assertEquals(150_000, dataBytes(5), "nothing beyond the granted credit");

    call.write(credit(5, 1_000_000));
    awaitUntil(() -> data(5).stream().anyMatch(RangeData::getRangeEnd));
    assertEquals(500_000, dataBytes(5));
    assertEquals(1, front.stats().readsCompleted());
  }

  @Test
  void perReadErrors_areStatuses_andTheStreamServesTheOtherReads() {
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> call = open();
    call.write(first(PATH)
        .addRanges(range(1, 1_000_001, 10, 0))
        .addRanges(range(2, -5, 10, 0))
        .addRanges(range(3, 0, 300_000, 0))
        .addRanges(range(3, 0, 10, 0))
        .addRanges(range(4, 1_000_000, 0, 0))
        .build());
    awaitUntil(() -> dataBytes(3) == 300_000 && statuses().size() == 3
        && data(4).stream().anyMatch(RangeData::getRangeEnd));

    assertEquals(ReadStatus.Code.OUT_OF_RANGE, status(1).getCode());
    assertEquals(ReadStatus.Code.INVALID_ARGUMENT, status(2).getCode());
    assertEquals(ReadStatus.Code.INVALID_ARGUMENT, status(3).getCode(), "duplicate read id");
    assertEquals(0, dataBytes(4), "reading at the end gives one empty range_end message");
    assertEquals(3, front.stats().readsFailed());
    assertEquals(1, front.stats().activeStreams(), "the stream is still open");
  }

  @Test
  void missingObject_failsEachReadWithNotFound_andGenerationMismatchWithFailedPrecondition() {
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> missing = open();
    missing.write(first("/nothing/here").addRanges(range(1, 0, 10, 0)).build());
    awaitUntil(() -> statuses().size() == 1);
    assertEquals(ReadStatus.Code.NOT_FOUND, status(1).getCode());
    assertFalse(responses.get(0).hasMetadata());

    responses.clear();
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> stale = open();
    stale.write(ReadRangesRequest.newBuilder()
        .setObject(ObjectSpec.newBuilder().setPath(PATH).setIfGenerationMatch("\"old\""))
        .addRanges(range(9, 0, 10, 0)).build());
    awaitUntil(() -> statuses().size() == 1);
    assertEquals(ReadStatus.Code.FAILED_PRECONDITION, status(9).getCode());
  }

  @Test
  void firstMessageWithoutObject_failsTheStreamWithInvalidArgument() {
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> call = open();
    call.write(ReadRangesRequest.newBuilder().addRanges(range(1, 0, 10, 0)).build());
    GrpcClientResponse<ReadRangesRequest, ReadRangesResponse> response = call.response().await();
    awaitUntil(() -> response.status() != null);
    assertEquals(GrpcStatus.INVALID_ARGUMENT, response.status());
  }

  @Test
  void ladderSegment_isServedOverGrpcExactlyAsOverHttp() {
    byte[] expected = origin.ladder().segmentAsServed(/* variant= */ 1, /* sequence= */ 2);
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> call = open();
    call.write(first("/hls/v1/seg2.ts").addRanges(range(1, 0, 0, 0)).build());
    awaitUntil(() -> data(1).stream().anyMatch(RangeData::getRangeEnd));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    data(1).forEach(d -> body.writeBytes(d.getData().toByteArray()));
    assertArrayEquals(expected, body.toByteArray());
  }

  @Test
  void dropFault_resetsTheStreamAfterTheGivenBytes() {
    front.faults().add("/bytes/", new GrpcFault.DropStreamAfterBytes(100_000), 1);
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> call = open();
    Throwable[] failure = {null};
    call.response().onSuccess(r -> r.exceptionHandler(e -> failure[0] = e));
    call.write(first(PATH).addRanges(range(1, 0, 500_000, 0)).build());
    awaitUntil(() -> front.stats().streamsDropped() == 1 && front.stats().activeStreams() == 0);
    awaitUntil(() -> failure[0] != null);
    assertEquals(100_000, front.stats().dataBytesSent());
    assertTrue(dataBytes(1) <= 100_000);
  }

  @Test
  void sharedHttpDelayFault_delaysTheFirstResponse() {
    origin.faults().add("/bytes/", new Fault.DelayFirstByte(Duration.ofMillis(300)), 1);
    long startNanos = System.nanoTime();
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> call = open();
    call.write(first(PATH).addRanges(range(1, 0, 10, 0)).build());
    awaitUntil(() -> !responses.isEmpty());
    long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
    assertTrue(elapsedMs >= 290, "first response after " + elapsedMs + " ms (expected: >= 300)");
  }

  @Test
  void originsOwnPort_servesGrpcRangeReadsBesideHttp_withItsOwnFaultPlanAndStats() {
    origin.grpcFaults().add("/bytes/", new GrpcFault.CorruptChecksum(0), 1);
    address = SocketAddress.inetSocketAddress(origin.port(), "127.0.0.1");
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> call = open();
    call.write(first(PATH).addRanges(range(1, 10, 70_000, 0)).build());
    awaitUntil(() -> data(1).stream().anyMatch(RangeData::getRangeEnd));
    List<RangeData> data = data(1);
    assertEquals(2, data.size());
    assertTrue(crc32c(data.get(0).getData().toByteArray()) != data.get(0).getCrc32C(),
        "the origin's own gRPC fault plan corrupted the first message");
    assertEquals(crc32c(data.get(1).getData().toByteArray()), data.get(1).getCrc32C());
    assertEquals(70_000, origin.grpcStats().dataBytesSent());
    assertEquals(0, front.stats().streamsOpened(), "the separate front end saw nothing");
    assertEquals(0, origin.stats().requests(), "gRPC calls are not HTTP requests of the origin");
  }

  // Helpers.

  private GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> open() {
    GrpcClientRequest<ReadRangesRequest, ReadRangesResponse> call =
        client.request(address, RangeReadGrpcClient.ReadRanges).await();
    call.response().onSuccess(response -> response.handler(responses::add));
    return call;
  }

  private static ReadRangesRequest.Builder first(String path) {
    return ReadRangesRequest.newBuilder().setObject(ObjectSpec.newBuilder().setPath(path));
  }

  private static ReadRange range(long readId, long offset, long length, long creditBytes) {
    return ReadRange.newBuilder().setReadId(readId).setOffset(offset).setLength(length)
        .setInitialCreditBytes(creditBytes).build();
  }

  private static ReadRangesRequest credit(long readId, long bytes) {
    return ReadRangesRequest.newBuilder()
        .addCredits(ReadCredit.newBuilder().setReadId(readId).setBytes(bytes)).build();
  }

  private List<RangeData> data(long readId) {
    return responses.stream().flatMap(r -> r.getDataList().stream())
        .filter(d -> d.getReadId() == readId).toList();
  }

  private long dataBytes(long readId) {
    return data(readId).stream().mapToLong(d -> d.getData().size()).sum();
  }

  private List<ReadStatus> statuses() {
    return responses.stream().flatMap(r -> r.getStatusesList().stream()).toList();
  }

  private ReadStatus status(long readId) {
    return statuses().stream().filter(s -> s.getReadId() == readId).findFirst().orElseThrow();
  }

  private static int crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  private static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
