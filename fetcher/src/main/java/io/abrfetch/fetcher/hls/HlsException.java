package io.abrfetch.fetcher.hls;

import io.abrfetch.fetcher.FetchException;

/**
 * Why a session could not open or a {@link Track} failed; branch on {@link #kind()}, never on the
 * message. The {@link #getCause()} is the {@link FetchException} or
 * {@link io.abrfetch.playlist.PlaylistException} behind it when there is one.
 */
public final class HlsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of HLS failure. */
  public enum Kind {
    /** A playlist could not be fetched (a fatal fetch failure such as a 404). */
    PLAYLIST_UNAVAILABLE,
    /** A live playlist failed to reload for longer than the tolerated time. */
    RELOAD_FAILING,
    /** A playlist was fetched but is not a valid HLS playlist of the expected kind. */
    PLAYLIST_INVALID,
    /** A segment is encrypted with a method other than AES-128 (SAMPLE-AES needs a CDM). */
    UNSUPPORTED_ENCRYPTION,
    /** An AES-128 key could not be fetched or is not 16 bytes. */
    KEY,
    /** An init section ({@code EXT-X-MAP}) could not be fetched. */
    INIT_SEGMENT,
    /** A media segment failed fatally, or failed transiently more times than allowed. */
    SEGMENT,
    /** A segment did not decrypt (bad length or padding: wrong key or IV, corrupt bytes). */
    DECRYPTION,
    /** The downloader was closed under the session. */
    CLOSED,
    /** {@link VariantDownload}: the master playlist has no variant of the index asked for. */
    NO_SUCH_VARIANT,
    /** {@link VariantDownload}: the media playlist is live (no {@code EXT-X-ENDLIST}). */
    LIVE_UNSUPPORTED,
    /** {@link VariantDownload}: the output could not be opened or a write to it failed. */
    SINK,
    /** {@link VariantDownload}: the caller cancelled the download. */
    CANCELLED
  }

  private final Kind kind;
  private final long mediaSequence;
  private final String url;

  HlsException(Kind kind, String message, long mediaSequence, String url, Throwable cause) {
    super(kind + ": " + message, cause);
    this.kind = kind;
    this.mediaSequence = mediaSequence;
    this.url = url;
  }

  /**
   * A playlist that could not be had, as the final failure of an open or a download (transient
   * fetch failures included): {@link Kind#CLOSED} when the downloader closed or the request was
   * cancelled, {@link Kind#PLAYLIST_UNAVAILABLE} otherwise; an {@link HlsException} as it is.
   */
  static HlsException ofPlaylistFailure(Throwable e, String playlistUrl) {
    if (e instanceof HlsException h) {
      return h;
    }
    if (e instanceof FetchException f && (f.kind() == FetchException.Kind.CLOSED
        || f.kind() == FetchException.Kind.CANCELLED)) {
      return new HlsException(Kind.CLOSED, playlistUrl + ": " + f.getMessage(), -1, playlistUrl,
          f);
    }
    return new HlsException(Kind.PLAYLIST_UNAVAILABLE, playlistUrl + ": " + e.getMessage(), -1,
        playlistUrl, e);
  }

  public Kind kind() {
    return kind;
  }

  /** The media sequence of the segment concerned, or -1 when the failure is not a segment's. */
  public long mediaSequence() {
    return mediaSequence;
  }

  /** The URL that failed, or null. */
  public String url() {
    return url;
  }

  /** The {@link FetchException} behind this failure, or null. */
  public FetchException fetchFailure() {
    return getCause() instanceof FetchException f ? f : null;
  }
}
