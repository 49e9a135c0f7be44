package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadExecution;
import io.abrfetch.player.load.LoadMetrics;
import io.abrfetch.player.load.LoadOptions;
import io.abrfetch.player.load.LoadSample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code loadtest --cluster --role worker}: joins the cluster, registers with the coordinator and
 * runs the share of viewers it is assigned ({@link ClusterWorker}); the URL and run options come
 * from the coordinator, and the coordinator reports.
 *
 * <p>Threading: {@link #createVertx} and {@link #start} are called once from the command's thread;
 * the execution it returns is thread-safe.
 */
final class WorkerFleet extends ClusterFleet {

  WorkerFleet(ClusterSettings settings, Consumer<String> log) {
    super(settings, log);
  }

  @Override
  String joinedLine(ClusterNode joined) {
    return "joined cluster " + settings.clusterName() + " as worker " + settings.workerId()
        + " in " + joined.joinMs() + " ms";
  }

  @Override
  public Future<? extends LoadExecution> start(Vertx vertx, String url, LoadOptions options,
      long startAtEpochMs) {
    ClusterWorker worker = new ClusterWorker(node, settings, log);
    return vertx.deployVerticle(worker).map(id -> new Execution(worker));
  }

  @Override
  public boolean needsUrl() {
    return false;
  }

  @Override
  public boolean reportsResults() {
    return false;
  }

  @Override
  public String description() {
    return "cluster worker " + settings.workerId();
  }

  /** This worker's share of the run. */
  private static final class Execution implements LoadExecution {
    private final ClusterWorker worker;

    Execution(ClusterWorker worker) {
      this.worker = worker;
    }

    @Override
    public LoadMetrics snapshot() {
      return worker.snapshot();
    }

    @Override
    public List<LoadSample> timeline() {
      return worker.timeline();
    }

    @Override
    public Future<LoadMetrics> completion() {
      return worker.result();
    }

    @Override
    public Future<Void> stop() {
      worker.requestStop();
      return worker.result().<Void>mapEmpty().otherwiseEmpty();
    }
  }
}
