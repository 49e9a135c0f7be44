package io.abrfetch.player.load;

import io.vertx.core.json.JsonObject;

/**
 * The headline figures of a run (or of its share so far), computed from {@link LoadMetrics}.
 * Times in milliseconds, rates per second of the run's measured span. Immutable.
 *
 * @param viewers viewers started
 * @param viewersFailed viewers that gave up (master or first playlist never loaded)
 * @param viewersLost viewers of cluster workers that died mid-run
 * @param requests requests finished (answered or failed)
 * @param errors requests that failed (status >= 400, timeout, connection error, bad body)
 * @param bytes body bytes received
 * @param spanMs from the first request to the last recorded event
 * @param requestsPerSecond requests over the span
 * @param stallRatio stalled time over (played + stalled) time, 0 when nothing played
 * @param stalls stalls (rebuffering events after startup)
 * @param meanBitrateKbps the mean bitrate of the video segments fetched, weighted by media duration
 * @param switches variant switches (up plus down, abandonments included)
 * @param abandonments segment downloads abandoned for a lower variant
 * @param startupMsP50 time from a viewer's first request to its first played frame, median
 * @param startupMsP95 same, 95th percentile
 * @param ttfbMsP50 time to first byte over all requests, median
 * @param ttfbMsP99 same, 99th percentile
 * @param segmentMsP50 video segment download time (request to last byte), median
 * @param segmentMsP95 same, 95th percentile
 * @param segmentMsP99 same, 99th percentile
 * @param schedulingLagMsP50 how late requests were issued versus plan, median
 * @param schedulingLagMsP99 same, 99th percentile (the harness is saturated when this grows)
 * @param schedulingLagMsMax same, maximum
 */
public record LoadSummary(
    long viewers,
    long viewersFailed,
    long viewersLost,
    long requests,
    long errors,
    long bytes,
    long spanMs,
    double requestsPerSecond,
    double stallRatio,
    long stalls,
    double meanBitrateKbps,
    long switches,
    long abandonments,
    double startupMsP50,
    double startupMsP95,
    double ttfbMsP50,
    double ttfbMsP99,
    double segmentMsP50,
    double segmentMsP95,
    double segmentMsP99,
    double schedulingLagMsP50,
    double schedulingLagMsP99,
    double schedulingLagMsMax) {

  /** Every field by its name (the {@code --json} keys). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("viewers", viewers)
        .put("viewersFailed", viewersFailed)
        .put("viewersLost", viewersLost)
        .put("requests", requests)
        .put("errors", errors)
        .put("bytes", bytes)
        .put("spanMs", spanMs)
        .put("requestsPerSecond", requestsPerSecond)
        .put("stallRatio", stallRatio)
        .put("stalls", stalls)
        .put("meanBitrateKbps", meanBitrateKbps)
        .put("switches", switches)
        .put("abandonments", abandonments)
        .put("startupMsP50", startupMsP50)
        .put("startupMsP95", startupMsP95)
        .put("ttfbMsP50", ttfbMsP50)
        .put("ttfbMsP99", ttfbMsP99)
        .put("segmentMsP50", segmentMsP50)
        .put("segmentMsP95", segmentMsP95)
        .put("segmentMsP99", segmentMsP99)
        .put("schedulingLagMsP50", schedulingLagMsP50)
        .put("schedulingLagMsP99", schedulingLagMsP99)
        .put("schedulingLagMsMax", schedulingLagMsMax);
  }
}
