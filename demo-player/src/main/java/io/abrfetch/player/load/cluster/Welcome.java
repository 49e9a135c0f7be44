package io.abrfetch.player.load.cluster;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The coordinator's answer to a {@link WorkerHello}. Immutable.
 *
 * @param runId the run this worker now belongs to; every later message carries it
 * @param coordinatorNodeId the coordinator's cluster node id (a worker stops its viewers when that
 *     member is removed)
 * @param coordinatorEpochMs the coordinator's wall clock when it answered; the worker estimates
 *     its clock offset from it and the round trip, so all workers start at one time even when
 *     clocks disagree
 * @param heartbeatIntervalMs how often the worker sends a heartbeat
 * @param heartbeatTimeoutMs silence after which either side considers the other gone
 * @param snapshotIntervalMs how often a running worker sends its metrics
 */
record Welcome(String runId, String coordinatorNodeId, long coordinatorEpochMs,
    long heartbeatIntervalMs, long heartbeatTimeoutMs, long snapshotIntervalMs) {

  Welcome {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(coordinatorNodeId, "coordinatorNodeId");
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("protocol", ClusterAddresses.PROTOCOL_VERSION)
        .put("runId", runId)
        .put("coordinatorNodeId", coordinatorNodeId)
        .put("coordinatorEpochMs", coordinatorEpochMs)
        .put("heartbeatIntervalMs", heartbeatIntervalMs)
        .put("heartbeatTimeoutMs", heartbeatTimeoutMs)
        .put("snapshotIntervalMs", snapshotIntervalMs);
  }

  static Welcome fromJson(JsonObject json) {
    ClusterMessages.checkProtocol(json);
    return new Welcome(
        ClusterMessages.requiredString(json, "runId"),
        ClusterMessages.requiredString(json, "coordinatorNodeId"),
        ClusterMessages.requiredLong(json, "coordinatorEpochMs"),
        ClusterMessages.requiredLong(json, "heartbeatIntervalMs"),
        ClusterMessages.requiredLong(json, "heartbeatTimeoutMs"),
        ClusterMessages.requiredLong(json, "snapshotIntervalMs"));
  }
}
