package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadMetrics;
import io.abrfetch.player.load.LoadRun;
import io.abrfetch.player.load.LoadSample;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A worker of a clustered load run, deployed on the worker's clustered Vert.x: registers with the
 * coordinator (retrying until one answers or {@link ClusterSettings#registerTimeoutMs()} passes),
 * heart-beats, runs the share of viewers it is assigned as a {@link LoadRun} from the common start
 * (corrected by its estimated clock offset), sends snapshots while running and its final metrics
 * at the end. When the coordinator goes silent or leaves the cluster, it stops its viewers rather
 * than load an origin nobody is measuring.
 *
 * <p>Threading: all state is confined to this verticle's event loop. {@link #result()} may be read
 * from any thread.
 */
public final class ClusterWorker extends VerticleBase {

  /** Between registration attempts while no coordinator answers. */
  static final long REGISTER_RETRY_MS = 500;
  /** Attempts to deliver the final report. */
  static final int FINAL_ATTEMPTS = 5;

  private final ClusterNode node;
  private final ClusterSettings settings;
  private final Consumer<String> log;
  private final LongSupplier epochMsClock;
  private final LongSupplier nanoClock;
  private final Promise<LoadMetrics> result = Promise.promise();
  private final String host = ClusterSettings.localHostName();
  /** The run once started, for {@link #snapshot()} and {@link #timeline()} from other threads. */
  private volatile LoadRun started;

  // Confined to this verticle's event loop.
  private MessageConsumer<JsonObject> consumer;
  private long registerStartNanos;
  private Welcome welcome;
  private long clockOffsetMs;
  /** The round trip of the exchange {@link #clockOffsetMs} was estimated from. */
  private long clockRoundTripMs = Long.MAX_VALUE;
  private long lastCoordinatorNanos;
  private long heartbeatTimer = -1;
  private long snapshotTimer = -1;
  private long retryTimer = -1;
  private Assignment assignment;
  /** An assignment that overtook the answer to our registration; handled once it arrives. */
  private Message<JsonObject> earlyAssignment;
  private LoadRun run;
  private int samplesSent;
  private boolean finished;
  private Runnable stopMemberWatch = () -> { };

  /** A worker; {@code log} receives one line per event worth telling the operator. */
  public ClusterWorker(ClusterNode node, ClusterSettings settings, Consumer<String> log) {
    this(node, settings, log, System::currentTimeMillis, System::nanoTime);
  }

  ClusterWorker(ClusterNode node, ClusterSettings settings, Consumer<String> log,
      LongSupplier epochMsClock, LongSupplier nanoClock) {
    this.node = Objects.requireNonNull(node, "node");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (settings.role() != ClusterRole.WORKER) {
      throw new IllegalArgumentException("settings role: " + settings.role()
          + " (expected: WORKER)");
    }
    this.log = Objects.requireNonNull(log, "log");
    this.epochMsClock = epochMsClock;
    this.nanoClock = nanoClock;
  }

  /**
   * Completes with this worker's own metrics once the coordinator has acknowledged its final
   * report; fails with a {@link ClusterException} when the worker could not take part.
   */
  public Future<LoadMetrics> result() {
    return result.future();
  }

  /** This worker's own metrics so far (empty before its share starts); thread-safe. */
  public LoadMetrics snapshot() {
    LoadRun run = started;
    return run == null ? new LoadMetrics() : run.snapshot();
  }

  /** This worker's own timeline so far; thread-safe. */
  public List<LoadSample> timeline() {
    LoadRun run = started;
    return run == null ? List.of() : run.timeline();
  }

  /**
   * Stops this worker's viewers early (Ctrl-C); its final report is still sent. Before its share
   * started, {@link #result()} fails with {@link ClusterException.Kind#STOPPED}. Thread-safe.
   */
  public void requestStop() {
    context.runOnContext(unused -> {
      if (run != null) {
        run.stop();
      } else {
        finish(new ClusterException(ClusterException.Kind.STOPPED,
            "stopped before the run started"));
      }
    });
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(ClusterAddresses.worker(settings.workerId()),
        this::onCommand);
    stopMemberWatch = node.onMemberRemoved(this::onMemberRemoved);
    return consumer.completion().onSuccess(unused -> {
      registerStartNanos = nanoClock.getAsLong();
      log.accept("worker " + settings.workerId() + " looking for a coordinator through "
          + settings.members());
      register();
    });
  }

  @Override
  public Future<?> stop() {
    cancelTimers();
    stopMemberWatch.run();
    if (run != null && !finished) {
      run.stop();
    }
    result.tryFail(new ClusterException(ClusterException.Kind.STOPPED, "worker undeployed"));
    return Future.succeededFuture();
  }

  // ---- registration and heartbeats ----

  private void register() {
    retryTimer = -1;
    WorkerHello hello = new WorkerHello(settings.workerId(), node.nodeId(), host,
        Runtime.getRuntime().availableProcessors(), settings.maxViewers());
    long sentNanos = nanoClock.getAsLong();
    vertx.eventBus().<JsonObject>request(ClusterAddresses.REGISTER, hello.toJson(),
        new DeliveryOptions().setSendTimeout(Math.max(1_000, settings.heartbeatTimeoutMs())))
        .onComplete(reply -> {
          if (finished) {
            return;
          }
          if (reply.succeeded()) {
            onWelcome(reply.result().body(), sentNanos);
          } else if (reply.cause() instanceof ReplyException refused
              && refused.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            finish(new ClusterException(ClusterException.Kind.REFUSED,
                "the coordinator refused worker " + settings.workerId() + ": "
                    + refused.getMessage()));
          } else if (elapsedMs(registerStartNanos) >= settings.registerTimeoutMs()) {
            finish(new ClusterException(ClusterException.Kind.REGISTRATION_TIMEOUT,
                "no coordinator answered within " + ClusterCoordinator.seconds(
                    settings.registerTimeoutMs()) + " through " + settings.members()
                    + " (cluster " + settings.clusterName() + "); last error: "
                    + reply.cause().getMessage()));
          } else {
            retryTimer = vertx.setTimer(REGISTER_RETRY_MS, id -> register());
          }
        });
  }

  private void onWelcome(JsonObject body, long sentNanos) {
    try {
      welcome = Welcome.fromJson(body);
    } catch (IllegalArgumentException e) {
      finish(new ClusterException(ClusterException.Kind.REFUSED, e.getMessage()));
      return;
    }
    long nowNanos = nanoClock.getAsLong();
    long roundTripMs = (nowNanos - sentNanos) / 1_000_000;
    updateClockOffset(welcome.coordinatorEpochMs(), roundTripMs);
    lastCoordinatorNanos = nowNanos;
    log.accept("worker " + settings.workerId() + " registered for run " + welcome.runId()
        + " (round trip " + roundTripMs + " ms, clock offset " + clockOffsetMs + " ms)");
    heartbeatTimer = vertx.setPeriodic(welcome.heartbeatIntervalMs(), id -> heartbeat());
    if (earlyAssignment != null) {
      Message<JsonObject> early = earlyAssignment;
      earlyAssignment = null;
      onAssignment(early);
    }
  }

  private void heartbeat() {
    if (elapsedMs(lastCoordinatorNanos) > welcome.heartbeatTimeoutMs()) {
      coordinatorLost("silent for " + ClusterCoordinator.seconds(elapsedMs(lastCoordinatorNanos)));
      return;
    }
    JsonObject beat = new JsonObject().put("protocol", ClusterAddresses.PROTOCOL_VERSION)
        .put("workerId", settings.workerId()).put("runId", welcome.runId())
        .put("state", run == null ? "registered" : "running");
    long sentNanos = nanoClock.getAsLong();
    vertx.eventBus().<JsonObject>request(ClusterAddresses.HEARTBEAT, beat,
        new DeliveryOptions().setSendTimeout(welcome.heartbeatTimeoutMs()))
        .onComplete(reply -> {
          if (reply.succeeded()) {
            lastCoordinatorNanos = nanoClock.getAsLong();
            Long coordinatorEpochMs = reply.result().body().getLong("coordinatorEpochMs");
            if (coordinatorEpochMs != null) {
              updateClockOffset(coordinatorEpochMs,
                  (lastCoordinatorNanos - sentNanos) / 1_000_000);
            }
          } else if (reply.cause() instanceof ReplyException refused
              && refused.failureType() == ReplyFailure.RECIPIENT_FAILURE && welcome != null) {
            if (refused.failureCode() == 404 && assignment == null && !finished) {
              // Dropped while waiting for the start (it missed heartbeats): join again.
              log.accept("worker " + settings.workerId() + ": the coordinator forgot this"
                  + " worker before the start; registering again");
              cancelTimer(heartbeatTimer);
              heartbeatTimer = -1;
              welcome = null;
              // The coordinator that forgot us may be another process: estimate its clock anew.
              clockRoundTripMs = Long.MAX_VALUE;
              clockOffsetMs = 0;
              registerStartNanos = nanoClock.getAsLong();
              register();
            } else {
              declaredLost(refused.getMessage());
            }
          }
        });
  }

  /**
   * Estimates the coordinator's clock minus ours from a reply stamped {@code coordinatorEpochMs}
   * after {@code roundTripMs}, assuming the stamp was taken half-way; keeps the estimate of the
   * shortest round trip, whose error (at most half of it) is smallest.
   */
  private void updateClockOffset(long coordinatorEpochMs, long roundTripMs) {
    if (roundTripMs <= clockRoundTripMs) {
      clockRoundTripMs = roundTripMs;
      clockOffsetMs = coordinatorEpochMs + roundTripMs / 2 - epochMsClock.getAsLong();
    }
  }

  /**
   * The offset applied to the common start: the value nearest zero within the estimate's error
   * (half its round trip). Clocks that agree within what the round trip can resolve are left
   * alone: on a loaded machine a slow first exchange would otherwise shift the start by its own
   * noise; a real skew of seconds between machines is still corrected.
   */
  private long clockCorrectionMs() {
    if (clockRoundTripMs == Long.MAX_VALUE) {
      return 0;
    }
    long errorMs = clockRoundTripMs / 2;
    return Long.signum(clockOffsetMs) * Math.max(0, Math.abs(clockOffsetMs) - errorMs);
  }

  private void onMemberRemoved(String nodeId) {
    if (welcome != null && welcome.coordinatorNodeId().equals(nodeId)) {
      coordinatorLost("left the cluster");
    }
  }

  private void coordinatorLost(String why) {
    if (finished) {
      return;
    }
    if (run != null) {
      run.stop();
    }
    finish(new ClusterException(ClusterException.Kind.COORDINATOR_LOST, "the coordinator " + why
        + "; stopped this worker's viewers"));
  }

  private void declaredLost(String why) {
    if (finished) {
      return;
    }
    if (run != null) {
      run.stop();
    }
    finish(new ClusterException(ClusterException.Kind.DECLARED_LOST, why));
  }

  // ---- commands ----

  private void onCommand(Message<JsonObject> message) {
    String type = message.body().getString("type", "");
    switch (type) {
      case Assignment.TYPE -> onAssignment(message);
      case "stop" -> {
        message.reply(new JsonObject());
        if (run != null) {
          log.accept("worker " + settings.workerId() + ": the coordinator stops the run");
          run.stop();
        } else if (!finished) {
          finish(new ClusterException(ClusterException.Kind.STOPPED,
              "the coordinator ended the run before it started: "
                  + message.body().getString("reason", "stopped")));
        }
      }
      default -> message.fail(400, "unknown command type '" + type + "'");
    }
  }

  private void onAssignment(Message<JsonObject> message) {
    Assignment received;
    try {
      received = Assignment.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(400, "assignment: " + e.getMessage());
      return;
    }
    if (welcome == null && earlyAssignment == null && !finished) {
      // The coordinator answered our registration and sent this right after; the answer is
      // still on its way (or its request timed out and the next attempt will fetch it again).
      earlyAssignment = message;
      return;
    }
    if (welcome == null || !welcome.runId().equals(received.runId())) {
      message.fail(409, "worker " + settings.workerId() + " is not registered for run "
          + received.runId());
      return;
    }
    if (assignment != null) {
      message.fail(409, "worker " + settings.workerId() + " already has an assignment");
      return;
    }
    assignment = received;
    long localStartEpochMs = received.startAtEpochMs() - clockCorrectionMs();
    log.accept("worker " + settings.workerId() + ": viewers " + received.firstViewerIndex()
        + ".." + (received.firstViewerIndex() + received.viewerCount() - 1) + " of "
        + received.options().viewers() + " start in "
        + ClusterCoordinator.seconds(Math.max(0, localStartEpochMs - epochMsClock.getAsLong()))
        + " (clock offset " + clockOffsetMs + " ms +- " + clockRoundTripMs / 2
        + " ms, corrected by " + clockCorrectionMs() + " ms)");
    if (received.viewerCount() == 0) {
      message.reply(new JsonObject());
      sendFinal(new LoadMetrics(), List.of(), 1);
      return;
    }
    LoadRun.start(vertx, received.url(), received.options(), received.firstViewerIndex(),
        received.viewerCount(), localStartEpochMs).onComplete(starting -> {
          if (starting.failed()) {
            String why = String.valueOf(starting.cause().getMessage());
            message.fail(500, why);
            finish(new ClusterException(ClusterException.Kind.WORKER_FAILED,
                "worker " + settings.workerId() + " could not start its viewers: " + why,
                starting.cause()));
            return;
          }
          run = starting.result();
          this.started = run;
          message.reply(new JsonObject());
          if (finished) { // the coordinator vanished while the run was starting
            run.stop();
            return;
          }
          snapshotTimer = vertx.setPeriodic(welcome.snapshotIntervalMs(), id -> sendSnapshot());
          run.completion().onComplete(done -> {
            cancelTimer(snapshotTimer);
            snapshotTimer = -1;
            if (finished) {
              return;
            }
            if (done.failed()) {
              finish(new ClusterException(ClusterException.Kind.WORKER_FAILED, "worker "
                  + settings.workerId() + ": the run failed: " + done.cause().getMessage(),
                  done.cause()));
              return;
            }
            sendFinal(done.result(), run.timeline(), 1);
          });
        });
  }

  // ---- reports ----

  private void sendSnapshot() {
    if (run == null || finished) {
      return;
    }
    List<LoadSample> timeline = run.timeline();
    WorkerReport report = report(false, run.snapshot(), timeline);
    vertx.eventBus().send(ClusterAddresses.SNAPSHOT, report.toJson());
    samplesSent = timeline.size();
  }

  private void sendFinal(LoadMetrics metrics, List<LoadSample> timeline, int attempt) {
    if (finished) {
      return;
    }
    WorkerReport report = report(true, metrics, timeline);
    vertx.eventBus().<JsonObject>request(ClusterAddresses.FINAL, report.toJson(),
        new DeliveryOptions().setSendTimeout(Math.max(2_000, welcome.heartbeatTimeoutMs())))
        .onComplete(reply -> {
          if (reply.succeeded()) {
            log.accept("worker " + settings.workerId() + ": final report delivered ("
                + metrics.requests() + " requests)");
            finished = true;
            cancelTimers();
            result.tryComplete(metrics);
          } else if (reply.cause() instanceof ReplyException refused
              && refused.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            declaredLost(refused.getMessage());
          } else if (attempt < FINAL_ATTEMPTS) {
            retryTimer = vertx.setTimer(welcome.heartbeatIntervalMs(),
                id -> sendFinal(metrics, timeline, attempt + 1));
          } else {
            finish(new ClusterException(ClusterException.Kind.COORDINATOR_LOST,
                "the coordinator did not acknowledge the final report after " + attempt
                    + " attempts: " + reply.cause().getMessage()));
          }
        });
  }

  private WorkerReport report(boolean isFinal, LoadMetrics metrics, List<LoadSample> timeline) {
    JsonArray samples = new JsonArray();
    int from = Math.min(samplesSent, timeline.size());
    for (int i = from; i < timeline.size(); i++) {
      samples.add(timeline.get(i).toJson());
    }
    return new WorkerReport(settings.workerId(), welcome.runId(), isFinal, metrics.toJson(),
        samples, from, clockCorrectionMs());
  }

  // ---- ending ----

  private void finish(ClusterException failure) {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimers();
    log.accept("worker " + settings.workerId() + ": " + failure.getMessage());
    result.tryFail(failure);
  }

  private void cancelTimers() {
    cancelTimer(heartbeatTimer);
    cancelTimer(snapshotTimer);
    cancelTimer(retryTimer);
    heartbeatTimer = snapshotTimer = retryTimer = -1;
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }

  private long elapsedMs(long sinceNanos) {
    return (nanoClock.getAsLong() - sinceNanos) / 1_000_000;
  }
}
