package io.abrfetch.fetcher;

import io.abrfetch.abr.AbrController;
import io.abrfetch.origin.SyntheticContent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The fetcher benchmark (not a test): against an origin on loopback, fetches 20,000 objects of
 * 16 KiB (collected) and 2 GiB in 4 MiB objects (streamed into a counting sink) after a warm-up,
 * and prints
 * requests/s, MB/s, CPU seconds and peak heap of this JVM per phase.
 *
 * <p>Usage: {@code FetcherBenchmark <originBaseUrl> [smallCount] [largeTotalMiB]}; run through
 * {@code bench/fetcher/run.sh}, which starts the origin in its own JVM.
 *
 * <p>With named options ({@code FetcherBenchmark --base URL --paths FILE [--client ...]
 * [--in-flight N] ...}) it runs {@link SmallObjectLoad} instead: a timed closed-loop load of small
 * GETs against any origin, with a given concurrency (used by {@code bench/small-objects/run.sh}).
 */
public final class FetcherBenchmark {
  private FetcherBenchmark() {}

  private static final int SMALL_BYTES = 16 * 1024;
  private static final int LARGE_BYTES = 4 * 1024 * 1024;
  /** Requests submitted and not yet ended; below the per-peer queue bound. */
  private static final int WINDOW = 48;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].startsWith("--")) {
      SmallObjectLoad.main(args);
      return;
    }
    String base = args[0];
    int smallCount = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    long largeTotalMiB = args.length > 2 ? Long.parseLong(args[2]) : 2048;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    DownloaderOptions options = DownloaderOptions.builder()
        .name("bench").maxInFlight(8).maxInFlightPerOrigin(8).maxQueuedPerPeer(64).build();
    Downloader downloader = Downloader.create(vertx, options, AbrController.create(),
        new SimpleMeterRegistry());
    PeerHandle peer = downloader.register(Peer.of("bench"));
    System.out.printf("fetcher benchmark: origin %s, maxInFlight %d, JVM %s, %d cpus%n", base,
        options.maxInFlight(), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());

    // Warm-up: lets the JIT compile both paths before anything is measured.
    run(vertx, "warm-up 5000 x 16 KiB", 5000, i -> small(base, "warm-" + i), peer);
    run(vertx, "warm-up 32 x 4 MiB", 32, i -> large(base, "warm-big-" + i), peer);
    run(vertx, smallCount + " x 16 KiB", smallCount, i -> small(base, "o-" + i), peer);
    int largeCount = (int) (largeTotalMiB / 4);
    run(vertx, largeCount + " x 4 MiB (" + largeTotalMiB + " MiB)", largeCount,
        i -> large(base, "big-" + i), peer);

    // Baseline: the same small objects through a bare Vert.x HttpClient (8 connections, no
    // scheduling, timeouts, validation or events), to show what the downloader itself costs.
    io.vertx.core.http.HttpClientAgent raw = vertx.httpClientBuilder()
        .with(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true))
        .with(new io.vertx.core.http.PoolOptions().setHttp1MaxSize(8)).build();
    runRaw(vertx, raw, "baseline warm-up 5000", 5000, base, "raw-warm-");
    runRaw(vertx, raw, "baseline " + smallCount + " x 16 KiB", smallCount, base, "raw-");
    raw.close().toCompletionStage().toCompletableFuture().get();

    downloader.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static FetchRequest large(String base, String name) {
    return FetchRequest.builder(base + "/bytes/" + LARGE_BYTES + "/" + name)
        .expectedSizeBytes(LARGE_BYTES).sink(BodySink.stream(new CountingSink())).build();
  }

  private static FetchRequest small(String base, String name) {
    return FetchRequest.builder(base + "/bytes/" + SMALL_BYTES + "/" + name)
        .expectedSizeBytes(SMALL_BYTES).build();
  }

  private static void run(Vertx vertx, String label, int count,
      IntFunction<FetchRequest> requests, PeerHandle peer) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    AtomicLong bytes = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong checked = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] next = {0};
    int[] ended = {0};
    // The driver runs on the downloader's event loop (result callbacks do), keeping WINDOW
    // requests submitted.
    Runnable[] submit = new Runnable[1];
    submit[0] = () -> {
      while (next[0] < count && next[0] - ended[0] < WINDOW) {
        int index = next[0]++;
        FetchRequest request = requests.apply(index);
        peer.fetch(request).result().onComplete(ar -> {
          ended[0]++;
          if (ar.succeeded()) {
            FetchResult r = ar.result();
            bytes.addAndGet(r.sizeBytes());
            if (r.body() != null && index % 1000 == 0) {
              String path = request.url().substring(request.url().indexOf("/bytes/"));
              if (!Arrays.equals(SyntheticContent.bytes(path, 0, (int) r.sizeBytes()),
                  r.body().getBytes())) {
                failures.incrementAndGet();
              }
              checked.incrementAndGet();
            }
          } else {
            failures.incrementAndGet();
          }
          if (ended[0] == count) {
            done.complete(null);
          } else {
            submit[0].run();
          }
        });
      }
    };
    // One event loop in this JVM: the driver shares the downloader's thread.
    vertx.runOnContext(v -> submit[0].run());
    done.get();
    long wallNanos = System.nanoTime() - wallStart;
    long cpuNanos = os.getProcessCpuTime() - cpuStart;
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    double seconds = wallNanos / 1e9;
    System.out.printf("%-28s %8.0f req/s %9.1f MB/s  wall %6.2f s  cpu %6.2f s  peak heap %5d MiB"
        + "  failures %d (bytes checked on %d)%n", label, count / seconds,
        bytes.get() / 1e6 / seconds, seconds, cpuNanos / 1e9, peakHeap / (1024 * 1024),
        failures.get(), checked.get());
  }

  private static void runRaw(Vertx vertx, io.vertx.core.http.HttpClientAgent client, String label,
      int count, String base, String prefix) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    System.gc();
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    AtomicLong bytes = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] next = {0};
    int[] ended = {0};
    Runnable[] submit = new Runnable[1];
    submit[0] = () -> {
      while (next[0] < count && next[0] - ended[0] < WINDOW) {
        String url = base + "/bytes/" + SMALL_BYTES + "/" + prefix + next[0]++;
        client.request(new io.vertx.core.http.RequestOptions().setAbsoluteURI(url))
            .compose(req -> req.send().compose(resp -> resp.body()))
            .onComplete(ar -> {
              ended[0]++;
              if (ar.succeeded()) {
                bytes.addAndGet(ar.result().length());
              } else {
                failures.incrementAndGet();
              }
              if (ended[0] == count) {
                done.complete(null);
              } else {
                submit[0].run();
              }
            });
      }
    };
    vertx.runOnContext(v -> submit[0].run());
    done.get();
    double seconds = (System.nanoTime() - wallStart) / 1e9;
    System.out.printf("%-28s %8.0f req/s %9.1f MB/s  wall %6.2f s  cpu %6.2f s  failures %d%n",
        label, count / seconds, bytes.get() / 1e6 / seconds, seconds,
        (os.getProcessCpuTime() - cpuStart) / 1e9, failures.get());
  }
}
