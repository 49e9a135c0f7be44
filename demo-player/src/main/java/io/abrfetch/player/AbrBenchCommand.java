package io.abrfetch.player;

import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.abr.sim.ChunkSizes;
import io.abrfetch.abr.sim.PolicyResult;
import io.abrfetch.abr.sim.QoeBenchmark;
import io.abrfetch.abr.sim.Trace;
import io.abrfetch.abr.sim.TraceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code abr-bench}: runs ABR policies over a folder of throughput traces through the trace
 * simulator and prints, per policy, the mean per-chunk QoE_lin, the mean bitrate, and the stall
 * and switches per trace.
 *
 * <p>Exit codes: 0 done, 2 bad arguments (picocli), 3 unreadable traces or chunk sizes.
 */
@Command(
    name = "abr-bench",
    mixinStandardHelpOptions = true,
    description = {
      "Runs ABR policies over every trace of a folder (sorted by file name) with the",
      "Pensieve-style chunk simulator and prints QoE_lin per policy."
    })
public final class AbrBenchCommand implements Callable<Integer> {
  static final int EXIT_BAD_DATA = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--traces", required = true, paramLabel = "DIR",
      description = "Folder of traces: 'time_s throughput_Mbps' per line.")
  Path tracesDir;

  @Option(names = "--video", required = true, paramLabel = "DIR",
      description = "Folder with video_size_0 .. video_size_5 (chunk sizes in bytes).")
  Path videoDir;

  @Option(names = "--policy", paramLabel = "NAME",
      description = "Policy to run, repeatable (default: all). One of: ${COMPLETION-CANDIDATES}",
      completionCandidates = PolicyNames.class)
  List<String> policies = new ArrayList<>();

  @Option(names = "--json", description = "End the output with one JSON object line.")
  boolean json;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads (default: available processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  /** The policy names, for picocli's completion and help. */
  static final class PolicyNames extends ArrayList<String> {
    PolicyNames() {
      super(AbrPolicy.NAMES);
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (threads < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--threads: " + threads + " (expected: >= 1)");
    }
    List<AbrPolicy> selected = new ArrayList<>();
    for (String name : policies.isEmpty() ? AbrPolicy.NAMES : policies) {
      try {
        selected.add(AbrPolicy.named(name));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    if (!Files.isDirectory(tracesDir)) {
      err.println("--traces: " + tracesDir + " is not a folder");
      return EXIT_BAD_DATA;
    }
    List<Trace> traces;
    ChunkSizes sizes;
    QoeBenchmark benchmark;
    try {
      traces = Trace.loadFolder(tracesDir);
      sizes = ChunkSizes.load(videoDir);
      benchmark = QoeBenchmark.create(sizes);
    } catch (TraceException | IllegalArgumentException e) {
      err.println("abr-bench: " + e.getMessage());
      return EXIT_BAD_DATA;
    }
    if (traces.isEmpty()) {
      err.println("--traces: " + tracesDir + " holds no trace file");
      return EXIT_BAD_DATA;
    }
    long startNanos = System.nanoTime();
    List<PolicyResult> results = new ArrayList<>(selected.size());
    for (AbrPolicy policy : selected) {
      results.add(benchmark.run(policy, traces, threads));
    }
    double elapsedS = (System.nanoTime() - startNanos) / 1e9;
    out.println(table(traces.size(), results));
    out.printf(Locale.ROOT, "%d traces, %d policies, %.1f s%n", traces.size(), results.size(),
        elapsedS);
    if (json) {
      out.println(toJson(traces.size(), results).encode());
    }
    out.flush();
    return 0;
  }

  /** The results as a fixed-width table, one line per policy. */
  static String table(int traceCount, List<PolicyResult> results) {
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "%-18s %12s %14s %14s %14s%n", "policy",
        "qoe/chunk", "bitrate kbps", "rebuffer s/tr", "switches/tr"));
    for (PolicyResult result : results) {
      text.append(String.format(Locale.ROOT, "%-18s %12.4f %14.1f %14.3f %14.2f%n",
          result.policy(), result.qoePerChunk(), result.bitrateKbps(), result.rebufferS(),
          result.switches()));
    }
    return text.toString().stripTrailing();
  }

  /** {@code {"traces": N, "results": [{"policy", "qoePerChunk", ...}]}}. */
  static JsonObject toJson(int traceCount, List<PolicyResult> results) {
    JsonArray array = new JsonArray();
    for (PolicyResult result : results) {
      array.add(new JsonObject()
          .put("policy", result.policy())
          .put("qoePerChunk", result.qoePerChunk())
          .put("bitrateKbps", result.bitrateKbps())
          .put("rebufferS", result.rebufferS())
          .put("switches", result.switches()));
    }
    return new JsonObject().put("traces", traceCount).put("results", array);
  }
}
