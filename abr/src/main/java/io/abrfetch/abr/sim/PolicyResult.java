package io.abrfetch.abr.sim;

import java.util.List;

/**
 * One policy's results over a trace set: means over traces, and every trace's result.
 *
 * @param policy the policy's name
 * @param qoePerChunk mean over traces of the per-chunk QoE_lin (sum over chunks 1..47 / 47)
 * @param bitrateKbps mean over traces of the mean bitrate, kbps
 * @param rebufferS mean stall per trace, seconds
 * @param switches mean quality switches per trace
 * @param traces per-trace results, in trace order
 */
public record PolicyResult(
    String policy,
    double qoePerChunk,
    double bitrateKbps,
    double rebufferS,
    double switches,
    List<TraceResult> traces) {

  public PolicyResult {
    traces = List.copyOf(traces);
  }

  /** Aggregates per-trace results (at least one). */
  public static PolicyResult of(String policy, List<TraceResult> traces) {
    if (traces.isEmpty()) {
      throw new IllegalArgumentException("traces: empty (expected: at least one result)");
    }
    double qoe = 0;
    double bitrate = 0;
    double rebuffer = 0;
    double switches = 0;
    for (TraceResult result : traces) {
      qoe += result.qoePerChunk();
      bitrate += result.meanBitrateKbps();
      rebuffer += result.rebufferS();
      switches += result.switches();
    }
    int n = traces.size();
    return new PolicyResult(policy, qoe / n, bitrate / n, rebuffer / n, switches / n, traces);
  }
}
