package io.abrfetch.player.load.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.player.load.LoadMetrics;
import io.abrfetch.player.load.LoadOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker's side of the protocol, against a scripted coordinator on the other member of a
 * two-member cluster in this JVM: registration with retries, the clock offset, re-registration
 * when forgotten, an empty share reported at once, and stopping when the coordinator goes silent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterWorkerTest {

  private static LoopbackCluster cluster;
  private final List<MessageConsumer<?>> scripted = new ArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Message<JsonObject>> registrations = new LinkedBlockingQueue<>();
  private final BlockingQueue<Message<JsonObject>> finals = new LinkedBlockingQueue<>();
  private final AtomicInteger heartbeats = new AtomicInteger();
  private volatile boolean forgetWorker;
  private volatile boolean silent;
  /** How far the scripted coordinator's clock is ahead of this machine's. */
  private volatile long skewMs;
  private String deployment;

  @BeforeAll
  static void formCluster() throws Exception {
    cluster = LoopbackCluster.form("worker-test");
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
      cluster.workerNode.vertx().undeploy(deployment).await(10, TimeUnit.SECONDS);
    }
    for (MessageConsumer<?> consumer : scripted) {
      consumer.unregister().await(10, TimeUnit.SECONDS);
    }
  }

  /** A coordinator that queues registrations and finals and answers heartbeats as told. */
  private void scriptCoordinator() throws Exception {
    var bus = cluster.coordinatorNode.vertx().eventBus();
    scripted.add(bus.<JsonObject>consumer(ClusterAddresses.REGISTER, registrations::add));
    scripted.add(bus.<JsonObject>consumer(ClusterAddresses.FINAL, finals::add));
    scripted.add(bus.<JsonObject>consumer(ClusterAddresses.HEARTBEAT, message -> {
      heartbeats.incrementAndGet();
      if (silent) {
        return; // no reply: the worker's request times out
      }
      if (forgetWorker) {
        forgetWorker = false;
        message.fail(404, "unknown worker");
        return;
      }
      message.reply(new JsonObject().put("coordinatorEpochMs",
          System.currentTimeMillis() + skewMs));
    }));
    for (MessageConsumer<?> consumer : scripted) {
      consumer.completion().await(10, TimeUnit.SECONDS);
    }
  }

  private ClusterWorker deployWorker(String id) throws Exception {
    ClusterWorker worker = new ClusterWorker(cluster.workerNode,
        cluster.workerSettings.workerId(id).build(), log::add);
    deployment = cluster.workerNode.vertx().deployVerticle(worker).await(10, TimeUnit.SECONDS);
    return worker;
  }

  private static Welcome welcome(String runId, long coordinatorEpochMs) {
    return new Welcome(runId, cluster.coordinatorNode.nodeId(), coordinatorEpochMs, 200, 1_500,
        2_000);
  }

  @Test
  void registers_reregistersWhenForgotten_reportsAnEmptyShareAtOnce() throws Exception {
    scriptCoordinator();
    ClusterWorker worker = deployWorker("solo");

    Message<JsonObject> hello = registrations.poll(10, TimeUnit.SECONDS);
    WorkerHello parsed = WorkerHello.fromJson(hello.body());
    assertEquals("solo", parsed.workerId());
    assertEquals(cluster.workerNode.nodeId(), parsed.nodeId());
    assertEquals(Runtime.getRuntime().availableProcessors(), parsed.cores());
    // The coordinator's clock is 60 s ahead: the worker must start 60 s earlier on its own clock.
    hello.reply(welcome("run-1", System.currentTimeMillis() + 60_000).toJson());

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (heartbeats.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(heartbeats.get() >= 2, "heartbeats: " + heartbeats.get());

    // Forgotten before the start (404 on a heartbeat): it registers again.
    forgetWorker = true;
    Message<JsonObject> again = registrations.poll(10, TimeUnit.SECONDS);
    assertEquals("solo", WorkerHello.fromJson(again.body()).workerId());
    again.reply(welcome("run-1", System.currentTimeMillis()).toJson());
    assertTrue(log.stream().anyMatch(line -> line.contains("registering again")), log.toString());

    // A share of no viewers: acknowledged, then an empty final report right away.
    LoadOptions options = LoadOptions.builder().viewers(1).build();
    JsonObject ack = cluster.coordinatorNode.vertx().eventBus().<JsonObject>request(
        ClusterAddresses.worker("solo"), new Assignment("run-1", "http://127.0.0.1:1/m.m3u8",
            options, 1, 0, System.currentTimeMillis() + 500).toJson())
        .await(10, TimeUnit.SECONDS).body();
    assertEquals(new JsonObject(), ack);
    Message<JsonObject> finalReport = finals.poll(10, TimeUnit.SECONDS);
    WorkerReport report = WorkerReport.fromJson(finalReport.body());
    assertTrue(report.isFinal());
    assertEquals("run-1", report.runId());
    assertEquals(new LoadMetrics(), LoadMetrics.fromJson(report.metrics()));
    // Registering again started a new estimate: the second welcome and the heartbeat replies
    // (the coordinator's real clock) replaced the 60 s estimate of the first welcome, however
    // short that first round trip was.
    assertTrue(Math.abs(report.clockOffsetMs()) < 1_000, "offset " + report.clockOffsetMs());
    finalReport.reply(new JsonObject());
    assertEquals(0, worker.result().await(10, TimeUnit.SECONDS).requests());
  }

  @Test
  void earlyAssignment_isHeldUntilTheWelcomeArrives() throws Exception {
    scriptCoordinator();
    ClusterWorker worker = deployWorker("early");
    Message<JsonObject> hello = registrations.poll(10, TimeUnit.SECONDS);
    // The assignment overtakes the answer to the registration.
    var assigned = cluster.coordinatorNode.vertx().eventBus().<JsonObject>request(
        ClusterAddresses.worker("early"), new Assignment("run-2", "http://127.0.0.1:1/m.m3u8",
            LoadOptions.builder().viewers(1).build(), 0, 0, System.currentTimeMillis())
            .toJson());
    Thread.sleep(300);
    assertFalse(assigned.isComplete(), "held, not refused");
    hello.reply(welcome("run-2", System.currentTimeMillis()).toJson());
    assigned.await(10, TimeUnit.SECONDS);
    Message<JsonObject> finalReport = finals.poll(10, TimeUnit.SECONDS);
    finalReport.reply(new JsonObject());
    worker.result().await(10, TimeUnit.SECONDS);
  }

  @Test
  void skewedCoordinatorClock_isCorrected() throws Exception {
    skewMs = 60_000;
    scriptCoordinator();
    ClusterWorker worker = deployWorker("skewed");
    registrations.poll(10, TimeUnit.SECONDS)
        .reply(welcome("run-4", System.currentTimeMillis() + skewMs).toJson());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (heartbeats.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    cluster.coordinatorNode.vertx().eventBus().request(ClusterAddresses.worker("skewed"),
        new Assignment("run-4", "http://127.0.0.1:1/m.m3u8", LoadOptions.builder().viewers(1)
            .build(), 0, 0, System.currentTimeMillis() + skewMs).toJson())
        .await(10, TimeUnit.SECONDS);
    Message<JsonObject> finalReport = finals.poll(10, TimeUnit.SECONDS);
    long correctionMs = WorkerReport.fromJson(finalReport.body()).clockOffsetMs();
    // 60 s ahead, minus at most half of a loopback round trip.
    assertTrue(correctionMs > 59_000 && correctionMs <= 60_000, "correction " + correctionMs);
    assertTrue(log.stream().anyMatch(line -> line.contains("corrected by " + correctionMs)),
        log.toString());
    finalReport.reply(new JsonObject());
    worker.result().await(10, TimeUnit.SECONDS);
  }

  @Test
  void silentCoordinator_workerGivesUp() throws Exception {
    scriptCoordinator();
    ClusterWorker worker = deployWorker("orphan");
    registrations.poll(10, TimeUnit.SECONDS)
        .reply(welcome("run-3", System.currentTimeMillis()).toJson());
    silent = true;
    Exception failure = assertThrows(Exception.class,
        () -> worker.result().await(15, TimeUnit.SECONDS));
    ClusterException lost = assertInstanceOf(ClusterException.class, failure);
    assertEquals(ClusterException.Kind.COORDINATOR_LOST, lost.kind());
    assertTrue(lost.getMessage().startsWith("the coordinator silent for"), lost.getMessage());
  }
}
