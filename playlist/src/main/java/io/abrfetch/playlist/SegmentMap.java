package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;

/**
 * The media initialization section in force ({@code EXT-X-MAP}), carried forward from its tag to
 * every following segment until the next {@code EXT-X-MAP}.
 *
 * @param uri the resolved URI of the initialization section
 * @param byteRange the sub-range of {@code uri}, null for the whole resource; an omitted offset is 0
 */
public record SegmentMap(URI uri, ByteRange byteRange) {
  public SegmentMap {
    checkNotNull(uri, "uri");
  }
}
