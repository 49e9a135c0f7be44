package io.abrfetch.player.load;

import io.vertx.core.json.JsonObject;

/**
 * One second of a run, for the live progress line and the report's charts. Rates and counts are
 * over the interval ending at {@code elapsedMs}; percentiles are of the video segments that
 * finished in it (0 when none did). Immutable.
 *
 * @param elapsedMs since the run's start
 * @param activeViewers viewers started and not yet ended
 * @param requestsPerSecond requests finished in the interval, per second
 * @param bytesPerSecond body bytes received in the interval, per second
 * @param segmentMsP50 video segment download time, median
 * @param segmentMsP95 same, 95th percentile
 * @param segmentMsP99 same, 99th percentile
 * @param stalls stalls that began in the interval
 * @param stalledViewers viewers stalled at the end of the interval
 * @param errors requests failed in the interval
 * @param schedulingLagMsP99 the harness's lateness in the interval, 99th percentile
 */
public record LoadSample(
    long elapsedMs,
    long activeViewers,
    double requestsPerSecond,
    double bytesPerSecond,
    double segmentMsP50,
    double segmentMsP95,
    double segmentMsP99,
    long stalls,
    long stalledViewers,
    long errors,
    double schedulingLagMsP99) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("elapsedMs", elapsedMs)
        .put("activeViewers", activeViewers)
        .put("requestsPerSecond", requestsPerSecond)
        .put("bytesPerSecond", bytesPerSecond)
        .put("segmentMsP50", segmentMsP50)
        .put("segmentMsP95", segmentMsP95)
        .put("segmentMsP99", segmentMsP99)
        .put("stalls", stalls)
        .put("stalledViewers", stalledViewers)
        .put("errors", errors)
        .put("schedulingLagMsP99", schedulingLagMsP99);
  }

  public static LoadSample fromJson(JsonObject json) {
    return new LoadSample(json.getLong("elapsedMs"), json.getLong("activeViewers"),
        json.getDouble("requestsPerSecond"), json.getDouble("bytesPerSecond"),
        json.getDouble("segmentMsP50"), json.getDouble("segmentMsP95"),
        json.getDouble("segmentMsP99"), json.getLong("stalls"), json.getLong("stalledViewers"),
        json.getLong("errors"), json.getDouble("schedulingLagMsP99"));
  }
}
