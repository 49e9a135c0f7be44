package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 1 GiB object through a sink slower than the download: the reorder window, not the object,
 * bounds what is held in memory.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ParallelRangeGetMemoryBoundTest extends OriginTestBase {

  private static final long ONE_GIB = 1L << 30;
  private static final int CHUNK_BYTES = 1 << 20;

  @Test
  void oneGibThroughASlowSink_neverHoldsMoreThanTheWindow() throws Exception {
    String path = "/bytes/" + ONE_GIB + "/memory-bound";
    PeerHandle peer = downloader().register(Peer.of("big"));
    // Full at 1 MiB queued; drains 2 MiB every 10 ms but stops for 200 ms after every 128 MiB:
    // during each hiccup the other requests fetch far more than the window holds (at 100 MB/s,
    // 20 MB), so only the window's gate keeps the peak under its bound.
    ParallelRangeGetCheckingSink sink =
        new ParallelRangeGetCheckingSink(vertx, path, CHUNK_BYTES, 2L * CHUNK_BYTES, 10)
            .hiccups(128L << 20, 200);
    ParallelRangeGetOptions options = ParallelRangeGetOptions.builder()
        .concurrency(4).chunkSizeBytes(CHUNK_BYTES).build();
    long bound = options.bufferBoundBytes();
    ParallelRangeGet get = ParallelRangeGet.start(peer, url(path), sink, options);
    CompletableFuture<ParallelRangeGetResult> done =
        get.result().toCompletionStage().toCompletableFuture();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(80);
    while (!done.isDone()) {
      // Watched while it runs, so a broken bound fails here rather than exhausting the heap.
      if (get.peakBufferedBytes() > bound) {
        get.cancel();
        fail("peak " + get.peakBufferedBytes() + " bytes passed the window bound " + bound
            + " at byte " + sink.writtenBytes);
      }
      assertTrue(System.nanoTime() < deadline, () -> "not done in 80 s: " + sink.writtenBytes
          + " bytes written, " + get.bufferedBytes() + " buffered, sink " + sink.describe());
      Thread.sleep(20);
    }
    ParallelRangeGetResult result = done.get();
    onLoop(sink::stop);

    assertEquals(-1, sink.firstMismatchOffset, "first byte that differs from SyntheticContent");
    assertEquals(ONE_GIB, sink.writtenBytes);
    assertEquals(ParallelRangeGet.Mode.PARALLEL, result.mode());
    assertEquals(1024, result.requests());
    assertTrue(sink.timesFull > 100, "the sink pushed back: full " + sink.timesFull + " times");
    assertEquals(8L * CHUNK_BYTES, bound);
    assertTrue(result.peakBufferedBytes() <= bound,
        "peak " + result.peakBufferedBytes() + " bytes <= window bound " + bound);
    // The window was really used (chunks fetched ahead of a slow sink), or the bound proves nothing.
    assertTrue(result.peakBufferedBytes() > 2L * CHUNK_BYTES,
        "peak " + result.peakBufferedBytes() + " shows chunks held ahead of the sink");
    assertTrue(origin.stats().maxActiveRequests() <= 4);
    assertEquals(0, get.bufferedBytes());
  }
}
