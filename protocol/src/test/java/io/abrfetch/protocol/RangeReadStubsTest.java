package io.abrfetch.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.server.GrpcServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated Vert.x stubs carry a bidi {@code ReadRanges} call end to end over a real loopback
 * HTTP/2 server: several reads in one request, responses tagged by read id, metadata first.
 */
class RangeReadStubsTest {

  private static final byte[] OBJECT = objectBytes(/* sizeBytes= */ 10_000);

  private Vertx vertx;
  private HttpServer httpServer;

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    GrpcServer grpcServer = GrpcServer.server(vertx);
    grpcServer.addService(RangeReadGrpcService.of(new SliceService()));
    httpServer =
        vertx
            .createHttpServer()
            .requestHandler(grpcServer)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void bidiCall_deliversEveryRangeTaggedWithItsReadId_andMetadataFirst() throws Exception {
    RangeReadGrpcClient client =
        RangeReadGrpcClient.create(
            GrpcClient.client(vertx),
            SocketAddress.inetSocketAddress(httpServer.actualPort(), "127.0.0.1"));
    List<ReadRangesResponse> responses = new ArrayList<>();
    ReadRangesRequest request =
        ReadRangesRequest.newBuilder()
            .setObject(ObjectSpec.newBuilder().setPath("/object"))
            .addRanges(ReadRange.newBuilder().setReadId(7).setOffset(0).setLength(100))
            .addRanges(ReadRange.newBuilder().setReadId(8).setOffset(9_990).setLength(10))
            .build();
    client
        .readRanges(
            (WriteStream<ReadRangesRequest> requests, Throwable err) -> {
              if (err == null) {
                requests.end(request);
              }
            })
        .compose(stream -> collect(stream, responses))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertTrue(responses.get(0).hasMetadata(), "first response carries the object metadata");
    assertEquals(OBJECT.length, responses.get(0).getMetadata().getSizeBytes());
    List<RangeData> data = new ArrayList<>();
    responses.forEach(r -> data.addAll(r.getDataList()));
    assertEquals(2, data.size());
    assertEquals(7, data.get(0).getReadId());
    assertArrayEquals(slice(0, 100), data.get(0).getData().toByteArray());
    assertEquals(8, data.get(1).getReadId());
    assertEquals(9_990, data.get(1).getOffset());
    assertArrayEquals(slice(9_990, 10), data.get(1).getData().toByteArray());
    for (RangeData d : data) {
      assertEquals(crc32c(d.getData().toByteArray()), d.getCrc32C(), "read " + d.getReadId());
      assertTrue(d.getRangeEnd());
    }
  }

  private static Future<Void> collect(
      ReadStream<ReadRangesResponse> stream, List<ReadRangesResponse> into) {
    return Future.future(
        promise -> stream.handler(into::add).exceptionHandler(promise::fail).endHandler(promise::complete));
  }

  /** Answers each range with one message holding the whole slice. */
  private static final class SliceService extends RangeReadService {
    @Override
    protected void readRanges(
        ReadStream<ReadRangesRequest> requests, WriteStream<ReadRangesResponse> responses) {
      boolean[] first = {true};
      requests.handler(
          request -> {
            ReadRangesResponse.Builder response = ReadRangesResponse.newBuilder();
            if (first[0]) {
              response.setMetadata(
                  ObjectMetadata.newBuilder().setSizeBytes(OBJECT.length).setGeneration("g1"));
              first[0] = false;
            }
            for (ReadRange range : request.getRangesList()) {
              byte[] bytes = slice((int) range.getOffset(), (int) range.getLength());
              response.addData(
                  RangeData.newBuilder()
                      .setReadId(range.getReadId())
                      .setOffset(range.getOffset())
                      .setData(ByteString.copyFrom(bytes))
                      .setCrc32C((int) crc32c(bytes))
                      .setRangeEnd(true));
            }
            responses.write(response.build());
          });
      requests.endHandler(v -> responses.end());
    }
  }

  private static byte[] slice(int offset, int length) {
    byte[] out = new byte[length];
    System.arraycopy(OBJECT, offset, out, 0, length);
    return out;
  }

  private static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  private static byte[] objectBytes(int sizeBytes) {
    byte[] bytes = new byte[sizeBytes];
    for (int i = 0; i < sizeBytes; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }
}
