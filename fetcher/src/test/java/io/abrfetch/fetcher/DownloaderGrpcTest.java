package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.GrpcFault;
import io.abrfetch.origin.SyntheticContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code grpc://host:port/path} segment fetches through the {@link Downloader} against a real
 * origin's gRPC range-read side (same port as its HTTP side): bytes checked against
 * {@link SyntheticContent}, events compared with HTTP's, faults observed on the server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DownloaderGrpcTest extends OriginTestBase {

  /** Generous: the first gRPC exchange of a JVM loads many classes on a busy 2-core machine. */
  private static final Duration GRPC_INACTIVITY = Duration.ofSeconds(5);

  private String grpcUrl(String path) {
    return "grpc://127.0.0.1:" + origin.port() + path;
  }

  private Downloader grpcDownloader(int maxInFlight) throws Exception {
    return downloader(b -> b.inactivityTimeout(GRPC_INACTIVITY).maxInFlight(maxInFlight));
  }

  private static List<String> eventNames(List<FetchEvent> events) {
    List<String> names = new ArrayList<>();
    for (FetchEvent e : events) {
      names.add(e.getClass().getSimpleName());
    }
    return names;
  }

  @Test
  void grpcSegment_completesWithExactBytes_andTheSameEventSequenceAsHttp() throws Exception {
    Downloader d = grpcDownloader(4);
    String path = "/bytes/1048576/grpc-whole.bin";
    PeerHandle peer = d.register(Peer.of("p"));
    FetchHandle viaHttp = peer.fetch(FetchRequest.builder(url(path)).build());
    await(viaHttp.result());
    FetchHandle viaGrpc = peer.fetch(FetchRequest.builder(grpcUrl(path)).build());
    FetchResult result = await(viaGrpc.result());

    assertWholeObject(path, 1 << 20, result.body().getBytes());
    assertEquals(1 << 20, result.sizeBytes());
    assertEquals(200, result.statusCode());
    assertEquals(1, result.attempts());
    assertEquals(SyntheticContent.etag(path), result.etag());
    assertEquals(List.of("Enqueued", "Started", "FirstByte", "Completed"),
        eventNames(events.of(viaGrpc.requestId())));
    assertEquals(eventNames(events.of(viaHttp.requestId())),
        eventNames(events.of(viaGrpc.requestId())));
    assertEquals(1, origin.grpcStats().readsCompleted());
  }

  @Test
  void grpcByteRange_deliversExactlyThatRange_as206() throws Exception {
    Downloader d = grpcDownloader(4);
    String path = "/bytes/4194304/grpc-range.bin";
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(grpcUrl(path))
        .range(ByteRange.of(123_457, 300_000)).expectedSizeBytes(300_000).build());
    FetchResult result = await(h.result());

    assertArrayEquals(SyntheticContent.bytes(path, 123_457, 300_000), result.body().getBytes());
    assertEquals(206, result.statusCode());
    assertTrue(events.only(h.requestId(), FetchEvent.FirstByte.class).partial());
    ResponseHead head = await(h.head());
    assertEquals("bytes 123457-423456/4194304", head.headers().get("Content-Range"));
  }

  @Test
  void streamDroppedMidRead_isResumedOnANewStream_andBytesAreIdentical() throws Exception {
    Downloader d = grpcDownloader(4);
    String path = "/bytes/4194304/grpc-drop.bin";
    origin.grpcFaults().add(path, new GrpcFault.DropStreamAfterBytes(1 << 20), 1);
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(grpcUrl(path)).build());
    FetchResult result = await(h.result());

    assertWholeObject(path, 4 << 20, result.body().getBytes());
    assertEquals(1, origin.grpcStats().streamsDropped());
    assertEquals(2, origin.grpcStats().streamsOpened(), "the dropped stream and its reopen");
    assertEquals(1, events.endings(h.requestId()).size());
  }

  @Test
  void corruptedChecksum_isRetriedFromTheBytesDelivered_andBytesAreIdentical() throws Exception {
    Downloader d = grpcDownloader(4);
    String path = "/bytes/4194304/grpc-crc.bin";
    origin.grpcFaults().add(path, new GrpcFault.CorruptChecksum(1 << 20), 1);
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(grpcUrl(path)).build());
    FetchResult result = await(h.result());

    assertWholeObject(path, 4 << 20, result.body().getBytes());
    FetchEvent.Retrying retrying = events.only(h.requestId(), FetchEvent.Retrying.class);
    assertEquals(FetchException.Kind.CHECKSUM, retrying.cause());
    FetchEvent.Resumed resumed = events.only(h.requestId(), FetchEvent.Resumed.class);
    assertTrue(resumed.fromOffsetBytes() > 0, "resumed at " + resumed.fromOffsetBytes());
    assertEquals(2, result.attempts());
    assertEquals(1, result.resumes());
    // The second read asked only for what was missing.
    assertTrue(origin.grpcStats().dataBytesSent() < (4L << 20) + (2L << 20),
        "sent " + origin.grpcStats().dataBytesSent());
  }

  @Test
  void missingObject_failsFatalNotFound_withoutRetry() throws Exception {
    Downloader d = grpcDownloader(4);
    FetchHandle h = d.register(Peer.of("p")).fetch(
        FetchRequest.builder(grpcUrl("/no/such/object.ts")).build());
    FetchException failure = awaitFailure(h.result());

    assertEquals(FetchException.Kind.NOT_FOUND, failure.kind());
    FetchEvent.Failed failed = events.only(h.requestId(), FetchEvent.Failed.class);
    assertEquals(1, failed.attempts());
    assertTrue(events.of(h.requestId(), FetchEvent.Retrying.class).isEmpty());
  }

  @Test
  void cancel_endsCancelled_andTheServerStopsSending() throws Exception {
    Downloader d = grpcDownloader(4);
    String path = "/bytes/33554432/grpc-cancel.bin";
    // A slow sink (about 3 MB/s) keeps the read mostly parked on backpressure.
    CollectingWriteStream sink = new CollectingWriteStream(vertx, 64 * 1024, 20);
    sink.setWriteQueueMaxSize(256 * 1024);
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(grpcUrl(path))
        .sink(BodySink.stream(sink)).build());
    events.await(FetchEvent.FirstByte.class, e -> e.requestId() == h.requestId(), 10_000);
    assertTrue(await(h.cancel()));
    FetchException failure = awaitFailure(h.result());

    assertEquals(FetchException.Kind.CANCELLED, failure.kind());
    assertEquals(1, events.of(h.requestId(), FetchEvent.Cancelled.class).size());
    long deadline = System.currentTimeMillis() + 5_000;
    while (origin.grpcStats().readsCancelled() < 1 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, origin.grpcStats().readsCancelled());
    Thread.sleep(200);
    long sentAfterCancel = origin.grpcStats().dataBytesSent();
    Thread.sleep(300);
    assertEquals(sentAfterCancel, origin.grpcStats().dataBytesSent(), "server still sending");
    assertTrue(sentAfterCancel < 32L << 20, "sent " + sentAfterCancel + " of 32 MiB");
  }

  @Test
  void concurrentGrpcFetches_shareOneStream_andRespectMaxInFlight() throws Exception {
    Downloader d = grpcDownloader(2);
    String path = "/bytes/16777216/grpc-shared.bin";
    int[] running = new int[1];
    int[] maxRunning = new int[1];
    d.addListener(e -> {
      if (e instanceof FetchEvent.Started started && started.attempt() == 1) {
        maxRunning[0] = Math.max(maxRunning[0], ++running[0]);
      } else if (e instanceof FetchEvent.Completed || e instanceof FetchEvent.Failed
          || e instanceof FetchEvent.Cancelled) {
        running[0]--;
      }
    });
    List<FetchHandle> handles = new ArrayList<>();
    onLoop(() -> {
      PeerHandle p = d.register(Peer.of("p"));
      for (int i = 0; i < 6; i++) {
        handles.add(p.fetch(FetchRequest.builder(grpcUrl(path))
            .range(ByteRange.of(i * 1_000_000L, 1_000_000)).build()));
      }
    });
    for (int i = 0; i < handles.size(); i++) {
      FetchResult result = await(handles.get(i).result());
      assertArrayEquals(SyntheticContent.bytes(path, i * 1_000_000L, 1_000_000),
          result.body().getBytes(), "fetch " + i);
    }
    assertEquals(2, onLoop(() -> maxRunning[0]), "at most maxInFlight reads at a time");
    assertEquals(1, origin.grpcStats().streamsOpened(), "one stream for every read");
    assertEquals(6, origin.grpcStats().readsCompleted());
    long deadline = System.currentTimeMillis() + 5_000;
    while (origin.grpcStats().activeStreams() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, origin.grpcStats().activeStreams(), "the idle reader closed its stream");
  }

  @Test
  void silentStream_hitsTheInactivityTimeout_andIsRetriedOnAFreshStream() throws Exception {
    Downloader d = downloader(b -> b.inactivityTimeout(Duration.ofMillis(300)));
    String path = "/bytes/524288/grpc-silent.bin";
    origin.grpcFaults().add(path, new GrpcFault.DelayFirstResponse(Duration.ofSeconds(2)), 1);
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(grpcUrl(path)).build());
    FetchResult result = await(h.result());

    assertWholeObject(path, 512 * 1024, result.body().getBytes());
    assertEquals(FetchException.Kind.TIMEOUT,
        events.of(h.requestId(), FetchEvent.Retrying.class).get(0).cause());
    assertTrue(result.attempts() >= 2, "attempts " + result.attempts());
    assertTrue(origin.grpcStats().streamsOpened() >= 2, "the silent stream was given up");
  }

  @Test
  void completedGrpcFetch_feedsAbrOneTransferSample() throws Exception {
    Downloader d = grpcDownloader(4);
    long estimateBefore = abr.bandwidthEstimateBps();
    String path = "/bytes/2097152/grpc-abr.bin";
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(grpcUrl(path)).build());
    await(h.result());

    FetchEvent.Completed done = events.only(h.requestId(), FetchEvent.Completed.class);
    assertEquals(2 << 20, done.sizeBytes());
    assertTrue(done.transferNanos() > 0);
    assertNotEquals(estimateBefore, abr.bandwidthEstimateBps(),
        "the sample reached the controller");
  }

  @Test
  void grpcUrl_withoutPort_orWithHeaders_isRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> FetchRequest.builder("grpc://127.0.0.1/bytes/10/x").build());
    assertThrows(IllegalArgumentException.class,
        () -> FetchRequest.builder("grpc://127.0.0.1:9/bytes/10/x")
            .header("Authorization", "x").build());
  }
}
