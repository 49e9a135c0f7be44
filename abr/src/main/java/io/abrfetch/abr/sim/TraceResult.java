package io.abrfetch.abr.sim;

/**
 * One policy's session over one trace, scored as the benchmark scores it: chunk 0 (the startup)
 * excluded, chunks 1..47 counted.
 *
 * @param trace the trace's name
 * @param qoeSum sum of per-chunk QoE_lin over chunks 1..47
 * @param meanBitrateKbps mean bitrate of chunks 1..47
 * @param rebufferS total stall of chunks 1..47, seconds
 * @param switches number of chunks 1..47 whose quality differs from the chunk before
 * @param qualitySequence the quality index of every chunk, chunk 0 included, one digit each
 */
public record TraceResult(
    String trace,
    double qoeSum,
    double meanBitrateKbps,
    double rebufferS,
    int switches,
    String qualitySequence) {

  /** Number of chunks scored. */
  public static final int SCORED_CHUNKS = TraceSimulator.TOTAL_CHUNKS - 1;

  /** The mean per-chunk QoE_lin: {@link #qoeSum()} / 47. */
  public double qoePerChunk() {
    return qoeSum / SCORED_CHUNKS;
  }
}
