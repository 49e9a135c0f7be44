package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;

/**
 * A low-latency HLS partial segment ({@code EXT-X-PART}).
 *
 * @param uri the resolved URI
 * @param durationUs the part duration in microseconds, {@code >= 0}
 * @param independent whether the part starts with an independent frame
 * @param byteRange the sub-range of {@code uri}, null for the whole resource
 * @param gap whether the part is marked {@code GAP=YES}
 */
public record Part(URI uri, long durationUs, boolean independent, ByteRange byteRange, boolean gap) {
  public Part {
    checkNotNull(uri, "uri");
    checkArgument(durationUs >= 0, "durationUs: %s (expected: >= 0)", durationUs);
  }
}
