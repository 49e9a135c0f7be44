package io.abrfetch.fetcher;

import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;

/**
 * The origin half of the fetcher benchmark: an {@link OriginServer} in its own JVM, so the
 * fetcher's CPU and heap figures are its own. Prints {@code ORIGIN_URL <url>} once listening and
 * its CPU seconds when stopped. Run by {@code bench/fetcher/run.sh}.
 */
public final class BenchOrigin {
  private BenchOrigin() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    OriginServer server = OriginServer.start(vertx, OriginOptions.builder().chunkSizeBytes(256 * 1024).build())
        .toCompletionStage().toCompletableFuture().get();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      var os = (com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean();
      System.out.printf("ORIGIN_CPU_SECONDS %.2f requests=%d bodyBytes=%d%n",
          os.getProcessCpuTime() / 1e9, server.stats().requests(),
          server.stats().bodyBytesServed());
      System.out.flush();
    }));
    System.out.println("ORIGIN_URL " + server.baseUrl());
    System.out.flush();
    Thread.currentThread().join();
  }
}
