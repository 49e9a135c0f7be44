package io.abrfetch.player.load.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.player.load.LoadMetrics;
import io.abrfetch.player.load.LoadOptions;
import io.abrfetch.player.load.LoadSample;
import io.abrfetch.player.load.RequestType;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coordinator's side of the protocol, against scripted workers that speak it on a second
 * cluster member in this JVM: split, exact merge, a worker lost to silence, registration timeout,
 * duplicate ids. (Real workers in child JVMs: {@link ClusterRunTest}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterCoordinatorTest {

  private static LoopbackCluster cluster;
  private static ClusterNode coordinatorNode;
  private static ClusterNode workerNode;
  private static ClusterSettings.Builder coordinatorSettings;
  private static final List<String> LOG = new CopyOnWriteArrayList<>();
  private static final List<io.vertx.core.eventbus.MessageConsumer<?>> SCRIPTED =
      Collections.synchronizedList(new ArrayList<>());
  private String deployment;

  @BeforeAll
  static void formCluster() throws Exception {
    cluster = LoopbackCluster.form("coordinator-test");
    coordinatorNode = cluster.coordinatorNode;
    workerNode = cluster.workerNode;
    coordinatorSettings = cluster.coordinatorSettings;
  }

  @AfterAll
  static void leave() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void undeploy() throws Exception {
    if (deployment != null) {
      coordinatorNode.vertx().undeploy(deployment).await(10, TimeUnit.SECONDS);
    }
    for (var consumer : SCRIPTED) {
      consumer.unregister().await(10, TimeUnit.SECONDS);
    }
    SCRIPTED.clear();
    LOG.clear();
  }

  private ClusterCoordinator deploy(ClusterSettings settings, int viewers) throws Exception {
    LoadOptions options = LoadOptions.builder().viewers(viewers).durationMs(2_000).build();
    ClusterCoordinator coordinator = new ClusterCoordinator(coordinatorNode, settings,
        "http://127.0.0.1:1/hls/master.m3u8", options, LOG::add);
    deployment = coordinatorNode.vertx().deployVerticle(coordinator).await(10, TimeUnit.SECONDS);
    return coordinator;
  }

  /** A worker that answers assignments into {@code assignments} and sends what it is told. */
  private static final class ScriptedWorker {
    final String id;
    final String nodeId;
    final CompletableFuture<JsonObject> assignment = new CompletableFuture<>();
    final CompletableFuture<JsonObject> stop = new CompletableFuture<>();
    String runId;

    ScriptedWorker(String id, String nodeId) throws Exception {
      this(id, nodeId, null);
    }

    /** With {@code assignFailureOrNull}, it fails its assignment as a worker that cannot start. */
    ScriptedWorker(String id, String nodeId, String assignFailureOrNull) throws Exception {
      this.id = id;
      this.nodeId = nodeId;
      var consumer = workerNode.vertx().eventBus().<JsonObject>consumer(
          ClusterAddresses.worker(id), message -> {
            if ("assign".equals(message.body().getString("type"))) {
              assignment.complete(message.body());
              if (assignFailureOrNull != null) {
                message.fail(500, assignFailureOrNull);
                return;
              }
            } else if ("stop".equals(message.body().getString("type"))) {
              stop.complete(message.body());
            }
            message.reply(new JsonObject());
          });
      SCRIPTED.add(consumer);
      consumer.completion().await(10, TimeUnit.SECONDS);
    }

    JsonObject register(int cores) throws Exception {
      JsonObject welcome = workerNode.vertx().eventBus().<JsonObject>request(
          ClusterAddresses.REGISTER,
          new WorkerHello(id, nodeId, "test-host", cores, 0).toJson()).await(10, TimeUnit.SECONDS)
          .body();
      runId = welcome.getString("runId");
      return welcome;
    }

    void heartbeat() throws Exception {
      workerNode.vertx().eventBus().request(ClusterAddresses.HEARTBEAT, new JsonObject()
          .put("protocol", 1).put("workerId", id).put("runId", runId))
          .await(10, TimeUnit.SECONDS);
    }

    void snapshot(LoadMetrics metrics, List<LoadSample> samples, int first) {
      workerNode.vertx().eventBus().send(ClusterAddresses.SNAPSHOT,
          report(false, metrics, samples, first).toJson());
    }

    void sendFinal(LoadMetrics metrics) throws Exception {
      workerNode.vertx().eventBus().request(ClusterAddresses.FINAL,
          report(true, metrics, List.of(), 0).toJson(),
          new DeliveryOptions().setSendTimeout(5_000)).await(10, TimeUnit.SECONDS);
    }

    WorkerReport report(boolean isFinal, LoadMetrics metrics, List<LoadSample> samples,
        int first) {
      JsonArray timeline = new JsonArray();
      samples.forEach(sample -> timeline.add(sample.toJson()));
      return new WorkerReport(id, runId, isFinal, metrics.toJson(), timeline, first, 0);
    }
  }

  private static LoadMetrics metrics(long seed, int requests) {
    LoadMetrics metrics = new LoadMetrics();
    java.util.Random random = new java.util.Random(seed);
    for (int i = 0; i < requests; i++) {
      long ttfbUs = 200 + random.nextInt(50_000);
      metrics.recordRequest(RequestType.SEGMENT, 400_000, ttfbUs, ttfbUs + random.nextInt(900_000),
          50_000, 1_000 + i);
    }
    metrics.recordViewerStarted(1_000);
    return metrics;
  }

  private static LoadSample sample(long elapsedMs, long viewers, double rps) {
    return new LoadSample(elapsedMs, viewers, rps, 1000, 10, 20, 30, 0, 0, 0, 1);
  }

  @Test
  void twoWorkers_splitByCores_mergedExactly() throws Exception {
    ClusterCoordinator coordinator = deploy(coordinatorSettings.expectedWorkers(2).build(), 90);
    ScriptedWorker a = new ScriptedWorker("w-a", workerNode.nodeId());
    ScriptedWorker b = new ScriptedWorker("w-b", workerNode.nodeId());
    JsonObject welcome = a.register(/* cores= */ 1);
    assertEquals(coordinator.runId(), welcome.getString("runId"));
    assertEquals(coordinatorNode.nodeId(), welcome.getString("coordinatorNodeId"));
    b.register(/* cores= */ 2);

    JsonObject assignA = a.assignment.get(10, TimeUnit.SECONDS);
    JsonObject assignB = b.assignment.get(10, TimeUnit.SECONDS);
    assertEquals(0, assignA.getInteger("firstViewerIndex"));
    assertEquals(30, assignA.getInteger("viewerCount"));
    assertEquals(30, assignB.getInteger("firstViewerIndex"));
    assertEquals(60, assignB.getInteger("viewerCount"));
    assertEquals(assignA.getLong("startAtEpochMs"), assignB.getLong("startAtEpochMs"),
        "one common start");
    assertEquals(90, LoadOptions.fromJson(assignA.getJsonObject("options")).viewers());

    a.snapshot(metrics(1, 10), List.of(sample(1_000, 30, 5), sample(2_003, 30, 6)), 0);
    b.snapshot(metrics(2, 10), List.of(sample(998, 60, 7)), 0);
    LoadMetrics finalA = metrics(1, 400);
    LoadMetrics finalB = metrics(2, 700);
    a.sendFinal(finalA);
    b.sendFinal(finalB);

    ClusterRunResult result = coordinator.result().await(10, TimeUnit.SECONDS);
    LoadMetrics expected = new LoadMetrics();
    expected.merge(finalA);
    expected.merge(finalB);
    assertEquals(expected, result.metrics());
    assertEquals(1_100, result.metrics().requests());
    assertEquals(expected.summary(), result.metrics().summary());
    assertEquals(0, result.viewersLost());
    assertEquals(List.of("w-a", "w-b"), result.workers().stream().map(WorkerOutcome::workerId)
        .toList());
    assertFalse(result.workers().get(0).lost());
    // Timelines add up per second: 30 + 60 viewers in the first second, worker a alone after.
    assertEquals(List.of(1_000L, 2_000L), result.timeline().stream().map(LoadSample::elapsedMs)
        .toList());
    assertEquals(90, result.timeline().get(0).activeViewers());
    assertEquals(12.0, result.timeline().get(0).requestsPerSecond(), 1e-9);
    assertEquals(30, result.timeline().get(1).activeViewers());
    JsonObject json = result.toJson();
    assertEquals(0, json.getLong("viewersLost"));
    assertEquals(2, json.getJsonArray("workers").size());
  }

  @Test
  void silentWorker_isLost_lastSnapshotKept_viewersCounted() throws Exception {
    ClusterCoordinator coordinator = deploy(coordinatorSettings.expectedWorkers(2).build(), 10);
    ScriptedWorker alive = new ScriptedWorker("alive", workerNode.nodeId());
    ScriptedWorker dies = new ScriptedWorker("dies", workerNode.nodeId());
    alive.register(1);
    dies.register(1);
    dies.assignment.get(10, TimeUnit.SECONDS);
    LoadMetrics lastSnapshot = metrics(7, 25);
    dies.snapshot(lastSnapshot, List.of(), 0);
    // "dies" says nothing more; "alive" keeps heart-beating until it is the only one left.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (coordinator.progress().workersLost() == 0 && System.nanoTime() < deadline) {
      alive.heartbeat();
      Thread.sleep(200);
    }
    assertEquals(1, coordinator.progress().workersLost());
    ReplyException refused = assertInstanceOf(ReplyException.class,
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, dies::heartbeat));
    assertEquals(410, refused.failureCode(), "a lost worker is told so");
    LoadMetrics finalAlive = metrics(8, 30);
    alive.sendFinal(finalAlive);

    ClusterRunResult result = coordinator.result().await(10, TimeUnit.SECONDS);
    assertEquals(5, result.viewersLost());
    assertEquals(List.of("dies"), result.workersLost());
    WorkerOutcome lost = result.workers().stream().filter(WorkerOutcome::lost).findFirst()
        .orElseThrow();
    assertTrue(lost.lostReasonOrNull().startsWith("no heartbeat for"), lost.lostReasonOrNull());
    assertEquals(lastSnapshot, lost.metrics());
    assertEquals(55, result.metrics().requests(), "last snapshot + final");
    assertEquals(5, result.metrics().summary().viewersLost());
    JsonObject json = result.toJson();
    assertEquals(5, json.getLong("viewersLost"));
    assertEquals("completed", json.getJsonArray("workers").getJsonObject(0).getString("status"));
    assertEquals("dies", json.getJsonArray("workers").getJsonObject(1).getString("workerId"));
    assertEquals("lost", json.getJsonArray("workers").getJsonObject(1).getString("status"));
    assertEquals(List.of("dies"), json.getJsonArray("workersLost").getList());
    assertTrue(LOG.stream().anyMatch(line -> line.contains("dies LOST")), LOG.toString());
  }

  @Test
  void tooFewWorkers_failsAfterTheRegisterTimeout() throws Exception {
    ClusterCoordinator coordinator = deploy(coordinatorSettings.expectedWorkers(3)
        .registerTimeoutMs(1_500).build(), 10);
    new ScriptedWorker("only", workerNode.nodeId()).register(1);
    Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> coordinator.result().await(10, TimeUnit.SECONDS));
    ClusterException cluster = assertInstanceOf(ClusterException.class, failure);
    assertEquals(ClusterException.Kind.REGISTRATION_TIMEOUT, cluster.kind());
    assertTrue(cluster.getMessage().startsWith("1 of 3 worker(s) registered within 1.5 s"
        + " (registered: only)"), cluster.getMessage());
  }

  @Test
  void workerThatCannotStart_failsTheRun_othersAreStopped() throws Exception {
    ClusterCoordinator coordinator = deploy(coordinatorSettings.expectedWorkers(2).build(), 4);
    ScriptedWorker fine = new ScriptedWorker("fine", workerNode.nodeId());
    ScriptedWorker broken = new ScriptedWorker("broken", workerNode.nodeId(),
        "trace file lte.log is not readable");
    fine.register(1);
    broken.register(1);
    Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> coordinator.result().await(10, TimeUnit.SECONDS));
    ClusterException cluster = assertInstanceOf(ClusterException.class, failure);
    assertEquals(ClusterException.Kind.WORKER_FAILED, cluster.kind());
    assertEquals("worker broken could not start its share: trace file lte.log is not readable",
        cluster.getMessage());
    JsonObject stop = fine.stop.get(10, TimeUnit.SECONDS);
    assertEquals(coordinator.runId(), stop.getString("runId"));
    assertTrue(stop.getString("reason").contains("broken could not start"), stop.encode());
  }

  @Test
  void duplicateWorkerId_fromAnotherProcess_isRefused() throws Exception {
    deploy(coordinatorSettings.expectedWorkers(2).registerTimeoutMs(20_000).build(), 10);
    ScriptedWorker first = new ScriptedWorker("same", workerNode.nodeId());
    first.register(1);
    // The same worker asking again (it missed the answer) is welcome again.
    assertEquals(first.runId, first.register(1).getString("runId"));
    ReplyException refused = assertInstanceOf(ReplyException.class,
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
            () -> workerNode.vertx().eventBus().request(ClusterAddresses.REGISTER,
                new WorkerHello("same", "other-node", "h", 1, 0).toJson())
                .await(10, TimeUnit.SECONDS)));
    assertEquals(409, refused.failureCode());
    assertTrue(refused.getMessage().contains("already registered"), refused.getMessage());
    ReplyException badVersion = assertInstanceOf(ReplyException.class,
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
            () -> workerNode.vertx().eventBus().request(ClusterAddresses.REGISTER,
                new WorkerHello("v", "n", "h", 1, 0).toJson().put("protocol", 99))
                .await(10, TimeUnit.SECONDS)));
    assertEquals(400, badVersion.failureCode());
  }
}
