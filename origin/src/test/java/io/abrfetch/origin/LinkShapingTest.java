package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bandwidth shaping measured by a real client: fixed rate, trace, per connection and shared. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkShapingTest {

  private OriginServer server;
  private HttpClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close().await();
    }
    if (server != null) {
      server.close().await();
    }
  }

  @Test
  void fixedRate_oneTransferTakesSizeOverRate(Vertx vertx) {
    start(vertx, LinkShaping.fixedRate(/* rateBps= */ 8_000_000, LinkShaping.Scope.PER_CONNECTION));
    String path = "/bytes/600000/fixed";

    long startNanos = System.nanoTime();
    HttpProbe.Result result = HttpProbe.get(client, server.baseUrl() + path).await();
    double seconds = (System.nanoTime() - startNanos) / 1e9;

    assertArrayEquals(SyntheticContent.bytes(path, 0, 600_000), result.body());
    // 600000 bytes at 1 MB/s: 0.6 s.
    assertRatio(seconds, 0.6);
  }

  @Test
  void perConnection_parallelTransfersEachGetTheFullRate(Vertx vertx) {
    start(vertx, LinkShaping.fixedRate(/* rateBps= */ 4_000_000, LinkShaping.Scope.PER_CONNECTION));

    double seconds = parallel(2, 250_000);

    // Each connection has its own 500 kB/s link: both finish in about 0.5 s.
    assertRatio(seconds, 0.5);
  }

  @Test
  void shared_parallelTransfersSplitTheRate(Vertx vertx) {
    start(vertx, LinkShaping.fixedRate(/* rateBps= */ 4_000_000, LinkShaping.Scope.SHARED));

    double seconds = parallel(2, 250_000);

    // Both share one 500 kB/s link: 500000 bytes take about 1 s.
    assertRatio(seconds, 1.0);
  }

  @Test
  void trace_replaysItsRatesOverTime(Vertx vertx) {
    // (0, 1] s at 2 Mbit/s, (1, 2] s at 8 Mbit/s, then it loops.
    BandwidthTrace trace = BandwidthTrace.of(new double[] {0, 1, 2}, new double[] {0, 2, 8});
    long epochNanos = System.nanoTime();
    start(vertx, LinkShaping.trace(trace, LinkShaping.Scope.PER_CONNECTION));

    long startNanos = System.nanoTime();
    HttpProbe.get(client, server.baseUrl() + "/bytes/750000/trace").await();
    double seconds = (System.nanoTime() - startNanos) / 1e9;

    // From t=0: 250 kB in the first second, the other 500 kB at 1 MB/s, 1.5 s. The trace's time
    // zero is the server's start, a little before this request.
    long offsetNanos = startNanos - epochNanos;
    double expectedS = (trace.transmitEndNanos(offsetNanos, 750_000) - offsetNanos) / 1e9;
    assertTrue(expectedS > 1.3 && expectedS <= 1.5, "expected " + expectedS);
    assertRatio(seconds, expectedS);
  }

  @Test
  void shaping_appliesToEveryChunkOfABodyNotJustItsStart(Vertx vertx) {
    start(vertx, LinkShaping.fixedRate(/* rateBps= */ 2_000_000, LinkShaping.Scope.PER_CONNECTION));
    HttpProbe.Result small = HttpProbe.get(client, server.baseUrl() + "/bytes/50000/s").await();
    HttpProbe.Result large = HttpProbe.get(client, server.baseUrl() + "/bytes/250000/l").await();

    double smallS = small.endNanos() / 1e9;
    double largeS = large.endNanos() / 1e9;
    // 50 kB and 250 kB at 250 kB/s.
    assertRatio(smallS, 0.2);
    assertRatio(largeS, 1.0);
  }

  private double parallel(int transfers, int sizeBytes) {
    long startNanos = System.nanoTime();
    List<Future<HttpProbe.Result>> results = new java.util.ArrayList<>();
    for (int i = 0; i < transfers; i++) {
      results.add(HttpProbe.get(client, server.baseUrl() + "/bytes/" + sizeBytes + "/p" + i));
    }
    Future.all(results).await();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    for (int i = 0; i < transfers; i++) {
      String path = "/bytes/" + sizeBytes + "/p" + i;
      assertArrayEquals(SyntheticContent.bytes(path, 0, sizeBytes), results.get(i).result().body());
    }
    assertTrue(server.stats().maxOpenConnections() >= transfers, "transfers ran in parallel");
    return seconds;
  }

  private void start(Vertx vertx, LinkShaping shaping) {
    server = OriginServer.start(vertx, OriginOptions.builder().shaping(shaping).build()).await();
    client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(8));
    // Connect and load classes before anything is timed.
    HttpProbe.get(client, server.baseUrl() + "/bytes/1/warm-up").await();
  }

  /** Measured time within -15 % / +30 % of the expected time (loaded CI machines run late). */
  private static void assertRatio(double measuredS, double expectedS) {
    double ratio = measuredS / expectedS;
    System.out.printf("shaping: measured %.3f s, expected %.3f s, ratio %.3f%n",
        measuredS, expectedS, ratio);
    assertTrue(ratio >= 0.85 && ratio <= 1.3,
        "took " + measuredS + " s, expected about " + expectedS + " s (ratio " + ratio + ")");
  }
}
