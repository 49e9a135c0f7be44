package io.abrfetch.abr;

import java.util.List;
import java.util.Objects;

/**
 * What a peer tells the {@link AbrController} when it registers: its ladder and the player it
 * belongs to.
 *
 * @param playerId peers with the same player id share one link budget (audio + video of one
 *     player)
 * @param mediaType audio or video
 * @param bitratesBps the ladder, strictly ascending, each {@code > 0}
 * @param initialIndex the variant of the first segment
 * @param segmentDurationUs nominal media duration of one segment, {@code > 0}
 * @param segmentSizes sizes of the segments when known (byte ranges), else {@code null}
 */
public record AbrPeerSpec(
    String playerId,
    MediaType mediaType,
    List<Long> bitratesBps,
    int initialIndex,
    long segmentDurationUs,
    SegmentSizes segmentSizes) {

  public AbrPeerSpec {
    Objects.requireNonNull(playerId, "playerId");
    Objects.requireNonNull(mediaType, "mediaType");
    bitratesBps = Ladder.checkedCopy(bitratesBps);
    Ladder.checkIndex("initialIndex", initialIndex, bitratesBps);
    if (segmentDurationUs <= 0) {
      throw new IllegalArgumentException(
          "segmentDurationUs: " + segmentDurationUs + " (expected: > 0)");
    }
  }

  /** A video peer of {@code playerId} starting at {@code initialIndex}, sizes unknown. */
  public static AbrPeerSpec video(
      String playerId, List<Long> bitratesBps, int initialIndex, long segmentDurationUs) {
    return new AbrPeerSpec(
        playerId, MediaType.VIDEO, bitratesBps, initialIndex, segmentDurationUs, null);
  }

  /** An audio peer of {@code playerId} starting at {@code initialIndex}, sizes unknown. */
  public static AbrPeerSpec audio(
      String playerId, List<Long> bitratesBps, int initialIndex, long segmentDurationUs) {
    return new AbrPeerSpec(
        playerId, MediaType.AUDIO, bitratesBps, initialIndex, segmentDurationUs, null);
  }
}
