package io.abrfetch.fetcher.hls;

import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Instant;

/**
 * One media segment as a {@link Track} hands it to its reader: decrypted bytes, where they came
 * from, and where they sit on the track's media timeline.
 *
 * @param type the track
 * @param mediaSequence the segment's media sequence number
 * @param discontinuitySequence its discontinuity sequence number
 * @param discontinuity whether the decoder must reset before it: an {@code EXT-X-DISCONTINUITY}
 *     precedes it, or live segments were missed just before it
 * @param variantIndex the ladder index of the variant it came from (0 for an audio rendition)
 * @param bitrateBps the variant's declared {@code BANDWIDTH} (audio: the nominal rendition bitrate)
 * @param variantChanged whether it comes from another variant than the segment before it
 * @param startUs start on the track's timeline, microseconds (VOD: the playlist timeline; live: 0
 *     at the first segment played, continuous across reloads and switches)
 * @param durationUs its {@code EXTINF} duration, microseconds
 * @param initSegment the init section ({@code EXT-X-MAP}) to feed the decoder before this segment,
 *     present on the first segment and whenever the init section changes (also at a variant
 *     switch); null when unchanged or when the stream has none
 * @param data the segment's bytes, decrypted; empty for a gap segment
 * @param uri the URI the bytes were fetched from
 * @param byteRangeOffsetBytes the offset of its byte range, or -1 for a whole resource
 * @param encrypted whether it was AES-128 encrypted on the wire
 * @param gap whether the playlist marks it {@code EXT-X-GAP} (no bytes were fetched)
 * @param programDateTime its {@code EXT-X-PROGRAM-DATE-TIME}, or null
 */
public record MediaSegment(TrackType type, long mediaSequence, long discontinuitySequence,
    boolean discontinuity, int variantIndex, long bitrateBps, boolean variantChanged, long startUs,
    long durationUs, Buffer initSegment, Buffer data, URI uri, long byteRangeOffsetBytes,
    boolean encrypted, boolean gap, Instant programDateTime) {

  public MediaSegment {
    if (type == null || data == null || uri == null) {
      throw new IllegalArgumentException("type, data, uri: " + type + ", " + data + ", " + uri
          + " (expected: non-null)");
    }
  }

  /** The end on the track's timeline, microseconds. */
  public long endUs() {
    return startUs + durationUs;
  }

  /** The number of segment bytes (the init section not included). */
  public int sizeBytes() {
    return data.length();
  }
}
