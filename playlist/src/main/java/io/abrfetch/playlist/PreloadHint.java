package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;

/**
 * A low-latency HLS preload hint ({@code EXT-X-PRELOAD-HINT}): a resource the server will make
 * available next.
 *
 * @param type whether the hint is for a part or an initialization section
 * @param uri the resolved URI
 * @param byteRangeStartBytes the first byte of the hinted range, 0 when absent
 * @param byteRangeLengthBytes the length of the hinted range, null when open-ended
 */
public record PreloadHint(Type type, URI uri, long byteRangeStartBytes, Long byteRangeLengthBytes) {
  /** What the hinted resource is. */
  public enum Type {
    PART,
    MAP
  }

  public PreloadHint {
    checkNotNull(type, "type");
    checkNotNull(uri, "uri");
    checkArgument(byteRangeStartBytes >= 0, "byteRangeStartBytes: %s (expected: >= 0)", byteRangeStartBytes);
    checkArgument(byteRangeLengthBytes == null || byteRangeLengthBytes >= 0,
        "byteRangeLengthBytes: %s (expected: >= 0 or null)", byteRangeLengthBytes);
  }
}
