package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.fetcher.FetchException;
import io.abrfetch.origin.Fault;
import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.ServedRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VariantDownload} against a real synthetic-ladder origin on 127.0.0.1: every byte written
 * is compared with the origin's plaintext, in order; concurrency is read from the origin's own
 * count of concurrent requests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VariantDownloadTest extends HlsTestBase {

  private static final int VARIANT = 1;

  /** A sink keeping every byte; {@link #hold()} makes it report full until {@link #release()}. */
  static final class GatedSink implements WriteStream<Buffer> {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean full;
    private Handler<Void> drainHandler;
    volatile int writes;

    synchronized byte[] bytes() {
      return bytes.toByteArray();
    }

    synchronized void hold() {
      full = true;
    }

    void release() {
      Handler<Void> handler;
      synchronized (this) {
        full = false;
        handler = drainHandler;
        drainHandler = null;
      }
      if (handler != null) {
        handler.handle(null);
      }
    }

    @Override
    public synchronized Future<Void> write(Buffer data) {
      bytes.writeBytes(data.getBytes());
      writes++;
      return Future.succeededFuture();
    }

    @Override
    public synchronized boolean writeQueueFull() {
      return full;
    }

    @Override
    public synchronized WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drainHandler = handler;
      return this;
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
  }

  /** The variant's media as a download must write it: init (if any), then each plaintext. */
  private byte[] expected(int variant, int segments, boolean init) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (init) {
      out.writeBytes(origin.ladder().initSegment(variant));
    }
    for (int n = 0; n < segments; n++) {
      out.writeBytes(origin.ladder().segmentPlaintext(variant, n));
    }
    return out.toByteArray();
  }

  private VariantDownload start(String url, GatedSink sink, VariantDownloadOptions options)
      throws Exception {
    return onLoop(() -> VariantDownload.start(vertx, downloader, url, sink, options));
  }

  private static VariantDownloadOptions.Builder fast() {
    return VariantDownloadOptions.builder().variantIndex(VARIANT)
        .segmentRetryDelay(Duration.ofMillis(20));
  }

  private void startDownloader(int perOrigin) throws Exception {
    startDownloader(io.abrfetch.abr.AbrPolicy.named("throughput"), b -> b.maxInFlight(perOrigin)
        .maxInFlightPerOrigin(perOrigin).inactivityTimeout(Duration.ofSeconds(1)));
  }

  private long mediaRequests() {
    return origin.stats().log().stream().filter(r -> r.path().contains("/seg")).count();
  }

  // ---------------------------------------------------------------- bytes in order

  @Test
  void initSegmentsAndPlaintext_inOrder_initFetchedOnce() throws Exception {
    startOrigin(smallLadder().vodSegmentCount(12).initSegments(true).build());
    startDownloader(8);
    List<VariantDownloadProgress> progress = new CopyOnWriteArrayList<>();
    GatedSink sink = new GatedSink();
    VariantDownloadResult result = await(start(origin.masterPlaylistUrl(), sink,
        fast().progressListener(progress::add).build()).result());

    assertArrayEquals(expected(VARIANT, 12, true), sink.bytes());
    assertEquals(12, result.segments());
    assertEquals(1, result.initSectionsWritten());
    assertEquals(sink.bytes().length, result.bytesWritten());
    assertEquals(1, origin.stats().requests("/hls/v1/init.mp4"));
    assertTrue(result.mediaPlaylistUrl().endsWith("/hls/v1/index.m3u8"), result.toString());
    assertEquals(12, progress.size());
    assertEquals(12, progress.get(11).segmentsDone());
    assertEquals(12, progress.get(11).segmentsTotal());
    assertTrue(progress.get(11).isComplete());
    assertEquals(result.bytesWritten(), progress.get(11).bytesWritten());
    for (int i = 1; i < progress.size(); i++) {
      assertTrue(progress.get(i).bytesWritten() > progress.get(i - 1).bytesWritten());
    }
  }

  @Test
  void byteRangeVariant_fetchedAsRanges() throws Exception {
    startOrigin(smallLadder().vodSegmentCount(10).byteRange(true).build());
    startDownloader(8);
    GatedSink sink = new GatedSink();
    await(start(origin.masterPlaylistUrl(), sink, fast().build()).result());

    assertArrayEquals(expected(VARIANT, 10, false), sink.bytes());
    List<ServedRequest> media = origin.stats().log().stream()
        .filter(r -> r.path().equals("/hls/v1/media.ts")).toList();
    assertEquals(10, media.size());
    for (ServedRequest r : media) {
      assertNotNull(r.rangeHeader(), r.toString());
      assertEquals(206, r.status(), r.toString());
    }
  }

  @Test
  void aes128WithKeyRotation_decryptsToPlaintext_eachKeyFetchedOnce() throws Exception {
    // Segments of 1 Mbit/s x 1 s = 125 kB: above the 64 KiB threshold, decrypted on a worker.
    startOrigin(smallLadder().bitratesBps(List.of(150_000L, 1_000_000L)).vodSegmentCount(12)
        .aes128(true).keyRotationSegments(4).build());
    startDownloader(8);
    GatedSink sink = new GatedSink();
    VariantDownloadResult result = await(start(origin.masterPlaylistUrl(), sink,
        fast().build()).result());

    assertArrayEquals(expected(VARIANT, 12, false), sink.bytes());
    assertEquals(12, result.encryptedSegments());
    for (int k = 0; k < 3; k++) {
      assertEquals(1, origin.stats().requests("/hls/v1/key" + k + ".key"), "key " + k);
    }
  }

  @Test
  void mediaPlaylistUrl_downloadsIt_andFileOutput() throws Exception {
    startOrigin(smallLadder().vodSegmentCount(6).build());
    startDownloader(8);
    Path file = tempDir.resolve("out.ts");
    String url = origin.masterPlaylistUrl().replace("master.m3u8", "v2/index.m3u8");
    VariantDownloadResult result = await(onLoop(() -> VariantDownload.toFile(vertx, downloader,
        url, file, VariantDownloadOptions.defaults())).result());

    assertEquals(0, result.variantIndex());
    assertArrayEquals(expected(2, 6, false), Files.readAllBytes(file));
  }

  @TempDir Path tempDir;

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrency8_keeps8RequestsRunning_concurrency1_one() throws Exception {
    // Each connection shaped to 4 Mbit/s: a 50 kB segment takes about 100 ms on the wire, so the
    // requests of a concurrent download overlap at the origin.
    startOrigin(OriginOptions.builder().ladder(smallLadder().vodSegmentCount(24).build())
        .shaping(LinkShaping.fixedRate(4_000_000, LinkShaping.Scope.PER_CONNECTION)));
    startDownloader(8);
    GatedSink parallel = new GatedSink();
    await(start(origin.masterPlaylistUrl(), parallel, fast().concurrency(8).build()).result());
    int parallelPeak = origin.stats().maxActiveRequests();

    origin.stats().reset();
    GatedSink serial = new GatedSink();
    await(start(origin.masterPlaylistUrl(), serial, fast().concurrency(1).build()).result());

    assertArrayEquals(expected(VARIANT, 24, false), parallel.bytes());
    assertArrayEquals(expected(VARIANT, 24, false), serial.bytes());
    // The origin counts a request until its response's end handler ran, which may come after the
    // client already sent the next one on another connection: the peak may read one above the
    // cap (the downloader's own tests check the cap); it must reach it.
    assertTrue(parallelPeak >= 8, "concurrent requests at the origin, concurrency 8: "
        + parallelPeak);
    assertEquals(1, origin.stats().maxActiveRequests(), "concurrent requests, concurrency 1");
  }

  // ---------------------------------------------------------------- faults

  @Test
  void transientFaults_503BurstResetStall_recoveredBytesIntact() throws Exception {
    startOrigin(smallLadder().vodSegmentCount(12).build());
    origin.faults().add("/hls/v1/seg2.ts", new Fault.Status(503, null), 6);
    origin.faults().add("/hls/v1/seg5.ts", new Fault.ResetAfterBytes(1_000), 2);
    origin.faults().add("/hls/v1/seg8.ts", new Fault.StallAfterBytes(1_000,
        Duration.ofSeconds(3)), 1);
    startDownloader(8);
    GatedSink sink = new GatedSink();
    VariantDownloadResult result = await(start(origin.masterPlaylistUrl(), sink,
        fast().build()).result());

    assertArrayEquals(expected(VARIANT, 12, false), sink.bytes());
    assertEquals(12, result.segments());
    assertTrue(origin.stats().requests("/hls/v1/seg2.ts") >= 7);
    assertTrue(origin.stats().requests("/hls/v1/seg5.ts") >= 3);
    assertTrue(fetchEvents.stream().anyMatch(e -> e instanceof
        io.abrfetch.fetcher.FetchEvent.Stalled), "stall seen by the downloader");
  }

  @Test
  void fatal404_failsNamingSegment_afterWritingEverySegmentBeforeIt() throws Exception {
    // A shaped link: the 404 of segment 5 comes back long before segments 0 to 4 are through.
    startOrigin(OriginOptions.builder().ladder(smallLadder().vodSegmentCount(12).build())
        .shaping(LinkShaping.fixedRate(2_000_000, LinkShaping.Scope.PER_CONNECTION)));
    origin.faults().add("/hls/v1/seg5.ts", Fault.Status.of(404));
    startDownloader(8);
    GatedSink sink = new GatedSink();
    VariantDownload download = start(origin.masterPlaylistUrl(), sink, fast().build());
    HlsException e = awaitHlsFailure(download.result());

    assertEquals(HlsException.Kind.SEGMENT, e.kind());
    assertEquals(5, e.mediaSequence());
    assertTrue(e.url().endsWith("/hls/v1/seg5.ts"), e.url());
    assertEquals(404, e.fetchFailure().statusCode());
    assertArrayEquals(expected(VARIANT, 5, false), sink.bytes(), "the 5 segments before it");
    assertEquals(5, download.progress().segmentsDone());
    waitFor(() -> origin.stats().activeRequests() == 0, 5_000);
  }

  @Test
  void wrongContentRange_failsWithRange() throws Exception {
    startOrigin(smallLadder().vodSegmentCount(6).byteRange(true).build());
    origin.faults().add("/hls/v1/media.ts", new Fault.WrongContentRange());
    startDownloader(8);
    HlsException e = awaitHlsFailure(start(origin.masterPlaylistUrl(), new GatedSink(),
        fast().build()).result());

    assertEquals(HlsException.Kind.SEGMENT, e.kind());
    assertEquals(FetchException.Kind.RANGE, e.fetchFailure().kind());
    assertTrue(e.mediaSequence() >= 0);
  }

  @Test
  void endless503_failsAfterSegmentAttempts() throws Exception {
    startOrigin(smallLadder().vodSegmentCount(4).build());
    origin.faults().add("/hls/v1/seg1.ts", new Fault.Status(503, null));
    startDownloader(8);
    HlsException e = awaitHlsFailure(start(origin.masterPlaylistUrl(), new GatedSink(),
        fast().maxSegmentAttempts(2).build()).result());

    assertEquals(HlsException.Kind.SEGMENT, e.kind());
    assertEquals(1, e.mediaSequence());
    assertEquals(503, e.fetchFailure().statusCode());
    assertTrue(e.getMessage().contains("failed 2 times"), e.getMessage());
  }

  // ---------------------------------------------------------------- backpressure and cancel

  @Test
  void slowSink_stopsRequestsAtTheWindow_memoryBounded() throws Exception {
    startOrigin(smallLadder().vodSegmentCount(30).build());
    startDownloader(8);
    GatedSink sink = new GatedSink();
    sink.hold();
    VariantDownload download = start(origin.masterPlaylistUrl(), sink,
        fast().concurrency(2).windowSegments(4).build());
    // Nothing can be written: the window of 4 fills and no fifth segment is asked for.
    waitFor(() -> mediaRequests() >= 4, 10_000);
    Thread.sleep(300);
    assertEquals(4, mediaRequests(), "requests while the sink is full");
    assertEquals(0, sink.writes);
    long maxSegmentBytes = 0;
    for (int n = 0; n < 30; n++) {
      maxSegmentBytes = Math.max(maxSegmentBytes, origin.ladder().segmentPlaintext(VARIANT, n)
          .length);
    }
    assertTrue(download.peakHeldBytes() <= 4 * maxSegmentBytes, "held "
        + download.peakHeldBytes());

    sink.release();
    VariantDownloadResult result = await(download.result());
    assertArrayEquals(expected(VARIANT, 30, false), sink.bytes());
    assertTrue(result.peakHeldBytes() <= 4 * maxSegmentBytes);
    assertEquals(30, mediaRequests());
  }

  @Test
  void cancel_failsCancelled_endsEveryRequest_noMoreRequests() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().vodSegmentCount(40).build())
        .shaping(LinkShaping.fixedRate(400_000, LinkShaping.Scope.PER_CONNECTION)));
    startDownloader(8);
    GatedSink sink = new GatedSink();
    VariantDownload download = start(origin.masterPlaylistUrl(), sink, fast().build());
    waitFor(() -> origin.stats().activeRequests() == 8, 10_000);

    assertTrue(await(download.cancel()));
    HlsException e = awaitHlsFailure(download.result());
    assertEquals(HlsException.Kind.CANCELLED, e.kind());
    assertEquals(false, await(download.cancel()), "second cancel");
    waitFor(() -> origin.stats().activeRequests() == 0, 5_000);
    long requests = origin.stats().requests();
    Thread.sleep(300);
    assertEquals(requests, origin.stats().requests(), "no request after cancel");
    assertTrue(download.progress().segmentsDone() < 40);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void variantOutOfRange_isNoSuchVariant() throws Exception {
    startOrigin(smallLadder().build());
    startDownloader(8);
    HlsException e = awaitHlsFailure(start(origin.masterPlaylistUrl(), new GatedSink(),
        fast().variantIndex(3).build()).result());
    assertEquals(HlsException.Kind.NO_SUCH_VARIANT, e.kind());
    assertTrue(e.getMessage().contains("has 3 variants"), e.getMessage());

    String media = origin.masterPlaylistUrl().replace("master.m3u8", "v0/index.m3u8");
    HlsException m = awaitHlsFailure(start(media, new GatedSink(), fast().build()).result());
    assertEquals(HlsException.Kind.NO_SUCH_VARIANT, m.kind(), "variant 1 of a media playlist");
  }

  @Test
  void livePlaylist_isLiveUnsupported() throws Exception {
    startOrigin(smallLadder().live(true).windowSegments(4).build());
    startDownloader(8);
    HlsException e = awaitHlsFailure(start(origin.masterPlaylistUrl(), new GatedSink(),
        fast().build()).result());
    assertEquals(HlsException.Kind.LIVE_UNSUPPORTED, e.kind());
    assertEquals(0, mediaRequests());
  }

  @Test
  void missingOrInvalidPlaylist_typedErrors() throws Exception {
    startOrigin(smallLadder().build());
    startDownloader(8);
    String base = origin.masterPlaylistUrl().replace("/hls/master.m3u8", "");
    HlsException missing = awaitHlsFailure(start(base + "/hls/nothing.m3u8", new GatedSink(),
        fast().build()).result());
    assertEquals(HlsException.Kind.PLAYLIST_UNAVAILABLE, missing.kind());
    HlsException invalid = awaitHlsFailure(start(base + "/bytes/300", new GatedSink(),
        fast().build()).result());
    assertEquals(HlsException.Kind.PLAYLIST_INVALID, invalid.kind());
  }

  @Test
  void unwritableFile_isSink() throws Exception {
    startOrigin(smallLadder().build());
    startDownloader(8);
    HlsException e = awaitHlsFailure(onLoop(() -> VariantDownload.toFile(vertx, downloader,
        origin.masterPlaylistUrl(), tempDir.resolve("no/such/dir/out.ts"),
        fast().build())).result());
    assertEquals(HlsException.Kind.SINK, e.kind());
  }

  @Test
  void badOptions_areRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> VariantDownloadOptions.builder().concurrency(0).build());
    IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
        () -> VariantDownloadOptions.builder().concurrency(8).windowSegments(4).build());
    assertTrue(window.getMessage().contains("windowSegments: 4"), window.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> VariantDownloadOptions.builder().variantIndex(-1).build());
    assertEquals(16, VariantDownloadOptions.defaults().windowSegments());
  }
}
