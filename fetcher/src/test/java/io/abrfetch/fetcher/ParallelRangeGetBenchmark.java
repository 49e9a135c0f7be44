package io.abrfetch.fetcher;

import io.abrfetch.abr.AbrController;
import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;

/**
 * The parallel range GET benchmark (not a test): downloads one object from an origin on loopback
 * with one plain GET through the downloader, then with {@link ParallelRangeGet} at concurrency 1,
 * 4 and 8, into a sink that counts bytes and spot-checks them, and prints MB/s, the fetcher JVM's
 * CPU seconds and the peak of buffered bytes per run.
 *
 * <p>Usage: {@code ParallelRangeGetBenchmark <originBaseUrl> <sizeMiB> <chunkMiB> <label>}; run
 * through {@code bench/range-get/run.sh}, which starts the origin in its own JVM
 * ({@link Origin}), once unshaped and once with a per-connection rate limit.
 */
public final class ParallelRangeGetBenchmark {
  private ParallelRangeGetBenchmark() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    long sizeBytes = Long.parseLong(args[1]) * 1024 * 1024;
    int chunkBytes = Integer.parseInt(args[2]) * 1024 * 1024;
    String label = args[3];
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    DownloaderOptions options = DownloaderOptions.builder().name("bench")
        .maxInFlight(16).maxInFlightPerOrigin(16).build();
    Downloader downloader = Downloader.create(vertx, options, AbrController.create(),
        new SimpleMeterRegistry());
    PeerHandle peer = downloader.register(Peer.of("bench"));
    System.out.printf("range-get benchmark [%s]: %d MiB object, %d MiB chunks, origin %s, JVM %s,"
        + " %d cpus%n", label, sizeBytes >> 20, chunkBytes >> 20, base,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

    // Warm-up so the JIT has compiled both paths before anything is measured.
    plainGet(peer, base, sizeBytes / 4, "warm-plain", true);
    rangeGet(peer, base, sizeBytes / 4, chunkBytes, 4, "warm-range", true);

    plainGet(peer, base, sizeBytes, "plain", false);
    for (int concurrency : new int[] {1, 4, 8}) {
      rangeGet(peer, base, sizeBytes, chunkBytes, concurrency, "c" + concurrency, false);
    }
    downloader.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static void plainGet(PeerHandle peer, String base, long sizeBytes, String name,
      boolean warmUp) throws Exception {
    String path = "/bytes/" + sizeBytes + "/" + name;
    CountingSink sink = new CountingSink(path);
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    peer.fetch(FetchRequest.builder(base + path).sink(BodySink.stream(sink)).build()).result()
        .toCompletionStage().toCompletableFuture().get();
    report(warmUp, "one plain GET (FetchRequest)", sizeBytes, sink, System.nanoTime() - t0,
        cpuNanos() - cpu0, 0, 1);
  }

  private static void rangeGet(PeerHandle peer, String base, long sizeBytes, int chunkBytes,
      int concurrency, String name, boolean warmUp) throws Exception {
    String path = "/bytes/" + sizeBytes + "/" + name;
    CountingSink sink = new CountingSink(path);
    ParallelRangeGetOptions opts = ParallelRangeGetOptions.builder()
        .concurrency(concurrency).chunkSizeBytes(chunkBytes).build();
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    ParallelRangeGetResult result = ParallelRangeGet.start(peer, base + path, sink, opts).result()
        .toCompletionStage().toCompletableFuture().get();
    report(warmUp, "ParallelRangeGet c=" + concurrency + " (" + result.mode() + ", bound "
        + (opts.bufferBoundBytes() >> 20) + " MiB)", sizeBytes, sink, System.nanoTime() - t0,
        cpuNanos() - cpu0, result.peakBufferedBytes(), result.requests());
  }

  private static void report(boolean warmUp, String what, long sizeBytes, CountingSink sink,
      long elapsedNanos, long cpuNanos, long peakBufferedBytes, int requests) {
    if (sink.bytes != sizeBytes || sink.mismatches != 0) {
      throw new IllegalStateException(what + ": wrote " + sink.bytes + " of " + sizeBytes
          + " bytes, " + sink.mismatches + " spot checks failed");
    }
    if (warmUp) {
      return;
    }
    System.out.printf("%-52s %8.1f MB/s  %6.2f s  cpu %5.2f s  peak buffered %7.2f MiB"
        + "  requests %d%n", what, sizeBytes / (elapsedNanos / 1e9) / 1e6, elapsedNanos / 1e9,
        cpuNanos / 1e9, peakBufferedBytes / 1048576.0, requests);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }


  /**
   * The origin half: an {@link OriginServer} in its own JVM, unshaped or limited to a rate per
   * connection (as many CDNs and object stores limit one stream). Prints {@code ORIGIN_URL <url>}.
   * Usage: {@code Origin [perConnectionMBps]}.
   */
  public static final class Origin {
    private Origin() {}

    public static void main(String[] args) throws Exception {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
      OriginOptions.Builder b = OriginOptions.builder().chunkSizeBytes(256 * 1024);
      if (args.length > 0) {
        long bps = (long) (Double.parseDouble(args[0]) * 8_000_000);
        b.shaping(LinkShaping.fixedRate(bps, LinkShaping.Scope.PER_CONNECTION));
      }
      OriginServer server = OriginServer.start(vertx, b.build())
          .toCompletionStage().toCompletableFuture().get();
      System.out.println("ORIGIN_URL " + server.baseUrl());
      System.out.flush();
      Thread.currentThread().join();
    }
  }
}
