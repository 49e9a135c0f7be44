package io.abrfetch.player;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link HeadlessPlayer} session went, once it is over. Immutable.
 *
 * @param sessionId the player's id
 * @param url the playlist URL played
 * @param timeline everything the playback clock recorded (what the HTML report draws)
 * @param qoe the session's QoE
 * @param chunks every chunk's QoE record (capped by {@link PlaybackClockOptions#maxChunkRecords()})
 * @param segments media segments received, every track
 * @param bytes bytes received (segments and init sections), every track
 * @param playedUs media played, microseconds
 * @param endReason {@link #END_OF_STREAM}, {@link #MAX_DURATION} or {@link #CLOSED}
 */
public record PlayerResult(
    String sessionId,
    String url,
    PlaybackTimeline timeline,
    QoeSummary qoe,
    List<ChunkQoe> chunks,
    long segments,
    long bytes,
    long playedUs,
    String endReason) {

  /** The stream ended and everything was played. */
  public static final String END_OF_STREAM = "end-of-stream";
  /** {@link HeadlessPlayerOptions#maxPlayDurationUs()} of media was played. */
  public static final String MAX_DURATION = "max-duration";
  /** {@link HeadlessPlayer#close()} was called first. */
  public static final String CLOSED = "closed";

  public PlayerResult {
    Objects.requireNonNull(timeline, "timeline");
    Objects.requireNonNull(qoe, "qoe");
    chunks = List.copyOf(chunks);
    Objects.requireNonNull(endReason, "endReason");
  }

  /** Switches to a higher variant among the chunks recorded. */
  public int upSwitches() {
    int up = 0;
    for (int i = 1; i < chunks.size(); i++) {
      if (chunks.get(i).variantIndex() > chunks.get(i - 1).variantIndex()) {
        up++;
      }
    }
    return up;
  }

  /** Switches to a lower variant among the chunks recorded. */
  public int downSwitches() {
    int down = 0;
    for (int i = 1; i < chunks.size(); i++) {
      if (chunks.get(i).variantIndex() < chunks.get(i - 1).variantIndex()) {
        down++;
      }
    }
    return down;
  }

  /**
   * The result as one JSON object: {@code startupMs} (-1 when playback never started),
   * {@code stalls}, {@code stallMs}, {@code meanBitrateKbps}, {@code switches}, {@code segments},
   * {@code bytes}, {@code qoePerChunk} (each chunk's QoE_lin, in order), {@code variantPerChunk} (each video
   * chunk's ladder index), {@code playedMs},
   * {@code endReason}, and more.
   */
  public JsonObject toJson() {
    JsonArray perChunk = new JsonArray();
    JsonArray variants = new JsonArray();
    for (ChunkQoe chunk : chunks) {
      perChunk.add(chunk.qoeLin());
      variants.add(chunk.variantIndex());
    }
    return new JsonObject()
        .put("sessionId", sessionId)
        .put("url", url)
        .put("endReason", endReason)
        .put("startupMs", qoe.startupMs())
        .put("stalls", qoe.stallCount())
        .put("stallMs", qoe.stallMs())
        .put("meanBitrateKbps", qoe.meanBitrateKbps())
        .put("switches", qoe.switches())
        .put("upSwitches", upSwitches())
        .put("downSwitches", downSwitches())
        .put("segments", segments)
        .put("bytes", bytes)
        .put("playedMs", playedUs / 1_000)
        .put("sessionMs", qoe.sessionUs() / 1_000)
        .put("chunks", qoe.chunks())
        .put("rebufferRatio", qoe.rebufferRatio())
        .put("qoeLinSum", qoe.qoeLinSum())
        .put("qoeLinMean", qoe.qoeLinPerChunk())
        .put("qoePerChunk", perChunk)
        .put("variantPerChunk", variants);
  }
}
