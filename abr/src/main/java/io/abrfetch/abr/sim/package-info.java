/**
 * The trace benchmark: a bit-exact Java port of Pensieve's deterministic chunk simulator
 * ({@link io.abrfetch.abr.sim.TraceSimulator}), trace and chunk-size loading, and the QoE_lin
 * harness ({@link io.abrfetch.abr.sim.QoeBenchmark}) that drives any
 * {@link io.abrfetch.abr.AbrPolicy} through the same views the live controller builds.
 *
 * <p>Threading: a {@code TraceSimulator} is confined to its caller; {@code QoeBenchmark},
 * {@code Trace} and {@code ChunkSizes} are immutable and thread-safe, and the benchmark runs
 * traces on several threads unless a policy reads earlier sessions.
 */
package io.abrfetch.abr.sim;
