package io.abrfetch.player.load.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A worker's metrics: periodically while it runs ({@code isFinal} false, on
 * {@link ClusterAddresses#SNAPSHOT}) and once when its share of the run has ended ({@code isFinal}
 * true, on {@link ClusterAddresses#FINAL}). Immutable.
 *
 * @param workerId the sender
 * @param runId the run
 * @param isFinal true for the worker's last report
 * @param metrics its {@code LoadMetrics} so far, as {@code LoadMetrics.toJson()} (cumulative: a
 *     later report replaces an earlier one)
 * @param timeline timeline samples ({@code LoadSample} JSON) recorded since its previous report
 * @param firstSampleIndex the index of {@code timeline}'s first sample in the worker's whole
 *     timeline, so a repeated report adds nothing twice
 * @param clockOffsetMs the correction the worker applied to the common start: its estimate of
 *     the coordinator's clock minus its own, shrunk towards 0 by the estimate's error, in ms
 */
record WorkerReport(String workerId, String runId, boolean isFinal, JsonObject metrics,
    JsonArray timeline, int firstSampleIndex, long clockOffsetMs) {

  WorkerReport {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(timeline, "timeline");
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("protocol", ClusterAddresses.PROTOCOL_VERSION)
        .put("workerId", workerId)
        .put("runId", runId)
        .put("final", isFinal)
        .put("metrics", metrics)
        .put("timeline", timeline)
        .put("firstSampleIndex", firstSampleIndex)
        .put("clockOffsetMs", clockOffsetMs);
  }

  static WorkerReport fromJson(JsonObject json) {
    ClusterMessages.checkProtocol(json);
    JsonObject metrics = json.getJsonObject("metrics");
    if (metrics == null) {
      throw new IllegalArgumentException("worker report: no metrics");
    }
    JsonArray timeline = json.getJsonArray("timeline", new JsonArray());
    return new WorkerReport(
        ClusterMessages.requiredString(json, "workerId"),
        ClusterMessages.requiredString(json, "runId"),
        json.getBoolean("final", false),
        metrics,
        timeline,
        json.getInteger("firstSampleIndex", 0),
        json.getLong("clockOffsetMs", 0L));
  }
}
