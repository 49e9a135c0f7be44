package io.abrfetch.fetcher.hls;

/** What a {@link Track} carries. */
public enum TrackType {
  /** The variant stream chosen by ABR: video, or audio and video muxed. */
  VIDEO,
  /** An alternate audio rendition ({@code EXT-X-MEDIA TYPE=AUDIO}) named by the variant. */
  AUDIO,
  /** A subtitles rendition ({@code EXT-X-MEDIA TYPE=SUBTITLES}), opened on request. */
  SUBTITLES
}
