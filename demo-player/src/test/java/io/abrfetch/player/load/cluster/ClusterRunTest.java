package io.abrfetch.player.load.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.LadderOptions;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.abrfetch.player.load.LoadMetrics;
import io.abrfetch.player.load.LoadOptions;
import io.abrfetch.player.load.LoadSample;
import io.abrfetch.player.load.LoadTestCommand;
import io.abrfetch.player.load.RequestType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A clustered run for real: two worker JVMs (the CLI's {@code loadtest --cluster --role worker})
 * and a coordinator in this JVM on 127.0.0.1, against a real origin. One run completes and merges
 * exactly; in the other a worker is killed mid-run and reported lost. Each takes about 20 s on
 * a quiet 2-core machine (JVM and Hazelcast start-up, a 4 to 8 s run); the timeout leaves room
 * for a machine shared with other builds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterRunTest {

  private static final Pattern DELIVERED =
      Pattern.compile("final report delivered \\((\\d+) requests\\)");

  @TempDir Path dir;
  private final List<ChildJvm> children = new ArrayList<>();
  private Vertx vertx;
  private OriginServer origin;
  private ClusterNode coordinatorNode;
  private String clusterName;
  private List<Integer> ports;

  @BeforeEach
  void startOrigin() throws Exception {
    vertx = Vertx.vertx();
    origin = OriginServer.start(vertx, OriginOptions.builder().ladder(LadderOptions.builder()
        .bitratesBps(List.of(100_000L, 300_000L))
        .segmentDurationUs(500_000)
        .vodSegmentCount(120)
        .sizeJitter(0)
        .build()).build()).await();
    clusterName = "run-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    ports = FreePorts.take(3); // coordinator, worker 1, worker 2
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (ChildJvm child : children) {
      child.destroy();
    }
    if (coordinatorNode != null) {
      coordinatorNode.close().await(20, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private String coordinatorMember() {
    return "127.0.0.1:" + ports.get(0);
  }

  private ChildJvm worker(String id, int cores, int port) throws Exception {
    ChildJvm child = ChildJvm.start(dir, id, cores, List.of("--cluster", "--role", "worker",
        "--members", coordinatorMember(), "--cluster-host", "127.0.0.1",
        "--cluster-port", Integer.toString(port), "--cluster-name", clusterName,
        "--worker-id", id, "--heartbeat-timeout", "3", "--register-timeout", "40",
        "--no-progress"));
    children.add(child);
    return child;
  }

  @Test
  void twoWorkerJvms_shareTheViewers_andMergeExactly() throws Exception {
    ClusterSettings settings = ClusterSettings.builder(ClusterRole.COORDINATOR)
        .members(List.of(HostPort.parse(coordinatorMember())))
        .clusterHost("127.0.0.1").clusterPort(ports.get(0)).clusterName(clusterName)
        .expectedWorkers(2).startDelayMs(1_000).registerTimeoutMs(40_000)
        .heartbeatTimeoutMs(3_000).build();
    long startNanos = System.nanoTime();
    coordinatorNode = ClusterNode.join(settings).await(30, TimeUnit.SECONDS);
    long coordinatorJoinMs = coordinatorNode.joinMs();
    // Workers start after the coordinator, as an operator would start them.
    ChildJvm one = worker("w1", /* cores= */ 1, ports.get(1));
    ChildJvm two = worker("w2", /* cores= */ 2, ports.get(2));
    LoadOptions options = LoadOptions.builder().viewers(6).durationMs(5_000)
        .targetBufferUs(2_000_000).build();
    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    ClusterCoordinator coordinator = new ClusterCoordinator(coordinatorNode, settings,
        origin.masterPlaylistUrl(), options, log::add);
    coordinatorNode.vertx().deployVerticle(coordinator).await(10, TimeUnit.SECONDS);

    ClusterRunResult result;
    try {
      result = coordinator.result().await(50, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("coordinator: " + log + "\nw1:\n" + one.output() + "\nw2:\n"
          + two.output(), e);
    }
    long totalMs = (System.nanoTime() - startNanos) / 1_000_000;
    String context = "coordinator log " + log + "\nw1:\n" + one.output() + "\nw2:\n"
        + two.output();

    // Both registered; the split follows the cores (1 : 2) in contiguous ranges summing to N.
    assertEquals(List.of("w1", "w2"), result.workers().stream().map(WorkerOutcome::workerId)
        .toList(), context);
    WorkerOutcome w1 = result.workers().get(0);
    WorkerOutcome w2 = result.workers().get(1);
    assertEquals(1, w1.cores());
    assertEquals(2, w2.cores());
    assertEquals(0, w1.firstViewerIndex());
    assertEquals(2, w1.viewerCount());
    assertEquals(2, w2.firstViewerIndex());
    assertEquals(4, w2.viewerCount());
    assertFalse(w1.lost() || w2.lost(), context);
    assertEquals(0, result.viewersLost());
    assertEquals(6, result.metrics().summary().viewers());

    // Both workers ended on their own and each said how many requests it reported.
    assertEquals(0, one.process.waitFor(), context);
    assertEquals(0, two.process.waitFor(), context);
    assertEquals(deliveredRequests(one), w1.metrics().requests(), context);
    assertEquals(deliveredRequests(two), w2.metrics().requests(), context);

    // Merged requests are the sum of the workers'. The origin saw those plus the requests cut
    // off when the run's duration ended: a request counts once it ends (answered or failed), and
    // a viewer of this one-track ladder has at most one segment and one playlist request in
    // flight, so the origin's count exceeds the merged one by 0 to 2 per viewer.
    long merged = result.metrics().requests();
    assertEquals(w1.metrics().requests() + w2.metrics().requests(), merged);
    assertTrue(w1.metrics().requests() > 0 && w2.metrics().requests() > 0, context);
    long cutOff = origin.stats().requests() - merged;
    assertTrue(cutOff >= 0 && cutOff <= 2 * 6, "origin " + origin.stats().requests()
        + " vs merged " + merged + "\n" + context);
    assertEquals(origin.stats().requests("/hls/master.m3u8"),
        result.metrics().requests(RequestType.MASTER), context);
    assertEquals(6, result.metrics().requests(RequestType.MASTER), context);

    // The merged histograms are the single-process merge of the same metrics, bucket for bucket.
    LoadMetrics single = new LoadMetrics();
    single.merge(LoadMetrics.fromJson(w1.metrics().toJson()));
    single.merge(LoadMetrics.fromJson(w2.metrics().toJson()));
    assertEquals(single, result.metrics());
    assertEquals(single.summary(), result.metrics().summary());
    Histogram union = w1.metrics().downloadUs(RequestType.SEGMENT);
    union.add(w2.metrics().downloadUs(RequestType.SEGMENT));
    Histogram mergedSegments = result.metrics().downloadUs(RequestType.SEGMENT);
    assertEquals(union.getTotalCount(), mergedSegments.getTotalCount());
    assertTrue(union.getTotalCount() > 10, "segments: " + union.getTotalCount());
    for (double percentile : new double[] {50, 90, 99, 100}) {
      assertEquals(union.getValueAtPercentile(percentile),
          mergedSegments.getValueAtPercentile(percentile), "p" + percentile);
    }

    // The merged timeline saw all six viewers at once.
    assertEquals(6, result.timeline().stream().mapToLong(LoadSample::activeViewers).max()
        .orElse(0), result.timeline().toString());
    System.out.printf("cluster run: coordinator joined in %d ms, workers registered %d ms after"
        + " it started, run of 5 s ended %d ms after the coordinator's start; %d requests (w1 %d,"
        + " w2 %d), origin %d%n", coordinatorJoinMs, result.formedMs(), totalMs, merged,
        w1.metrics().requests(), w2.metrics().requests(), origin.stats().requests());
  }

  @Test
  void workerKilledMidRun_isReportedLost_runCompletes() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new LoadTestCommand())
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.execute(
        origin.masterPlaylistUrl(), "--viewers", "4", "--duration", "10", "--buffer", "2",
        "--json", "--no-progress", "--cluster", "--role", "coordinator", "--workers", "2",
        "--cluster-host", "127.0.0.1",
        "--cluster-port", Integer.toString(ports.get(0)), "--cluster-name", clusterName,
        "--start-delay", "2", "--heartbeat-timeout", "3", "--register-timeout", "40"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!err.toString().contains("waiting for") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(err.toString().contains("waiting for 2 worker(s)"), err.toString());
    // The coordinator founds the cluster (no --members) and says how workers reach it.
    assertTrue(err.toString().contains("workers join with --members " + coordinatorMember()
        + " --cluster-name " + clusterName), err.toString());
    ChildJvm one = worker("w1", /* cores= */ 1, ports.get(1));
    ChildJvm two = worker("w2", /* cores= */ 1, ports.get(2));

    // Kill w2 once the run has started and it has sent a snapshot or two.
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (!err.toString().contains("viewers start at") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(err.toString().contains("viewers start at"), err + "\n" + two.output());
    // The start delay, then 4.5 s of the 10 s run: w2 has sent two snapshots (every 2 s) by then.
    Thread.sleep(2_000 + 4_500);
    long killedNanos = System.nanoTime();
    two.process.destroyForcibly();
    two.process.waitFor();

    int status = exit.get(45, TimeUnit.SECONDS);
    long detectedMs = (System.nanoTime() - killedNanos) / 1_000_000;
    String context = "coordinator stdout:\n" + out + "\ncoordinator stderr:\n" + err + "\nw1:\n"
        + one.output() + "\nw2:\n" + two.output();
    assertEquals(0, status, "the harness worked, exit 0\n" + context);
    String[] lines = out.toString().trim().split("\n");
    JsonObject json = new JsonObject(lines[lines.length - 1]);
    assertEquals(2, json.getLong("viewersLost"), context); // 4 viewers, 1 : 1
    JsonObject cluster = json.getJsonObject("cluster");
    assertEquals(List.of("w2"), cluster.getJsonArray("workersLost").getList(), context);
    assertEquals(2, cluster.getLong("viewersLost"));
    JsonObject lostEntry = cluster.getJsonArray("workers").getJsonObject(1);
    assertEquals("w2", lostEntry.getString("workerId"));
    assertEquals("lost", lostEntry.getString("status"));
    assertEquals(2, lostEntry.getInteger("firstViewerIndex"));
    assertEquals(2, lostEntry.getInteger("viewerCount"));
    assertTrue(lostEntry.getLong("requests") > 0, "w2's last snapshot is kept\n" + context);
    assertTrue(lostEntry.getString("lostReason").startsWith("left the cluster")
        || lostEntry.getString("lostReason").startsWith("no heartbeat"), lostEntry.encode());
    assertEquals("completed", cluster.getJsonArray("workers").getJsonObject(0)
        .getString("status"));
    assertEquals(4, json.getLong("viewers"), context);
    assertTrue(out.toString().contains("worker w2 ("), context);
    assertTrue(Pattern.compile("worker w2 \\(.*LOST: .*its 2 viewers are counted as lost")
        .matcher(out.toString()).find(), context);
    assertTrue(Pattern.compile("worker w1 \\(.*completed").matcher(out.toString()).find(),
        context);
    assertTrue(err.toString().contains("w2 LOST"), context);
    assertEquals(0, one.process.waitFor(), context);
    // w2's last snapshot counts: the merged requests are w1's final ones plus those.
    assertEquals(deliveredRequests(one) + lostEntry.getLong("requests"), json.getLong("requests"),
        context);
    System.out.printf("lost worker detected and run ended %d ms after the kill%n", detectedMs);
  }

  @Test
  void tooFewWorkers_cliExitsNonZero_withTheReason() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = new CommandLine(new LoadTestCommand())
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(origin.masterPlaylistUrl(), "--viewers", "2", "--duration", "2", "--json",
            "--cluster", "--role", "coordinator", "--workers", "2", "--members",
            coordinatorMember(), "--cluster-host", "127.0.0.1", "--cluster-port",
            Integer.toString(ports.get(0)), "--cluster-name", clusterName,
            "--register-timeout", "1");
    assertEquals(1, status, "a harness failure\n" + out + err);
    assertTrue(err.toString().contains("0 of 2 worker(s) registered within 1.0 s"), err.toString());
    assertFalse(out.toString().contains("{"), "no result JSON: " + out);
    assertEquals(0, origin.stats().requests());
  }

  private static long deliveredRequests(ChildJvm child) {
    Matcher matcher = DELIVERED.matcher(child.stderrText());
    assertTrue(matcher.find(), "no final report line in\n" + child.output());
    return Long.parseLong(matcher.group(1));
  }
}
