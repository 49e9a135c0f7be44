package io.abrfetch.player.load.cluster;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A worker's registration, sent to {@link ClusterAddresses#REGISTER} until the coordinator
 * answers with a {@link Welcome}. Immutable.
 *
 * @param workerId the worker's name, unique in the run
 * @param nodeId its cluster node id (so the coordinator can tell when that member is removed)
 * @param host the host name it runs on, for the report
 * @param cores its available processors (the weight of {@link ViewerSplitMode#CORES})
 * @param maxViewers the most viewers it takes, 0 for no limit
 */
record WorkerHello(String workerId, String nodeId, String host, int cores, int maxViewers) {

  WorkerHello {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(host, "host");
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("protocol", ClusterAddresses.PROTOCOL_VERSION)
        .put("workerId", workerId)
        .put("nodeId", nodeId)
        .put("host", host)
        .put("cores", cores)
        .put("maxViewers", maxViewers);
  }

  /**
   * Reads {@link #toJson()}.
   *
   * @throws IllegalArgumentException when a field is missing or the protocol version differs
   */
  static WorkerHello fromJson(JsonObject json) {
    ClusterMessages.checkProtocol(json);
    return new WorkerHello(
        ClusterMessages.requiredString(json, "workerId"),
        ClusterMessages.requiredString(json, "nodeId"),
        json.getString("host", "?"),
        Math.max(1, json.getInteger("cores", 1)),
        Math.max(0, json.getInteger("maxViewers", 0)));
  }
}
