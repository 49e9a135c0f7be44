package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadOptions;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The coordinator's order to one worker: run viewers {@code firstViewerIndex ..
 * firstViewerIndex + viewerCount - 1} of {@code options} against {@code url}, starting at {@code
 * startAtEpochMs} on the coordinator's clock. Immutable.
 */
record Assignment(String runId, String url, LoadOptions options, int firstViewerIndex,
    int viewerCount, long startAtEpochMs) {

  static final String TYPE = "assign";

  Assignment {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(options, "options");
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("protocol", ClusterAddresses.PROTOCOL_VERSION)
        .put("type", TYPE)
        .put("runId", runId)
        .put("url", url)
        .put("options", options.toJson())
        .put("firstViewerIndex", firstViewerIndex)
        .put("viewerCount", viewerCount)
        .put("startAtEpochMs", startAtEpochMs);
  }

  static Assignment fromJson(JsonObject json) {
    ClusterMessages.checkProtocol(json);
    JsonObject options = json.getJsonObject("options");
    if (options == null) {
      throw new IllegalArgumentException("assignment: no options");
    }
    return new Assignment(
        ClusterMessages.requiredString(json, "runId"),
        ClusterMessages.requiredString(json, "url"),
        LoadOptions.fromJson(options),
        (int) ClusterMessages.requiredLong(json, "firstViewerIndex"),
        (int) ClusterMessages.requiredLong(json, "viewerCount"),
        ClusterMessages.requiredLong(json, "startAtEpochMs"));
  }
}
