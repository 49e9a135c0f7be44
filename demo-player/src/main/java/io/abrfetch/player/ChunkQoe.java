package io.abrfetch.player;

/**
 * The QoE_lin reward of one appended chunk (segment), as the trace benchmark scores it
 * ({@code abr-traces/README.md}, section 4): {@code r_k = R_k - 4.3 * rebuf_k - |R_k - R_(k-1)|},
 * bitrates in Mbit/s and rebuffering in seconds.
 *
 * <p>{@code rebuf_k} is the stall time spent waiting for this chunk: from the later of the stall's
 * start and the previous chunk's arrival, to this chunk's arrival. The first chunk of a session
 * has no predecessor and no smoothness penalty ({@code R_(-1) = R_0}), and the startup wait is not
 * rebuffering (it is {@link QoeSummary#startupUs()}).
 *
 * @param index 0-based position of the chunk in the session
 * @param variantIndex the variant (ladder index) it came from
 * @param bitrateBps the variant's bitrate, bits per second
 * @param durationUs its media duration, microseconds
 * @param appendedAtUs when it arrived, clock microseconds since the session started
 * @param rebufferUs stall time attributed to it, clock microseconds
 * @param qoeLin its reward
 */
public record ChunkQoe(
    int index,
    int variantIndex,
    long bitrateBps,
    long durationUs,
    long appendedAtUs,
    long rebufferUs,
    double qoeLin) {
  /** QoE_lin penalty per second of rebuffering (the trace benchmark's constant). */
  public static final double REBUFFER_PENALTY_PER_S = 4.3;
  /** QoE_lin penalty per Mbit/s of bitrate change between consecutive chunks. */
  public static final double SMOOTHNESS_PENALTY_PER_MBPS = 1.0;

  /** The QoE_lin reward of a chunk at {@code bitrateBps} after one at {@code previousBitrateBps}. */
  public static double reward(long bitrateBps, long previousBitrateBps, long rebufferUs) {
    return bitrateBps / 1e6
        - REBUFFER_PENALTY_PER_S * (rebufferUs / 1e6)
        - SMOOTHNESS_PENALTY_PER_MBPS * Math.abs(bitrateBps - previousBitrateBps) / 1e6;
  }
}
