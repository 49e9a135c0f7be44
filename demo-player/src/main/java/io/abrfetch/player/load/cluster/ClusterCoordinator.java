package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadMetrics;
import io.abrfetch.player.load.LoadOptions;
import io.abrfetch.player.load.LoadSample;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The coordinator of a clustered load run, deployed on the coordinator's clustered Vert.x: waits
 * for the expected workers to register, splits the viewers ({@link ViewerSplit}), sends every
 * worker its share with one common start a few seconds ahead, follows their heartbeats and
 * snapshots, and merges their final metrics exactly into a {@link ClusterRunResult}. A worker that
 * stops heart-beating, leaves the cluster or never sends its final report is declared lost: its
 * last snapshot is kept and its viewers are counted as lost; the run still completes.
 *
 * <p>Threading: all state is confined to this verticle's event loop (event-bus handlers, timers and
 * the member-removal handler all run there). {@link #result()}, {@link #requestStop()} and {@link
 * #progress()} may be called from any thread.
 */
public final class ClusterCoordinator extends VerticleBase {

  /** A worker with nothing more to say after the run's planned end has this long to report. */
  static final long FINAL_GRACE_MS = 30_000;
  /** How long a worker has to acknowledge its assignment beyond the start delay. */
  static final long ASSIGN_TIMEOUT_EXTRA_MS = 15_000;

  private enum Phase { WAITING, STARTING, RUNNING, DONE }

  private enum Status { REGISTERED, ASSIGNED, COMPLETED, LOST }

  /** One worker as the coordinator follows it. */
  private static final class Worker {
    final WorkerHello hello;
    long lastSeenNanos;
    Status status = Status.REGISTERED;
    ViewerSplit.Share share;
    LoadMetrics metricsOrNull;
    long lastReportEpochMs;
    long clockOffsetMs;
    String lostReason;
    final List<LoadSample> timeline = new ArrayList<>();

    Worker(WorkerHello hello, long nowNanos) {
      this.hello = hello;
      this.lastSeenNanos = nowNanos;
    }

    boolean done() {
      return status == Status.COMPLETED || status == Status.LOST;
    }
  }

  private final ClusterNode node;
  private final ClusterSettings settings;
  private final String url;
  private final LoadOptions options;
  private final Consumer<String> log;
  private final LongSupplier epochMsClock;
  private final LongSupplier nanoClock;
  private final String runId = UUID.randomUUID().toString();
  private final Promise<ClusterRunResult> result = Promise.promise();
  private volatile Progress progress = new Progress(0, 0, new LoadMetrics(), List.of());

  // Confined to this verticle's event loop.
  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private Phase phase = Phase.WAITING;
  private long startNanos;
  private long formedMs;
  private long startAtEpochMs;
  private long registerTimer = -1;
  private long livenessTimer = -1;
  private long deadlineTimer = -1;
  private boolean progressDirty;
  private Runnable stopMemberWatch = () -> { };

  /**
   * A coordinator for one run.
   *
   * @param log receives one line per event worth telling the operator (registrations, losses)
   */
  public ClusterCoordinator(ClusterNode node, ClusterSettings settings, String url,
      LoadOptions options, Consumer<String> log) {
    this(node, settings, url, options, log, System::currentTimeMillis, System::nanoTime);
  }

  ClusterCoordinator(ClusterNode node, ClusterSettings settings, String url, LoadOptions options,
      Consumer<String> log, LongSupplier epochMsClock, LongSupplier nanoClock) {
    this.node = Objects.requireNonNull(node, "node");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (settings.role() != ClusterRole.COORDINATOR) {
      throw new IllegalArgumentException("settings role: " + settings.role()
          + " (expected: COORDINATOR)");
    }
    this.url = Objects.requireNonNull(url, "url");
    this.options = Objects.requireNonNull(options, "options");
    this.log = Objects.requireNonNull(log, "log");
    this.epochMsClock = epochMsClock;
    this.nanoClock = nanoClock;
  }

  /** What the workers reported so far, merged; for a live progress line. Thread-safe. */
  public record Progress(int workersRegistered, int workersLost, LoadMetrics metrics,
      List<LoadSample> timeline) {}

  /**
   * Completes when the run has ended (with lost workers, if any); fails with a {@link
   * ClusterException} when the harness failed.
   */
  public Future<ClusterRunResult> result() {
    return result.future();
  }

  /** The merged snapshot, refreshed once per heartbeat interval; thread-safe. */
  public Progress progress() {
    return progress;
  }

  /** The run's id, carried by every message. */
  public String runId() {
    return runId;
  }

  /**
   * Stops the run early (Ctrl-C): running workers are told to stop and send their final reports;
   * before the start, the result fails with {@link ClusterException.Kind#STOPPED}. Thread-safe.
   */
  public void requestStop() {
    context.runOnContext(unused -> stopOnLoop());
  }

  @Override
  public Future<?> start() {
    startNanos = nanoClock.getAsLong();
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<JsonObject>consumer(ClusterAddresses.REGISTER, this::onRegister));
    consumers.add(bus.<JsonObject>consumer(ClusterAddresses.HEARTBEAT, this::onHeartbeat));
    consumers.add(bus.<JsonObject>consumer(ClusterAddresses.SNAPSHOT, this::onSnapshot));
    consumers.add(bus.<JsonObject>consumer(ClusterAddresses.FINAL, this::onFinal));
    stopMemberWatch = node.onMemberRemoved(this::onMemberRemoved);
    registerTimer = vertx.setTimer(settings.registerTimeoutMs(), id -> onRegisterTimeout());
    livenessTimer = vertx.setPeriodic(settings.heartbeatIntervalMs(), id -> checkLiveness());
    log.accept("coordinator " + node.nodeId() + " waiting for " + settings.expectedWorkers()
        + " worker(s) (run " + runId + ")");
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    cancelTimers();
    stopMemberWatch.run();
    if (phase != Phase.DONE) {
      fail(new ClusterException(ClusterException.Kind.STOPPED, "coordinator undeployed"));
    }
    return Future.succeededFuture();
  }

  // ---- registration ----

  private void onRegister(Message<JsonObject> message) {
    WorkerHello hello;
    try {
      hello = WorkerHello.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
      return;
    }
    Worker known = workers.get(hello.workerId());
    if (known != null && known.hello.nodeId().equals(hello.nodeId())) {
      message.reply(welcome().toJson()); // the worker missed our first answer
      return;
    }
    if (known != null) {
      message.fail(409, "worker id " + hello.workerId() + " is already registered by another"
          + " process (expected: a unique --worker-id)");
      return;
    }
    if (phase != Phase.WAITING) {
      message.fail(409, "run " + runId + " has already started with "
          + settings.expectedWorkers() + " worker(s)");
      return;
    }
    workers.put(hello.workerId(), new Worker(hello, nanoClock.getAsLong()));
    message.reply(welcome().toJson());
    log.accept("worker " + hello.workerId() + " registered from " + hello.host() + " ("
        + hello.cores() + " cores" + (hello.maxViewers() > 0 ? ", max " + hello.maxViewers()
        + " viewers" : "") + ") [" + workers.size() + "/" + settings.expectedWorkers() + "]");
    progressDirty = true;
    if (workers.size() >= settings.expectedWorkers()) {
      assign();
    }
  }

  private Welcome welcome() {
    return new Welcome(runId, node.nodeId(), epochMsClock.getAsLong(),
        settings.heartbeatIntervalMs(), settings.heartbeatTimeoutMs(),
        settings.snapshotIntervalMs());
  }

  private void onRegisterTimeout() {
    registerTimer = -1;
    if (phase != Phase.WAITING) {
      return;
    }
    String registered = workers.isEmpty() ? "none" : String.join(", ", workers.keySet());
    abort(new ClusterException(ClusterException.Kind.REGISTRATION_TIMEOUT,
        workers.size() + " of " + settings.expectedWorkers() + " worker(s) registered within "
            + seconds(settings.registerTimeoutMs()) + " (registered: " + registered
            + "); check that the workers run with --members listing this coordinator's"
            + " address and port, the same --cluster-name, and that the ports are open"));
  }

  // ---- assignment ----

  private void assign() {
    phase = Phase.STARTING;
    cancelTimer(registerTimer);
    registerTimer = -1;
    formedMs = (nanoClock.getAsLong() - startNanos) / 1_000_000;
    List<Worker> ordered = new ArrayList<>(workers.values());
    ordered.sort(Comparator.comparing(worker -> worker.hello.workerId()));
    List<ViewerSplit.Capacity> capacities = ordered.stream()
        .map(worker -> new ViewerSplit.Capacity(worker.hello.workerId(),
            settings.splitMode() == ViewerSplitMode.CORES ? worker.hello.cores() : 1,
            worker.hello.maxViewers()))
        .toList();
    List<ViewerSplit.Share> shares;
    try {
      shares = ViewerSplit.split(options.viewers(), capacities);
    } catch (IllegalArgumentException e) {
      abort(new ClusterException(ClusterException.Kind.SPLIT, e.getMessage()));
      return;
    }
    startAtEpochMs = epochMsClock.getAsLong() + settings.startDelayMs();
    log.accept(workers.size() + " worker(s) registered in " + seconds(formedMs) + "; "
        + options.viewers() + " viewers start at " + java.time.Instant.ofEpochMilli(startAtEpochMs)
        + ": " + describe(shares));
    DeliveryOptions delivery = new DeliveryOptions()
        .setSendTimeout(settings.startDelayMs() + ASSIGN_TIMEOUT_EXTRA_MS);
    for (int i = 0; i < ordered.size(); i++) {
      Worker worker = ordered.get(i);
      worker.share = shares.get(i);
      worker.status = Status.ASSIGNED;
      Assignment assignment = new Assignment(runId, url, options, worker.share.firstViewerIndex(),
          worker.share.viewerCount(), startAtEpochMs);
      vertx.eventBus().<JsonObject>request(ClusterAddresses.worker(worker.hello.workerId()),
          assignment.toJson(), delivery).onComplete(reply -> {
            if (reply.failed()) {
              onAssignmentFailed(worker, reply.cause());
            }
          });
    }
    phase = Phase.RUNNING;
    long plannedEndMs = startAtEpochMs + options.rampUpMs() + options.startSpreadMs()
        + options.durationMs();
    armDeadline(plannedEndMs - epochMsClock.getAsLong() + FINAL_GRACE_MS);
  }

  private void onAssignmentFailed(Worker worker, Throwable cause) {
    if (worker.done() || phase == Phase.DONE) {
      return;
    }
    if (cause instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      abort(new ClusterException(ClusterException.Kind.WORKER_FAILED, "worker "
          + worker.hello.workerId() + " could not start its share: " + reply.getMessage()));
    } else {
      markLost(worker, "did not acknowledge its assignment (" + cause.getMessage() + ")");
    }
  }

  private void armDeadline(long delayMs) {
    cancelTimer(deadlineTimer);
    deadlineTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
      deadlineTimer = -1;
      for (Worker worker : workers.values()) {
        if (!worker.done()) {
          markLost(worker, "no final report " + seconds(FINAL_GRACE_MS)
              + " after the run's planned end");
        }
      }
    });
  }

  // ---- while running ----

  private void onHeartbeat(Message<JsonObject> message) {
    Worker worker = workerOf(message);
    if (worker == null) {
      return;
    }
    worker.lastSeenNanos = nanoClock.getAsLong();
    // The worker refines its clock offset from the replies with the shortest round trip.
    message.reply(new JsonObject().put("coordinatorEpochMs", epochMsClock.getAsLong()));
  }

  private void onSnapshot(Message<JsonObject> message) {
    WorkerReport report;
    try {
      report = WorkerReport.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      log.accept("ignored a malformed snapshot: " + e.getMessage());
      return;
    }
    Worker worker = workers.get(report.workerId());
    if (worker == null || !runId.equals(report.runId()) || worker.done()) {
      return;
    }
    accept(worker, report);
  }

  private void onFinal(Message<JsonObject> message) {
    WorkerReport report;
    try {
      report = WorkerReport.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
      return;
    }
    Worker worker = workers.get(report.workerId());
    if (worker == null || !runId.equals(report.runId())) {
      message.fail(404, "unknown worker " + report.workerId() + " for run " + runId);
      return;
    }
    if (worker.status == Status.LOST) {
      message.fail(410, "worker " + worker.hello.workerId() + " was reported lost ("
          + worker.lostReason + "); its viewers were counted as lost");
      return;
    }
    if (worker.status != Status.COMPLETED) {
      accept(worker, report);
      worker.status = Status.COMPLETED;
      log.accept("worker " + worker.hello.workerId() + " finished: "
          + worker.metricsOrNull.requests() + " requests, " + worker.metricsOrNull.errors()
          + " errors");
    }
    message.reply(new JsonObject());
    maybeFinish();
  }

  /** A heartbeat from a worker this run knows and still follows, or null after failing it. */
  private Worker workerOf(Message<JsonObject> message) {
    String workerId = message.body().getString("workerId");
    Worker worker = workerId == null ? null : workers.get(workerId);
    if (worker == null || !runId.equals(message.body().getString("runId"))) {
      message.fail(404, "unknown worker " + workerId + " for run " + runId);
      return null;
    }
    if (worker.status == Status.LOST) {
      message.fail(410, "worker " + workerId + " was reported lost (" + worker.lostReason
          + "); its viewers were counted as lost");
      return null;
    }
    return worker;
  }

  private void accept(Worker worker, WorkerReport report) {
    try {
      // A report that does not decode changes nothing.
      LoadMetrics metrics = LoadMetrics.fromJson(report.metrics());
      List<LoadSample> samples = new ArrayList<>();
      JsonArray timeline = report.timeline();
      for (int i = 0; i < timeline.size(); i++) {
        samples.add(LoadSample.fromJson(timeline.getJsonObject(i)));
      }
      int skip = Math.max(0, worker.timeline.size() - report.firstSampleIndex());
      worker.timeline.addAll(samples.subList(Math.min(skip, samples.size()), samples.size()));
      worker.metricsOrNull = metrics;
    } catch (RuntimeException e) {
      log.accept("ignored a malformed report from " + worker.hello.workerId() + ": " + e);
      return;
    }
    worker.lastReportEpochMs = epochMsClock.getAsLong();
    worker.clockOffsetMs = report.clockOffsetMs();
    worker.lastSeenNanos = nanoClock.getAsLong();
    progressDirty = true;
  }

  private void onMemberRemoved(String nodeId) {
    for (Worker worker : new ArrayList<>(workers.values())) {
      if (worker.hello.nodeId().equals(nodeId)) {
        if (phase == Phase.WAITING) {
          workers.remove(worker.hello.workerId());
          log.accept("worker " + worker.hello.workerId() + " left the cluster before the start ["
              + workers.size() + "/" + settings.expectedWorkers() + "]");
          progressDirty = true;
        } else if (!worker.done()) {
          markLost(worker, "left the cluster (member removed)");
        }
      }
    }
  }

  private void checkLiveness() {
    publishProgressIfChanged();
    long now = nanoClock.getAsLong();
    for (Worker worker : new ArrayList<>(workers.values())) {
      long silentMs = (now - worker.lastSeenNanos) / 1_000_000;
      if (worker.done() || silentMs <= settings.heartbeatTimeoutMs()) {
        continue;
      }
      if (phase == Phase.WAITING) {
        workers.remove(worker.hello.workerId());
        log.accept("worker " + worker.hello.workerId() + " went silent before the start ["
            + workers.size() + "/" + settings.expectedWorkers() + "]");
        progressDirty = true;
      } else {
        markLost(worker, "no heartbeat for " + seconds(silentMs));
      }
    }
  }

  private void markLost(Worker worker, String reason) {
    if (worker.done() || phase == Phase.DONE) {
      return;
    }
    worker.status = Status.LOST;
    worker.lostReason = reason;
    log.accept("worker " + worker.hello.workerId() + " LOST: " + reason + "; its "
        + (worker.share == null ? 0 : worker.share.viewerCount()) + " viewers are counted as lost"
        + (worker.metricsOrNull == null ? " (no snapshot received)" : " (last snapshot kept)"));
    progressDirty = true;
    maybeFinish();
  }

  // ---- ending ----

  private void stopOnLoop() {
    switch (phase) {
      case WAITING -> abort(new ClusterException(ClusterException.Kind.STOPPED,
          "stopped while waiting for workers (" + workers.size() + " of "
              + settings.expectedWorkers() + " registered)"));
      case STARTING, RUNNING -> {
        log.accept("stopping: telling the workers to stop and report");
        JsonObject stop = new JsonObject().put("protocol", ClusterAddresses.PROTOCOL_VERSION)
            .put("type", "stop").put("runId", runId);
        for (Worker worker : workers.values()) {
          if (!worker.done()) {
            vertx.eventBus().send(ClusterAddresses.worker(worker.hello.workerId()), stop);
          }
        }
        armDeadline(FINAL_GRACE_MS);
      }
      case DONE -> { }
    }
  }

  private void maybeFinish() {
    if (phase != Phase.RUNNING || !workers.values().stream().allMatch(Worker::done)) {
      return;
    }
    phase = Phase.DONE;
    cancelTimers();
    List<WorkerOutcome> outcomes = new ArrayList<>();
    LoadMetrics merged = new LoadMetrics();
    List<List<LoadSample>> timelines = new ArrayList<>();
    List<Worker> ordered = new ArrayList<>(workers.values());
    ordered.sort(Comparator.comparing(worker -> worker.hello.workerId()));
    for (Worker worker : ordered) {
      LoadMetrics metrics = worker.metricsOrNull == null
          ? new LoadMetrics()
          : worker.metricsOrNull.copy();
      boolean lost = worker.status == Status.LOST;
      merged.merge(metrics);
      if (lost) {
        merged.recordViewersLost(worker.share == null ? 0 : worker.share.viewerCount());
      }
      timelines.add(worker.timeline);
      outcomes.add(new WorkerOutcome(worker.hello.workerId(), worker.hello.host(),
          worker.hello.cores(), worker.share == null ? 0 : worker.share.firstViewerIndex(),
          worker.share == null ? 0 : worker.share.viewerCount(), lost, worker.lostReason,
          metrics, worker.lastReportEpochMs, worker.clockOffsetMs));
    }
    List<LoadSample> timeline = TimelineMerge.merge(timelines, TIMELINE_INTERVAL_MS);
    ClusterRunResult run = new ClusterRunResult(runId, startAtEpochMs, formedMs, outcomes,
        merged, timeline);
    progress = new Progress(workers.size(), run.workersLost().size(), merged.copy(), timeline);
    log.accept("run finished: " + (outcomes.size() - run.workersLost().size()) + " of "
        + outcomes.size() + " worker(s) reported" + (run.viewersLost() > 0
            ? "; lost " + run.workersLost() + " with " + run.viewersLost() + " viewers"
            : ""));
    consumers.forEach(MessageConsumer::unregister);
    result.tryComplete(run);
  }

  /** The harness's sampling interval: workers record one timeline sample per second. */
  static final long TIMELINE_INTERVAL_MS = 1_000;

  private void abort(ClusterException failure) {
    JsonObject stop = new JsonObject().put("protocol", ClusterAddresses.PROTOCOL_VERSION)
        .put("type", "stop").put("runId", runId).put("reason", failure.getMessage());
    for (Worker worker : workers.values()) {
      if (!worker.done()) {
        vertx.eventBus().send(ClusterAddresses.worker(worker.hello.workerId()), stop);
      }
    }
    fail(failure);
  }

  private void fail(ClusterException failure) {
    phase = Phase.DONE;
    cancelTimers();
    consumers.forEach(MessageConsumer::unregister);
    result.tryFail(failure);
  }

  /**
   * Publishes the merged snapshot, at most once per liveness tick (heartbeat interval): merging
   * every worker's metrics costs a copy of each of their histograms, too much to do for every
   * snapshot of a large cluster.
   */
  private void publishProgressIfChanged() {
    if (progressDirty) {
      progressDirty = false;
      publishProgress();
    }
  }

  private void publishProgress() {
    LoadMetrics merged = new LoadMetrics();
    List<List<LoadSample>> timelines = new ArrayList<>();
    int lost = 0;
    for (Worker worker : workers.values()) {
      if (worker.metricsOrNull != null) {
        merged.merge(worker.metricsOrNull);
      }
      if (worker.status == Status.LOST) {
        lost++;
        merged.recordViewersLost(worker.share == null ? 0 : worker.share.viewerCount());
      }
      timelines.add(worker.timeline);
    }
    progress = new Progress(workers.size(), lost, merged,
        TimelineMerge.merge(timelines, TIMELINE_INTERVAL_MS));
  }

  private void cancelTimers() {
    cancelTimer(registerTimer);
    cancelTimer(livenessTimer);
    cancelTimer(deadlineTimer);
    registerTimer = livenessTimer = deadlineTimer = -1;
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }

  private static String describe(List<ViewerSplit.Share> shares) {
    StringBuilder text = new StringBuilder();
    for (ViewerSplit.Share share : shares) {
      text.append(text.length() == 0 ? "" : ", ").append(share.workerId()).append(' ')
          .append(share.viewerCount()).append(" (from #").append(share.firstViewerIndex())
          .append(')');
    }
    return text.toString();
  }

  static String seconds(long ms) {
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
