package io.abrfetch.player;

/**
 * Quality of experience of one playback session so far: the numbers {@code play --json}, the HTML
 * report and the load test print.
 *
 * <p>All times are in clock microseconds except {@code playedUs}, which is media time; with a
 * {@linkplain PlaybackClockOptions#playbackRate() playback rate} of 1 they coincide.
 *
 * @param state where the session is
 * @param sessionUs clock time since the session started
 * @param startupUs clock time from the session's start to the first frame, or {@link
 *     #NOT_STARTED} when playback has not started
 * @param stallCount stalls (rebuffering events) started, the one in progress included
 * @param stallUs clock time spent stalled, the stall in progress included
 * @param playedUs media time played
 * @param bufferUs media buffered ahead of the position
 * @param meanBitrateBps mean bitrate of the played media, weighted by media time; 0 when nothing
 *     was played
 * @param switches appended chunks whose variant differs from the previous chunk's
 * @param chunks chunks appended
 * @param qoeLinSum sum of every chunk's QoE_lin reward
 * @param droppedMarkers timeline markers dropped over the cap (the counts above stay exact)
 */
public record QoeSummary(
    PlaybackState state,
    long sessionUs,
    long startupUs,
    int stallCount,
    long stallUs,
    long playedUs,
    long bufferUs,
    long meanBitrateBps,
    int switches,
    int chunks,
    double qoeLinSum,
    int droppedMarkers) {
  /** {@link #startupUs()} of a session that has not started playing. */
  public static final long NOT_STARTED = -1;

  /** Whether the first frame was played. */
  public boolean hasStarted() {
    return startupUs != NOT_STARTED;
  }

  /** {@link #startupUs()} in whole milliseconds (rounded down), or -1 when not started. */
  public long startupMs() {
    return hasStarted() ? startupUs / 1_000 : NOT_STARTED;
  }

  /** {@link #stallUs()} in whole milliseconds, rounded down. */
  public long stallMs() {
    return stallUs / 1_000;
  }

  /** {@link #meanBitrateBps()} in kbit/s. */
  public double meanBitrateKbps() {
    return meanBitrateBps / 1_000.0;
  }

  /** Mean QoE_lin per chunk (the per-chunk average later papers report), or 0 with no chunk. */
  public double qoeLinPerChunk() {
    return chunks == 0 ? 0 : qoeLinSum / chunks;
  }

  /** Fraction of the session's watching time (played plus stalled clock time) spent stalled. */
  public double rebufferRatio() {
    double playedClockUs = hasStarted() ? Math.max(0, sessionUs - startupUs - stallUs) : 0;
    double watchingUs = playedClockUs + stallUs;
    return watchingUs == 0 ? 0 : stallUs / watchingUs;
  }
}
