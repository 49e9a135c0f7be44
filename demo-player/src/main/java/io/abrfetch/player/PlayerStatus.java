package io.abrfetch.player;

import io.vertx.core.json.JsonObject;

/**
 * A snapshot of a {@link HeadlessPlayer}: where playback stands, what is fetched, and the QoE so
 * far. Immutable; {@link HeadlessPlayer#status()} hands it to any thread.
 *
 * @param sessionId the player's (and its HLS session's) id
 * @param url the playlist URL played
 * @param state the playback state
 * @param positionUs media played, microseconds
 * @param bufferUs playable media buffered ahead of the position (with alternate audio: what both
 *     tracks hold), microseconds
 * @param variantIndex the ladder index of the latest video segment received, or -1 before the first
 * @param variantBitrateBps its declared bitrate, bits per second, or 0 before the first
 * @param estimateBps the ABR controller's bandwidth estimate, bits per second
 * @param qoe the session's QoE so far
 * @param segments media segments received, every track
 * @param bytes bytes received (segments and init sections), every track
 */
public record PlayerStatus(
    String sessionId,
    String url,
    PlaybackState state,
    long positionUs,
    long bufferUs,
    int variantIndex,
    long variantBitrateBps,
    long estimateBps,
    QoeSummary qoe,
    long segments,
    long bytes) {

  /** The status as JSON: times in milliseconds, bitrates in bits per second. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("sessionId", sessionId)
        .put("url", url)
        .put("state", state.name().toLowerCase(java.util.Locale.ROOT))
        .put("positionMs", positionUs / 1_000)
        .put("bufferMs", bufferUs / 1_000)
        .put("variantIndex", variantIndex)
        .put("variantBitrateBps", variantBitrateBps)
        .put("estimateBps", estimateBps)
        .put("startupMs", qoe.startupMs())
        .put("stalls", qoe.stallCount())
        .put("stallMs", qoe.stallMs())
        .put("meanBitrateKbps", qoe.meanBitrateKbps())
        .put("switches", qoe.switches())
        .put("segments", segments)
        .put("bytes", bytes);
  }
}
