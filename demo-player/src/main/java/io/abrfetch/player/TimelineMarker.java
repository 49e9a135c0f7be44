package io.abrfetch.player;

/** An event on a session's timeline, drawn as a marker in the report. */
public sealed interface TimelineMarker {
  /** Clock microseconds since the session started. */
  long timeUs();

  /**
   * The first chunk of another variant was appended (ABR switched).
   *
   * @param fromBitrateBps the previous chunk's bitrate
   * @param toBitrateBps the new chunk's bitrate
   */
  record Switch(long timeUs, int fromVariant, int toVariant, long fromBitrateBps, long toBitrateBps)
      implements TimelineMarker {
    /** Whether the new variant has a higher bitrate. */
    public boolean isUp() {
      return toBitrateBps > fromBitrateBps;
    }
  }

  /**
   * The buffer ran dry before the end of the stream.
   *
   * @param positionUs media time played when it stalled
   */
  record StallStart(long timeUs, long positionUs) implements TimelineMarker {}

  /**
   * Playback resumed after a stall (or the session stopped during it).
   *
   * @param stallUs how long the stall lasted, clock microseconds
   */
  record StallEnd(long timeUs, long stallUs) implements TimelineMarker {}
}
