package io.abrfetch.fetcher;

import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.abrfetch.origin.RangeReadOrigin;
import io.abrfetch.origin.RangeReadOriginOptions;
import io.abrfetch.origin.SyntheticContent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Benchmark (not a test): N random ranges of one large synthetic object read three ways from an
 * origin in another JVM on loopback: over one multiplexed {@link MultiRangeReader} stream, as one
 * HTTP {@code Range} request each (plain Vert.x {@code HttpClient}, keep-alive pool), and as one
 * gRPC stream per read. Prints MB/s and the CPU seconds of this JVM and of the origin's.
 *
 * <p>{@code java ... MultiRangeReadBenchmark origin} runs the origin half and prints
 * {@code ORIGIN <httpPort> <grpcPort> <pid>}; {@code java ... MultiRangeReadBenchmark <httpPort>
 * <grpcPort> <originPid> [reads] [rangeBytes] [concurrency]} runs the client half. Every body is
 * checked by CRC32C against {@link SyntheticContent} (the same work in every mode). Run by
 * {@code bench/grpc/run.sh}.
 */
public final class MultiRangeReadBenchmark {

  static final String OBJECT = "/bytes/1073741824/bench";
  static final long OBJECT_SIZE_BYTES = 1L << 30;

  private MultiRangeReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("origin")) {
      runOrigin();
      return;
    }
    int httpPort = Integer.parseInt(args[0]);
    int grpcPort = Integer.parseInt(args[1]);
    long originPid = Long.parseLong(args[2]);
    int reads = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    int rangeBytes = args.length > 4 ? Integer.parseInt(args[4]) : 256 * 1024;
    int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 32;

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    // HTTP/2 windows large enough that flow control is per read (credits), not per connection.
    HttpClientOptions h2 = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setTcpNoDelay(true)
        .setInitialSettings(new Http2Settings().setInitialWindowSize(8 * 1024 * 1024))
        .setHttp2ConnectionWindowSize(32 * 1024 * 1024);
    GrpcClient grpc = GrpcClient.client(vertx, h2);
    SocketAddress grpcAddress = SocketAddress.inetSocketAddress(grpcPort, "127.0.0.1");
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(concurrency));

    List<long[]> ranges = ranges(reads, rangeBytes, 1);
    long[] expectedCrcs = expectedCrcs(ranges);
    List<long[]> warmRanges = ranges(Math.min(200, reads), rangeBytes, 2);
    long[] warmCrcs = expectedCrcs(warmRanges);

    MultiRangeReaderOptions readerOptions = MultiRangeReaderOptions.builder()
        .creditWindowBytes(Math.max(512 * 1024, rangeBytes)).build();
    MultiRangeReader shared = MultiRangeReader.create(vertx, grpc, grpcAddress, OBJECT,
        readerOptions);
    Function<long[], Future<Buffer>> multiplexed = range -> collect(shared.read(range[0], range[1]));
    Function<long[], Future<Buffer>> httpRange = range -> httpGet(http, httpPort, range);
    Function<long[], Future<Buffer>> streamPerRead = range -> {
      MultiRangeReader own = MultiRangeReader.create(vertx, grpc, grpcAddress, OBJECT,
          readerOptions);
      return collect(own.read(range[0], range[1])).eventually(own::close);
    };

    System.out.printf("%d random ranges of %d bytes of a %d-byte object, %d in flight, "
        + "origin pid %d%n", reads, rangeBytes, OBJECT_SIZE_BYTES, concurrency, originPid);
    System.out.printf("%-26s %10s %10s %12s %12s%n", "mode", "seconds", "MB/s",
        "client CPU s", "origin CPU s");
    String[] names = {"multiplexed gRPC stream", "HTTP range request each", "gRPC stream per read"};
    List<Function<long[], Future<Buffer>>> modes = List.of(multiplexed, httpRange, streamPerRead);
    for (int i = 0; i < modes.size(); i++) {
      run(vertx, modes.get(i), warmRanges, warmCrcs, concurrency);
    }
    // Two measured rounds in rotation, so no mode always runs first after the warm-up.
    for (int round = 0; round < 2 * modes.size(); round++) {
      int i = round % modes.size();
      System.gc();
      long originCpuBefore = processCpuNanos(originPid);
      long cpuBefore = ownCpuNanos();
      long startNanos = System.nanoTime();
      run(vertx, modes.get(i), ranges, expectedCrcs, concurrency);
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double clientCpu = (ownCpuNanos() - cpuBefore) / 1e9;
      double originCpu = (processCpuNanos(originPid) - originCpuBefore) / 1e9;
      System.out.printf("%-26s %10.2f %10.1f %12.2f %12.2f%n", names[i], seconds,
          (double) reads * rangeBytes / 1e6 / seconds, clientCpu, originCpu);
    }
    System.out.printf("multiplexed: %d stream(s), %d reopens%n", shared.streamsOpened(),
        shared.reopens());
    shared.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs every range through {@code mode} with at most {@code concurrency} in flight. */
  private static void run(Vertx vertx, Function<long[], Future<Buffer>> mode, List<long[]> ranges,
      long[] expectedCrcs, int concurrency) throws Exception {
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    int[] finished = {0};
    Runnable[] startNext = new Runnable[1];
    startNext[0] = () -> {
      if (next[0] >= ranges.size()) {
        return;
      }
      int index = next[0]++;
      long[] range = ranges.get(index);
      mode.apply(range).onComplete(result -> {
        if (result.failed()) {
          done.tryFail(result.cause());
          return;
        }
        Buffer body = result.result();
        if (body.length() != range[1] || crc(body.getBytes()) != expectedCrcs[index]) {
          done.tryFail(new AssertionError("range " + range[0] + "+" + range[1] + ": wrong bytes"));
          return;
        }
        if (++finished[0] == ranges.size()) {
          done.tryComplete();
        } else {
          startNext[0].run();
        }
      });
    };
    // The client has one event loop: starting there keeps all bookkeeping on one thread.
    vertx.runOnContext(unused -> {
      for (int i = 0; i < concurrency; i++) {
        startNext[0].run();
      }
    });
    done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }

  private static Future<Buffer> collect(RangeReadStream read) {
    Promise<Buffer> body = Promise.promise();
    Buffer bytes = Buffer.buffer((int) read.lengthBytes());
    read.handler(bytes::appendBuffer);
    read.endHandler(unused -> body.tryComplete(bytes));
    read.exceptionHandler(body::tryFail);
    read.completion().onFailure(body::tryFail);
    return body.future();
  }

  private static Future<Buffer> httpGet(HttpClient http, int port, long[] range) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(port).setURI(OBJECT)
            .putHeader("Range", "bytes=" + range[0] + "-" + (range[0] + range[1] - 1)))
        .compose(request -> request.send())
        .compose(response -> response.statusCode() == 206
            ? response.body()
            : Future.failedFuture("HTTP " + response.statusCode()));
  }

  private static List<long[]> ranges(int count, int rangeBytes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<long[]> ranges = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ranges.add(new long[] {random.nextLong(OBJECT_SIZE_BYTES - rangeBytes), rangeBytes});
    }
    return ranges;
  }

  private static long[] expectedCrcs(List<long[]> ranges) {
    long[] crcs = new long[ranges.size()];
    for (int i = 0; i < ranges.size(); i++) {
      crcs[i] = crc(SyntheticContent.bytes(OBJECT, ranges.get(i)[0], (int) ranges.get(i)[1]));
    }
    return crcs;
  }

  private static long crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }

  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** utime + stime of a process from /proc, in nanoseconds (Linux; assumes 100 ticks per second). */
  private static long processCpuNanos(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 10_000_000L;
  }

  private static void runOrigin() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    OriginServer origin = OriginServer.start(vertx,
        OriginOptions.builder().chunkSizeBytes(64 * 1024).build())
        .toCompletionStage().toCompletableFuture().get();
    RangeReadOrigin front = RangeReadOrigin.start(vertx, origin,
        RangeReadOriginOptions.defaults()).toCompletionStage().toCompletableFuture().get();
    System.out.println("ORIGIN " + origin.port() + " " + front.port() + " "
        + ProcessHandle.current().pid());
    System.out.flush();
    Thread.currentThread().join();
  }
}
