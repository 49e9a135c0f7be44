package io.abrfetch.fetcher;

import io.abrfetch.abr.AbrController;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A closed-loop load of many small GETs against any HTTP origin (not a test): keeps
 * {@code --in-flight} requests outstanding on keep-alive connections, cycling over a path list,
 * through abrfetch {@link Downloader}s or through a bare Vert.x {@code HttpClient} (the peer), and
 * prints one {@code RESULT} line with requests/s and this JVM's CPU per 1,000 requests over the
 * measured window (after a warm-up window).
 *
 * <p>Usage (through {@link FetcherBenchmark} or directly):
 * <pre>
 * SmallObjectLoad --base http://127.0.0.1:8080 --paths paths.txt [--client downloader|vertx]
 *     [--in-flight 64] [--downloaders 1] [--object-bytes 16384] [--warmup-seconds 5]
 *     [--seconds 10] [--vertx-pool CONNECTIONS]
 * </pre>
 * {@code --paths} holds one absolute path per line ({@code /o/1.bin}); {@code --downloaders N}
 * runs N downloaders, one per event loop, each with {@code in-flight / N} requests outstanding and
 * that many as its caps ({@code maxInFlight}, {@code maxInFlightPerOrigin}); the bare client then
 * also gets N event loops, and a pool of {@code in-flight / N} connections each unless
 * {@code --vertx-pool} says otherwise. With {@code --object-bytes} every body's size is checked.
 *
 * <p>Threading: each driver runs on its client's event loop; the main thread only samples the
 * counters.
 */
public final class SmallObjectLoad {
  private SmallObjectLoad() {}

  /** The parsed command line. */
  record Options(String base, List<String> paths, String client, int inFlight, int downloaders,
      long objectBytes, double warmupSeconds, double seconds, int vertxPoolSize) {}

  public static void main(String[] args) throws Exception {
    Options options = parse(args);
    List<String> urls = new ArrayList<>(options.paths().size());
    for (String path : options.paths()) {
      urls.add(options.base() + path);
    }
    int loops = options.downloaders();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    AtomicLong completed = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    int windowPerLoop = options.inFlight() / loops;
    List<Driver> drivers = new ArrayList<>();
    List<AutoCloseable> closers = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      Context context = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
      Driver driver;
      if (options.client().equals("downloader")) {
        DownloaderOptions downloaderOptions = DownloaderOptions.builder().name("load-" + i)
            .maxInFlight(windowPerLoop).maxInFlightPerOrigin(windowPerLoop)
            .maxQueuedPerPeer(Math.max(windowPerLoop, DownloaderOptions.DEFAULT_MAX_QUEUED_PER_PEER))
            .build();
        CompletableFuture<Downloader> created = new CompletableFuture<>();
        context.runOnContext(v -> created.complete(Downloader.create(vertx, downloaderOptions,
            AbrController.create(), new SimpleMeterRegistry())));
        Downloader downloader = created.get();
        PeerHandle peer = downloader.register(Peer.of("load-" + i));
        long expected = options.objectBytes();
        driver = new Driver(context, urls, i, windowPerLoop, completed, failures,
            (url, done) -> peer.fetch(FetchRequest.builder(url)
                .expectedSizeBytes(expected > 0 ? expected : FetchRequest.UNKNOWN_SIZE).build())
                .result().onComplete(ar -> done.accept(ar.succeeded()
                    && (expected <= 0 || ar.result().sizeBytes() == expected))));
        closers.add(() -> downloader.close().toCompletionStage().toCompletableFuture().get());
      } else if (options.client().equals("vertx")) {
        CompletableFuture<HttpClientAgent> created = new CompletableFuture<>();
        context.runOnContext(v -> created.complete(vertx.httpClientBuilder()
            .with(new HttpClientOptions().setKeepAlive(true))
            .with(new PoolOptions().setHttp1MaxSize(options.vertxPoolSize() > 0
                ? options.vertxPoolSize() : windowPerLoop)).build()));
        HttpClientAgent client = created.get();
        long expected = options.objectBytes();
        driver = new Driver(context, urls, i, windowPerLoop, completed, failures,
            (url, done) -> client.request(new RequestOptions().setAbsoluteURI(url))
                .compose(req -> req.send().compose(resp -> resp.body()))
                .onComplete(ar -> done.accept(ar.succeeded()
                    && (expected <= 0 || ar.result().length() == expected))));
        closers.add(() -> client.close().toCompletionStage().toCompletableFuture().get());
      } else {
        throw new IllegalArgumentException("--client: " + options.client()
            + " (expected: downloader or vertx)");
      }
      drivers.add(driver);
    }

    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    for (Driver driver : drivers) {
      driver.start();
    }
    Thread.sleep((long) (options.warmupSeconds() * 1000));
    long count0 = completed.get();
    long failures0 = failures.get();
    long cpu0 = os.getProcessCpuTime();
    long loopCpu0 = loopCpuNanos(drivers);
    long loopAlloc0 = loopAllocatedBytes(drivers);
    long wall0 = System.nanoTime();
    Thread.sleep((long) (options.seconds() * 1000));
    long count1 = completed.get();
    long failures1 = failures.get();
    long cpu1 = os.getProcessCpuTime();
    long loopCpu1 = loopCpuNanos(drivers);
    long loopAlloc1 = loopAllocatedBytes(drivers);
    long wall1 = System.nanoTime();
    for (Driver driver : drivers) {
      driver.stop();
    }
    for (Driver driver : drivers) {
      driver.drained.get();
    }
    for (AutoCloseable closer : closers) {
      closer.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();

    long requests = count1 - count0;
    double seconds = (wall1 - wall0) / 1e9;
    double cpuSeconds = (cpu1 - cpu0) / 1e9;
    double loopCpuSeconds = (loopCpu1 - loopCpu0) / 1e9;
    System.out.printf(Locale.ROOT, "RESULT client=%s downloaders=%d in_flight=%d requests=%d"
            + " seconds=%.2f rps=%.0f cpu_seconds=%.2f cpu_ms_per_1k=%.1f loop_cpu_seconds=%.2f"
            + " loop_cpu_ms_per_1k=%.1f loop_alloc_bytes_per_req=%.0f failures=%d"
            + " total_requests=%d total_failures=%d%n",
        options.client(), loops, options.inFlight(), requests, seconds, requests / seconds,
        cpuSeconds, requests == 0 ? 0 : cpuSeconds * 1e6 / requests, loopCpuSeconds,
        requests == 0 ? 0 : loopCpuSeconds * 1e6 / requests,
        requests == 0 ? 0 : (double) (loopAlloc1 - loopAlloc0) / requests, failures1 - failures0,
        completed.get(), failures.get());
  }

  /** CPU time of the drivers' event-loop threads (the clients' own work, without JIT or GC). */
  private static long loopCpuNanos(List<Driver> drivers) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Driver driver : drivers) {
      total += Math.max(0, threads.getThreadCpuTime(driver.threadId));
    }
    return total;
  }

  /** Bytes allocated by the drivers' event-loop threads (the clients' per-request garbage). */
  private static long loopAllocatedBytes(List<Driver> drivers) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Driver driver : drivers) {
      total += Math.max(0, threads.getThreadAllocatedBytes(driver.threadId));
    }
    return total;
  }

  /** Issues one GET of a URL and reports success (status, size) to the callback. */
  private interface Fetch {
    void fetch(String url, Consumer<Boolean> done);
  }

  /** Keeps {@code window} requests outstanding from its event loop until stopped. */
  private static final class Driver {
    private final Context context;
    private final List<String> urls;
    private final int window;
    private final AtomicLong completed;
    private final AtomicLong failures;
    private final Fetch fetch;
    final CompletableFuture<Void> drained = new CompletableFuture<>();
    volatile long threadId;
    // Confined to the driver's event loop.
    private int nextUrl;
    private int outstanding;
    private boolean stopped;

    Driver(Context context, List<String> urls, int index, int window, AtomicLong completed,
        AtomicLong failures, Fetch fetch) {
      this.context = context;
      this.urls = urls;
      this.nextUrl = index * 7919 % urls.size(); // drivers start at different paths
      this.window = window;
      this.completed = completed;
      this.failures = failures;
      this.fetch = fetch;
    }

    void start() {
      context.runOnContext(v -> {
        threadId = Thread.currentThread().getId();
        fill();
      });
    }

    void stop() {
      context.runOnContext(v -> {
        stopped = true;
        if (outstanding == 0) {
          drained.complete(null);
        }
      });
    }

    private void fill() {
      while (!stopped && outstanding < window) {
        outstanding++;
        String url = urls.get(nextUrl);
        nextUrl = nextUrl + 1 == urls.size() ? 0 : nextUrl + 1;
        fetch.fetch(url, this::onDone);
      }
    }

    private void onDone(boolean ok) {
      outstanding--;
      completed.incrementAndGet();
      if (!ok) {
        failures.incrementAndGet();
      }
      if (stopped) {
        if (outstanding == 0) {
          drained.complete(null);
        }
      } else {
        fill();
      }
    }
  }

  static Options parse(String[] args) throws IOException {
    String base = null;
    Path paths = null;
    String client = "downloader";
    int inFlight = 64;
    int downloaders = 1;
    long objectBytes = -1;
    double warmupSeconds = 5;
    double seconds = 10;
    int vertxPoolSize = 0;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " (expected: a value after it)");
      }
      String value = args[++i];
      switch (name) {
        case "--base" -> base = value.endsWith("/") ? value.substring(0, value.length() - 1)
            : value;
        case "--paths" -> paths = Path.of(value);
        case "--client" -> client = value;
        case "--in-flight" -> inFlight = Integer.parseInt(value);
        case "--downloaders" -> downloaders = Integer.parseInt(value);
        case "--object-bytes" -> objectBytes = Long.parseLong(value);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value);
        case "--seconds" -> seconds = Double.parseDouble(value);
        case "--vertx-pool" -> vertxPoolSize = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (base == null || paths == null) {
      throw new IllegalArgumentException("--base URL and --paths FILE are required");
    }
    List<String> list = new ArrayList<>();
    for (String line : Files.readAllLines(paths)) {
      if (!line.isBlank()) {
        list.add(line.trim().startsWith("/") ? line.trim() : "/" + line.trim());
      }
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("--paths " + paths + " (expected: at least one path)");
    }
    if (downloaders < 1 || inFlight < downloaders) {
      throw new IllegalArgumentException("--in-flight " + inFlight + " --downloaders "
          + downloaders + " (expected: 1 <= downloaders <= in-flight)");
    }
    return new Options(base, List.copyOf(list), client, inFlight, downloaders, objectBytes,
        warmupSeconds, seconds, vertxPoolSize);
  }
}
