package io.abrfetch.playlist;

import java.net.URI;

/**
 * A parsed HLS playlist: either a {@link MasterPlaylist} (the multivariant playlist) or a
 * {@link MediaPlaylist}.
 */
public sealed interface Playlist permits MasterPlaylist, MediaPlaylist {
  /** The URL the playlist was loaded from (after redirects); relative URIs resolved against it. */
  URI uri();

  /** The {@code EXT-X-VERSION}, 1 when the tag is absent. */
  int version();

  /** Whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present. */
  boolean independentSegments();
}
