package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * One media segment of a {@link MediaPlaylist}, with everything that applies to it resolved: its
 * absolute URI, its byte range with the offset computed, the key and the initialization section
 * in force.
 *
 * @param mediaSequence the segment's media sequence number
 * @param discontinuitySequence the discontinuity sequence number the segment belongs to
 * @param uri the resolved URI
 * @param durationUs the {@code EXTINF} duration in microseconds, {@code >= 0}
 * @param startUs the sum of the durations of the segments before it in the playlist, microseconds
 * @param title the {@code EXTINF} title, null when absent or empty
 * @param byteRange the sub-range of {@code uri}, null for the whole resource
 * @param key the key in force, null when the segment is not encrypted
 * @param map the initialization section in force, null when there is none
 * @param discontinuity whether an {@code EXT-X-DISCONTINUITY} precedes the segment
 * @param programDateTime the {@code EXT-X-PROGRAM-DATE-TIME} of this segment's tag, null when absent
 * @param gap whether the segment is marked with {@code EXT-X-GAP}
 * @param parts the low-latency parts of this segment, in order (often empty)
 */
public record Segment(
    long mediaSequence,
    long discontinuitySequence,
    URI uri,
    long durationUs,
    long startUs,
    String title,
    ByteRange byteRange,
    SegmentKey key,
    SegmentMap map,
    boolean discontinuity,
    Instant programDateTime,
    boolean gap,
    List<Part> parts) {

  public Segment {
    checkArgument(mediaSequence >= 0, "mediaSequence: %s (expected: >= 0)", mediaSequence);
    checkArgument(discontinuitySequence >= 0,
        "discontinuitySequence: %s (expected: >= 0)", discontinuitySequence);
    checkNotNull(uri, "uri");
    checkArgument(durationUs >= 0, "durationUs: %s (expected: >= 0)", durationUs);
    checkArgument(startUs >= 0, "startUs: %s (expected: >= 0)", startUs);
    checkArgument(key == null || key.method() != SegmentKey.Method.NONE,
        "key: METHOD=NONE (expected: null for an unencrypted segment)");
    parts = List.copyOf(checkNotNull(parts, "parts"));
  }

  /** Whether the segment is encrypted. */
  public boolean isEncrypted() {
    return key != null;
  }

  /** The end of this segment on the playlist timeline: {@code startUs + durationUs}. */
  public long endUs() {
    return startUs + durationUs;
  }
}
