/**
 * The load-test harness: thousands of paced, ABR-switching simulated viewers against a real HLS
 * origin.
 *
 * <p>Entry types: {@link io.abrfetch.player.load.LoadOptions} (what to run),
 * {@link io.abrfetch.player.load.LoadRun} (one process's share of a run),
 * {@link io.abrfetch.player.load.LoadMetrics} (exact, mergeable histograms and counters) and
 * {@link io.abrfetch.player.load.LoadTestCommand} (the {@code loadtest} subcommand).
 *
 * <p>Threading: a viewer is a state machine confined to one event loop (one {@code LoadShard} per
 * event loop owns its viewers, its HTTP client and its metrics); no viewer owns a thread. Values
 * ({@code LoadOptions}, {@code LoadSummary}, {@code LoadSample}) are immutable; {@code LoadMetrics}
 * and {@code LoadRun} are thread-safe.
 */
package io.abrfetch.player.load;
