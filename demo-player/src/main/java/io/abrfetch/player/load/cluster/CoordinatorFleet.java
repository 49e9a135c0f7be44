package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadExecution;
import io.abrfetch.player.load.LoadMetrics;
import io.abrfetch.player.load.LoadOptions;
import io.abrfetch.player.load.LoadSample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code loadtest --cluster --role coordinator}: the viewers run on the workers; this process
 * joins the cluster, coordinates ({@link ClusterCoordinator}) and reports the merged result
 * through the command's usual summary, JSON and HTML report.
 *
 * <p>Threading: {@link #createVertx} and {@link #start} are called once from the command's thread;
 * the execution it returns is thread-safe.
 */
final class CoordinatorFleet extends ClusterFleet {

  CoordinatorFleet(ClusterSettings settings, Consumer<String> log) {
    super(settings, log);
  }

  @Override
  String joinedLine(ClusterNode joined) {
    return "joined cluster " + settings.clusterName() + " as coordinator in "
        + joined.joinMs() + " ms; workers join with --members " + joined.memberAddress()
        + " --cluster-name " + settings.clusterName();
  }

  @Override
  public Future<? extends LoadExecution> start(Vertx vertx, String url, LoadOptions options,
      long startAtEpochMs) {
    // The common start is chosen once the workers have registered, not now.
    ClusterCoordinator coordinator = new ClusterCoordinator(node, settings, url, options, log);
    return vertx.deployVerticle(coordinator).map(id -> new Execution(coordinator));
  }

  @Override
  public String description() {
    return "cluster of " + settings.expectedWorkers() + " worker(s)";
  }

  /** The run as the coordinator sees it: the workers' reports merged. */
  private static final class Execution implements LoadExecution {
    private final ClusterCoordinator coordinator;

    Execution(ClusterCoordinator coordinator) {
      this.coordinator = coordinator;
    }

    @Override
    public LoadMetrics snapshot() {
      return coordinator.progress().metrics().copy();
    }

    @Override
    public List<LoadSample> timeline() {
      return coordinator.progress().timeline();
    }

    @Override
    public Future<LoadMetrics> completion() {
      return coordinator.result().map(ClusterRunResult::metrics);
    }

    @Override
    public Future<Void> stop() {
      coordinator.requestStop();
      return coordinator.result().<Void>mapEmpty().otherwiseEmpty();
    }

    @Override
    public List<String> notes() {
      Future<ClusterRunResult> result = coordinator.result();
      return result.succeeded() ? notes(result.result()) : List.of();
    }

    /**
     * {@code {"cluster": {runId, startAtEpochMs, formedMs, viewersLost, workersLost: [ids],
     * workers: [{workerId, host, cores, firstViewerIndex, viewerCount, status, lostReason?,
     * requests, errors, bytes, lastReportEpochMs, clockOffsetMs}]}}} once the run has ended.
     */
    @Override
    public JsonObject resultJson() {
      Future<ClusterRunResult> result = coordinator.result();
      return result.succeeded()
          ? new JsonObject().put("cluster", result.result().toJson())
          : new JsonObject();
    }

    /** Lines for the summary and the report: the workers, their shares, and who was lost. */
    static List<String> notes(ClusterRunResult result) {
      List<String> lines = new ArrayList<>();
      lines.add("cluster: " + result.workers().size() + " worker(s) registered in "
          + ClusterCoordinator.seconds(result.formedMs()) + "; viewers lost: "
          + result.viewersLost());
      for (WorkerOutcome worker : result.workers()) {
        String share = worker.viewerCount() == 0 ? "no viewers"
            : "viewers " + worker.firstViewerIndex() + ".."
                + (worker.firstViewerIndex() + worker.viewerCount() - 1);
        lines.add("worker " + worker.workerId() + " (" + worker.host() + ", " + worker.cores()
            + " cores): " + share + ", " + worker.metrics().requests() + " requests, "
            + (worker.lost()
                ? "LOST: " + worker.lostReasonOrNull() + "; its " + worker.viewerCount()
                    + " viewers are counted as lost"
                    + (worker.lastReportEpochMs() > 0 ? ", its last snapshot is included"
                        : ", no snapshot arrived")
                : "completed"));
      }
      return List.copyOf(lines);
    }
  }
}
