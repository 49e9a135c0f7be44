package io.abrfetch.player;

/**
 * One point of a session's timeline, for the report's charts.
 *
 * @param timeUs clock microseconds since the session started
 * @param state the playback state at that time
 * @param positionUs media time played
 * @param bufferUs media buffered ahead of the position, microseconds
 * @param selectedBitrateBps bitrate of the latest appended chunk's variant (what ABR chose), or
 *     {@link #UNKNOWN} before the first chunk
 * @param playingBitrateBps bitrate of the chunk at the position (what the viewer sees), or {@link
 *     #UNKNOWN} before playback
 * @param estimateBps the bandwidth estimate last reported, or {@link #UNKNOWN}
 * @param throughputBps the throughput last measured, or {@link #UNKNOWN}
 */
public record TimelineSample(
    long timeUs,
    PlaybackState state,
    long positionUs,
    long bufferUs,
    long selectedBitrateBps,
    long playingBitrateBps,
    long estimateBps,
    long throughputBps) {
  /** A bitrate or estimate not known at the sample's time. */
  public static final long UNKNOWN = -1;
}
