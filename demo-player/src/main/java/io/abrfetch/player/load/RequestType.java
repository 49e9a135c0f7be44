package io.abrfetch.player.load;

import java.util.Locale;

/** What a viewer's request fetched; metrics are kept per type. */
public enum RequestType {
  /** The master (multivariant) playlist. */
  MASTER,
  /** A media playlist of a video variant or an audio rendition (first load or live reload). */
  MEDIA_PLAYLIST,
  /** An {@code EXT-X-MAP} init segment. */
  INIT,
  /** An {@code EXT-X-KEY} key (fetched, not used: load tests do not decrypt). */
  KEY,
  /** A video (or muxed) media segment. */
  SEGMENT,
  /** A segment of an alternate audio rendition. */
  AUDIO;

  /** The JSON and report label: lower case, e.g. {@code media_playlist}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type with {@link #label()} {@code label}. */
  public static RequestType ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
