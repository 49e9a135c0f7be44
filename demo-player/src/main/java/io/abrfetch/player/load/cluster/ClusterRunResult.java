package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadMetrics;
import io.abrfetch.player.load.LoadSample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a clustered load run measured, as the coordinator gathered it: the workers' metrics merged
 * exactly (histograms added bucket by bucket; a lost worker contributes its last snapshot and its
 * viewers as {@code viewersLost}), their timelines summed per second, and each worker's outcome.
 * Immutable.
 *
 * @param runId the run's id
 * @param startAtEpochMs the common start (coordinator clock)
 * @param formedMs from the coordinator's start to the last expected worker's registration
 * @param workers each worker's outcome, by worker id
 * @param metrics the merged metrics (a private copy)
 * @param timeline the merged timeline
 */
public record ClusterRunResult(String runId, long startAtEpochMs, long formedMs,
    List<WorkerOutcome> workers, LoadMetrics metrics, List<LoadSample> timeline) {

  public ClusterRunResult {
    workers = List.copyOf(workers);
    timeline = List.copyOf(timeline);
  }

  /** Viewers of workers that died mid-run. */
  public long viewersLost() {
    return workers.stream().filter(WorkerOutcome::lost).mapToLong(WorkerOutcome::viewerCount).sum();
  }

  /** The ids of the workers that died mid-run. */
  public List<String> workersLost() {
    return workers.stream().filter(WorkerOutcome::lost).map(WorkerOutcome::workerId).toList();
  }

  /**
   * The {@code cluster} object of the JSON report: run id, start, formation time, lost viewers and
   * workers, and one entry per worker.
   */
  public JsonObject toJson() {
    JsonArray entries = new JsonArray();
    workers.forEach(worker -> entries.add(worker.toJson()));
    return new JsonObject()
        .put("runId", runId)
        .put("startAtEpochMs", startAtEpochMs)
        .put("formedMs", formedMs)
        .put("viewersLost", viewersLost())
        .put("workersLost", new JsonArray(workersLost()))
        .put("workers", entries);
  }
}
