package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;
import java.util.List;

/**
 * An immutable media playlist: the segments of one rendition and what applies to them.
 *
 * @param uri the URL the playlist was loaded from
 * @param version the {@code EXT-X-VERSION}, 1 when absent
 * @param targetDurationUs the {@code EXT-X-TARGETDURATION} in microseconds (whole seconds on the wire)
 * @param mediaSequence the {@code EXT-X-MEDIA-SEQUENCE}, 0 when absent
 * @param discontinuitySequence the {@code EXT-X-DISCONTINUITY-SEQUENCE}, 0 when absent
 * @param playlistType the {@code EXT-X-PLAYLIST-TYPE}, null when absent
 * @param hasEndList whether {@code EXT-X-ENDLIST} is present (no more segments will be added)
 * @param iFramesOnly whether {@code EXT-X-I-FRAMES-ONLY} is present
 * @param independentSegments whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present
 * @param skippedSegments the {@code EXT-X-SKIP SKIPPED-SEGMENTS} of a delta update, else 0
 * @param segments the segments in order; segment {@code i} has media sequence
 *     {@code mediaSequence + skippedSegments + i}
 * @param partTargetDurationUs the {@code EXT-X-PART-INF PART-TARGET} in microseconds, null when absent
 * @param serverControl the {@code EXT-X-SERVER-CONTROL}, null when absent
 * @param trailingParts low-latency parts after the last complete segment (its successor in progress)
 * @param preloadHint the {@code EXT-X-PRELOAD-HINT}, null when absent
 */
public record MediaPlaylist(
    URI uri,
    int version,
    long targetDurationUs,
    long mediaSequence,
    long discontinuitySequence,
    PlaylistType playlistType,
    boolean hasEndList,
    boolean iFramesOnly,
    boolean independentSegments,
    long skippedSegments,
    List<Segment> segments,
    Long partTargetDurationUs,
    ServerControl serverControl,
    List<Part> trailingParts,
    PreloadHint preloadHint)
    implements Playlist {

  /** An {@code EXT-X-PLAYLIST-TYPE}. */
  public enum PlaylistType {
    VOD,
    EVENT
  }

  public MediaPlaylist {
    checkNotNull(uri, "uri");
    checkArgument(version >= 1, "version: %s (expected: >= 1)", version);
    checkArgument(targetDurationUs >= 0, "targetDurationUs: %s (expected: >= 0)", targetDurationUs);
    checkArgument(mediaSequence >= 0, "mediaSequence: %s (expected: >= 0)", mediaSequence);
    checkArgument(discontinuitySequence >= 0,
        "discontinuitySequence: %s (expected: >= 0)", discontinuitySequence);
    checkArgument(skippedSegments >= 0, "skippedSegments: %s (expected: >= 0)", skippedSegments);
    segments = List.copyOf(checkNotNull(segments, "segments"));
    trailingParts = List.copyOf(checkNotNull(trailingParts, "trailingParts"));
    for (int i = 0; i < segments.size(); i++) {
      long expected = mediaSequence + skippedSegments + i;
      checkArgument(segments.get(i).mediaSequence() == expected,
          "segments[%s].mediaSequence: %s (expected: %s)", i, segments.get(i).mediaSequence(), expected);
    }
  }

  /** Whether more segments may be added: no {@code EXT-X-ENDLIST}. */
  public boolean isLive() {
    return !hasEndList;
  }

  /** The sum of the segment durations in microseconds. */
  public long totalDurationUs() {
    return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).endUs();
  }

  /** The media sequence number the next segment after this window will have. */
  public long nextMediaSequence() {
    return mediaSequence + skippedSegments + segments.size();
  }

  /** The {@code EXT-X-TARGETDURATION} in whole seconds, as written in the playlist. */
  public long targetDurationS() {
    return targetDurationUs / 1_000_000L;
  }
}
