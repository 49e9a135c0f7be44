package io.abrfetch.player.load;

import io.abrfetch.abr.AbrPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code abrfetch loadtest URL --viewers N --duration S [--ramp S] [--report FILE.html] [--json]}:
 * runs N paced ABR viewers against an HLS master playlist, shows a live progress line on stderr,
 * prints a summary table at the end, optionally writes an HTML report with charts over time and
 * ends stdout with one JSON object.
 *
 * <p>Exit status: 0 when the run completed (also when the origin failed requests: they are the
 * result), 2 for bad arguments, 1 when the harness itself failed.
 *
 * <p>Extensions ({@link LoadTestExtension}, found with {@link ServiceLoader}) add their options as
 * mixins and may supply the {@link LoadFleet} that runs the viewers (cluster mode).
 *
 * <p>Threading: {@link #call()} runs on the main thread and blocks it while the run lasts; the
 * viewers run on Vert.x event loops.
 */
@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    description = "Load-test an HLS origin with paced, ABR-switching simulated viewers.",
    sortOptions = false,
    modelTransformer = LoadTestCommand.Extensions.class)
public final class LoadTestCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "URL", description = "The master playlist URL.")
  String url;

  @Option(names = "--viewers", paramLabel = "N", defaultValue = "10",
      description = "Viewers (default: ${DEFAULT-VALUE}).")
  int viewers;

  @Option(names = "--duration", paramLabel = "S", defaultValue = "60",
      description = "Run length in seconds from the start (default: ${DEFAULT-VALUE}).")
  double durationS;

  @Option(names = "--ramp", paramLabel = "S", defaultValue = "0",
      description = "Ramp-up: viewer i starts at i x S / N (default: ${DEFAULT-VALUE}).")
  double rampS;

  @Option(names = "--start-spread", paramLabel = "S", defaultValue = "0",
      description = "Each start is delayed by a further random 0..S (default: ${DEFAULT-VALUE}).")
  double startSpreadS;

  @Option(names = "--vod-start-spread", paramLabel = "F", defaultValue = "0",
      description = "VOD viewers start at a random position in the first F (0..1) of the stream"
          + " (default: ${DEFAULT-VALUE}).")
  double vodStartSpread;

  @Option(names = "--live-edge", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Live viewers start 3 target durations from the end (RFC 8216 6.3.3);"
          + " --no-live-edge starts at the window's first segment (default: ${DEFAULT-VALUE}).")
  boolean liveEdge;

  @Option(names = "--buffer", paramLabel = "S", defaultValue = "30",
      description = "Buffer target in seconds of media (default: ${DEFAULT-VALUE}).")
  double bufferS;

  @Option(names = "--policy", paramLabel = "NAME", defaultValue = LoadOptions.DEFAULT_POLICY,
      description = "ABR policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      completionCandidates = PolicyNames.class)
  String policy;

  @Option(names = "--profile", paramLabel = "SPEC",
      description = "A client link class NAME=RATE[@WEIGHT] or NAME=trace:FILE[@WEIGHT], e.g."
          + " 3g=1.5M@2 cable=20M lte=trace:lte.log (repeatable; default: unlimited).")
  List<String> profiles = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "S", defaultValue = "10",
      description = "Request timeout: no response or no body bytes for S seconds"
          + " (default: ${DEFAULT-VALUE}).")
  double timeoutS;

  @Option(names = "--attempts", paramLabel = "N", defaultValue = "3",
      description = "Tries per segment or playlist before skipping it (default: ${DEFAULT-VALUE}).")
  int attempts;

  @Option(names = "--retry-delay", paramLabel = "S", defaultValue = "0.5",
      description = "First retry delay, doubled per attempt (default: ${DEFAULT-VALUE}).")
  double retryDelayS;

  @Option(names = "--no-abandon", description = "Never abandon a slow segment download.")
  boolean noAbandon;

  @Option(names = "--connections-per-loop", paramLabel = "N", defaultValue = "512",
      description = "HTTP connections per event loop (default: ${DEFAULT-VALUE}).")
  int connectionsPerLoop;

  @Option(names = "--event-loops", paramLabel = "N", defaultValue = "0",
      description = "Event loops to spread viewers across, 0 = one per core"
          + " (default: ${DEFAULT-VALUE}).")
  int eventLoops;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seeds start spreads, VOD positions and profile draws (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--report", paramLabel = "FILE.html", description = "Write an HTML report.")
  Path report;

  @Option(names = "--json", description = "End stdout with one JSON object of the results.")
  boolean json;

  @Option(names = "--no-progress", description = "No progress line on stderr.")
  boolean noProgress;

  @Option(names = "--measure-heap", hidden = true,
      description = "Benchmarks: after the ramp, force a GC and report heap bytes per viewer.")
  boolean measureHeap;

  /** Set by {@link #showProgress} when {@link #measureHeap} is on; -1 until measured. */
  private volatile long heapBytesPerViewer = -1;
  private long baselineHeapBytes;
  /**
   * The start of the steady state, one second after the heap probe (its full GC pauses the event
   * loops): process CPU, requests and the scheduling-lag histogram then.
   */
  private long steadyFromEpochMs = Long.MAX_VALUE;
  private volatile boolean steadyMarked;
  private long steadyCpuNanos;
  private long steadyRequests;
  private org.HdrHistogram.Histogram steadyLagUs;

  /** Picocli policy name candidates. */
  static final class PolicyNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    PolicyNames() {
      super(AbrPolicy.NAMES);
    }
  }

  /** Adds every {@link LoadTestExtension} on the class path as a mixin. */
  public static final class Extensions implements CommandLine.IModelTransformer {
    @Override
    public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec commandSpec) {
      for (LoadTestExtension extension : ServiceLoader.load(LoadTestExtension.class)) {
        commandSpec.addMixin(extension.name(),
            CommandLine.Model.CommandSpec.forAnnotatedObject(extension));
      }
      return commandSpec;
    }
  }

  @Override
  public Integer call() throws Exception {
    LoadOptions options = options();
    LoadFleet fleet = fleet();
    if (url == null && fleet.needsUrl()) {
      throw usage("URL: missing (expected: the master playlist URL, e.g."
          + " http://127.0.0.1:8080/hls/master.m3u8)");
    }
    if (url != null) {
      try {
        LoadRun.checkUrl(url);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Vertx vertx = fleet.createVertx(new VertxOptions()).await();
    try {
      if (measureHeap) {
        baselineHeapBytes = HeapProbe.usedAfterGcBytes();
      }
      long startAtEpochMs = System.currentTimeMillis() + 200;
      LoadExecution execution = fleet.start(vertx, url, options, startAtEpochMs).await();
      Thread hook = new Thread(() -> {
        try {
          execution.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          // Exiting anyway.
        }
      }, "loadtest-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        showProgress(execution, err, startAtEpochMs + options.rampUpMs()
            + options.startSpreadMs() + 3_000);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the hook stopped the run.
        }
      }
      LoadMetrics metrics = execution.completion().await();
      if (fleet.reportsResults()) {
        report(out, options, fleet, execution, metrics);
      }
      return 0;
    } finally {
      vertx.close().await();
    }
  }

  private void showProgress(LoadExecution execution, PrintWriter err, long heapProbeAtEpochMs)
      throws InterruptedException {
    boolean terminal = System.console() != null;
    int printed = 0;
    long lastPlainMs = 0;
    while (!execution.completion().isComplete()) {
      Thread.sleep(250);
      if (measureHeap && heapBytesPerViewer < 0
          && System.currentTimeMillis() >= heapProbeAtEpochMs) {
        long viewersActive = execution.snapshot().activeViewers();
        long used = HeapProbe.usedAfterGcBytes();
        heapBytesPerViewer = viewersActive == 0 ? 0 : (used - baselineHeapBytes) / viewersActive;
        steadyFromEpochMs = System.currentTimeMillis() + 1_000;
      }
      if (measureHeap && !steadyMarked && System.currentTimeMillis() >= steadyFromEpochMs) {
        LoadMetrics now = execution.snapshot();
        steadyCpuNanos = HeapProbe.processCpuNanos();
        steadyRequests = now.requests();
        steadyLagUs = now.schedulingLagUs();
        steadyMarked = true;
      }
      List<LoadSample> timeline = execution.timeline();
      if (noProgress || timeline.size() == printed) {
        continue;
      }
      printed = timeline.size();
      LoadSample last = timeline.get(timeline.size() - 1);
      String line = LoadReport.progressLine(last, execution.snapshot());
      if (terminal) {
        err.print("\r" + line);
        err.flush();
      } else if (last.elapsedMs() - lastPlainMs >= 5_000) {
        lastPlainMs = last.elapsedMs();
        err.println(line);
        err.flush();
      }
    }
    if (terminal && !noProgress && printed > 0) {
      err.println();
      err.flush();
    }
  }

  private void report(PrintWriter out, LoadOptions options, LoadFleet fleet,
      LoadExecution execution, LoadMetrics metrics) throws java.io.IOException {
    out.print(LoadReport.summaryTable(metrics, execution.notes()));
    if (report != null) {
      LoadReport.html(url == null ? "" : url, options, fleet.description(), metrics,
          execution.timeline(), execution.notes()).writeTo(report);
      out.println("report written to " + report);
    }
    if (json) {
      JsonObject result = resultJson(metrics).mergeIn(execution.resultJson())
          .put("processCpuS", HeapProbe.processCpuNanos() / 1e9);
      if (measureHeap) {
        result.put("heapBytesPerViewer", heapBytesPerViewer);
        // After the ramp and the probe: without JVM start, JIT warm-up and the ramp's burst.
        long requestsSince = metrics.requests() - steadyRequests;
        if (steadyMarked && requestsSince > 0) {
          result.put("steadyCpuMsPer1kRequests",
              (HeapProbe.processCpuNanos() - steadyCpuNanos) / 1e6 / requestsSince * 1000);
          org.HdrHistogram.Histogram lagUs = metrics.schedulingLagUs();
          lagUs.subtract(steadyLagUs);
          result.put("steadyLagMsP99", LoadMetrics.ms(lagUs, 99));
          result.put("steadyLagMsMax",
              lagUs.getTotalCount() == 0 ? 0 : lagUs.getMaxValue() / 1000.0);
        }
      }
      out.println(result.encode());
    }
    out.flush();
  }

  /** The {@code --json} object: the summary's fields plus errors by kind and status. */
  static JsonObject resultJson(LoadMetrics metrics) {
    JsonObject result = metrics.summary().toJson();
    JsonObject kinds = new JsonObject();
    metrics.errorsByKind().forEach(kinds::put);
    JsonObject statuses = new JsonObject();
    metrics.errorsByStatus().forEach((status, count) -> statuses.put(status.toString(), count));
    return result.put("errorsByKind", kinds).put("errorsByStatus", statuses);
  }

  private LoadFleet fleet() {
    for (Object mixin : spec.mixins().values().stream()
        .map(CommandLine.Model.CommandSpec::userObject).toList()) {
      if (mixin instanceof LoadTestExtension extension) {
        Optional<LoadFleet> fleet = extension.fleet();
        if (fleet.isPresent()) {
          return fleet.get();
        }
      }
    }
    return LoadFleet.local();
  }

  /** The options, checked; bad input becomes a picocli {@link CommandLine.ParameterException}. */
  LoadOptions options() {
    try {
      List<BandwidthProfile> parsed = new ArrayList<>();
      for (String profile : profiles) {
        BandwidthProfile p = BandwidthProfile.parse(profile);
        if (p.traceFileOrNull() != null && !Files.isReadable(Path.of(p.traceFileOrNull()))) {
          throw new IllegalArgumentException("--profile " + profile + ": trace file "
              + p.traceFileOrNull() + " is not readable");
        }
        parsed.add(p);
      }
      if (parsed.isEmpty()) {
        parsed.add(BandwidthProfile.unlimited());
      }
      return LoadOptions.builder()
          .viewers(viewers)
          .durationMs(millis("--duration", durationS, 0.001))
          .rampUpMs(millis("--ramp", rampS, 0))
          .startSpreadMs(millis("--start-spread", startSpreadS, 0))
          .vodStartSpread(vodStartSpread)
          .liveEdgeStart(liveEdge)
          .targetBufferUs(millis("--buffer", bufferS, 0.1) * 1000)
          .policy(policy)
          .profiles(parsed)
          .requestTimeoutMs(millis("--timeout", timeoutS, 0.001))
          .maxAttempts(attempts)
          .retryDelayMs(millis("--retry-delay", retryDelayS, 0))
          .abandonment(!noAbandon)
          .maxConnectionsPerLoop(connectionsPerLoop)
          .eventLoops(eventLoops)
          .seed(seed)
          .build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private static long millis(String option, double seconds, double minimumS) {
    if (!(seconds >= minimumS) || Double.isInfinite(seconds) || seconds > 365 * 86_400.0) {
      throw new IllegalArgumentException(
          option + ": " + seconds + " (expected: seconds >= " + minimumS + ")");
    }
    return Math.round(seconds * 1000);
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
