package io.abrfetch.player;

/** Where a {@link PlaybackClock} is in a session's life. */
public enum PlaybackState {
  /** Waiting for the startup threshold of media; nothing played yet. */
  STARTING,
  /** The position advances with the clock. */
  PLAYING,
  /** The buffer ran dry before the end of the stream; waiting for the rebuffer threshold. */
  STALLED,
  /** The end of the stream was signalled and everything buffered was played. */
  ENDED,
  /** The session was stopped before its end. */
  STOPPED;

  /** Whether the session is over: nothing more can be appended. */
  public boolean isTerminal() {
    return this == ENDED || this == STOPPED;
  }
}
