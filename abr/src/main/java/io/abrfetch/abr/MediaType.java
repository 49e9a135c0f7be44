package io.abrfetch.abr;

/** What a peer fetches; audio and video peers of one player share one link budget. */
public enum MediaType {
  /** The video rendition (or muxed audio+video): chosen after the audio is paid for. */
  VIDEO,
  /** An alternate audio rendition: its bitrate is taken off the link before video is chosen. */
  AUDIO
}
