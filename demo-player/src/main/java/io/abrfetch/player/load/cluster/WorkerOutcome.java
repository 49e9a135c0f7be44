package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadMetrics;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * How one worker's share of a clustered run ended. Immutable ({@code metrics} is a private copy).
 *
 * @param workerId the worker's name
 * @param host the host it ran on
 * @param cores its processors
 * @param firstViewerIndex the first viewer of its share
 * @param viewerCount the viewers of its share
 * @param lost true when it died (or went silent) before its final report; its viewers are counted
 *     as lost and {@code metrics} is its last snapshot
 * @param lostReasonOrNull why it was declared lost, or null
 * @param metrics its final metrics, or its last snapshot when lost (empty when none arrived)
 * @param lastReportEpochMs when its {@code metrics} arrived (coordinator clock), 0 when never
 * @param clockOffsetMs the clock correction it applied to the common start (coordinator minus
 *     worker, ms)
 */
public record WorkerOutcome(String workerId, String host, int cores, int firstViewerIndex,
    int viewerCount, boolean lost, String lostReasonOrNull, LoadMetrics metrics,
    long lastReportEpochMs, long clockOffsetMs) {

  public WorkerOutcome {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** The report's entry for this worker (counters, not histograms). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("workerId", workerId)
        .put("host", host)
        .put("cores", cores)
        .put("firstViewerIndex", firstViewerIndex)
        .put("viewerCount", viewerCount)
        .put("status", lost ? "lost" : "completed")
        .put("requests", metrics.requests())
        .put("errors", metrics.errors())
        .put("bytes", metrics.bytes())
        .put("lastReportEpochMs", lastReportEpochMs)
        .put("clockOffsetMs", clockOffsetMs);
    if (lostReasonOrNull != null) {
      json.put("lostReason", lostReasonOrNull);
    }
    return json;
  }
}
