package io.abrfetch.player;

import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.origin.BandwidthTrace;
import io.abrfetch.origin.LadderOptions;
import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginException;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.abrfetch.origin.SyntheticLadder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code abrfetch demo}: the whole stack on one machine with no arguments. An embedded origin
 * serves a synthetic ladder ({@link #LADDER_BPS}, 2 s segments, an alternate audio rendition)
 * behind a link that replays a bandwidth trace with drops and recoveries (the built-in
 * {@value #BUILT_IN_TRACE} unless {@code --trace}); the {@link HeadlessPlayer} plays it in real
 * time with a live status line; then an HTML report with the charts is written and a summary
 * printed.
 *
 * <p>Exit codes: 0 done, 1 playback failed, 2 bad arguments (an unreadable trace included).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Plays a synthetic HLS ladder from an embedded origin over a link that replays a",
        "bandwidth trace (drops and recoveries), shows live progress, and writes an HTML report",
        "with bitrate, buffer, estimate and throughput charts. No arguments needed."})
public final class DemoCommand implements Callable<Integer> {
  /** The video ladder, bits per second. */
  static final List<Long> LADDER_BPS =
      List.of(300_000L, 750_000L, 1_200_000L, 2_500_000L, 4_000_000L, 6_000_000L);
  static final long SEGMENT_US = 2_000_000;
  static final long AUDIO_BITRATE_BPS = 128_000;
  /** The trace replayed by default, a resource of this package. */
  static final String BUILT_IN_TRACE = "demo-trace.txt";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "60",
      description = "How long to play, in seconds of media (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--trace", paramLabel = "FILE",
      description = "Bandwidth trace to replay: 'time_s throughput_Mbps' per line, looping"
          + " (default: the built-in one).")
  Path trace;

  @Option(names = "--policy", paramLabel = "NAME", defaultValue = "default",
      completionCandidates = AbrBenchCommand.PolicyNames.class,
      description = "ABR policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--json", description = "Print one JSON object with the QoE at the end.")
  boolean json;

  @Option(names = "--report", paramLabel = "FILE", defaultValue = "abrfetch-report.html",
      description = "Where to write the HTML report (default: ${DEFAULT-VALUE}).")
  Path report;

  @Override
  public Integer call() throws Exception {
    if (!(seconds >= 1 && seconds <= 24 * 3600)) {
      throw usage("--seconds: " + seconds + " (expected: 1..86400)");
    }
    try {
      AbrPolicy.named(policy);
    } catch (IllegalArgumentException e) {
      throw usage("--policy: '" + policy + "' (expected: one of " + AbrPolicy.NAMES + ")");
    }
    OutputFiles.checkWritable(spec.commandLine(), "--report", report);
    BandwidthTrace bandwidth;
    try {
      bandwidth = trace == null ? builtInTrace() : BandwidthTrace.load(trace);
    } catch (OriginException e) {
      throw usage("--trace: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter info = json ? err : out;
    Vertx vertx = Vertx.vertx();
    OriginServer origin = null;
    try {
      origin = CommandPlayback.await(OriginServer.start(vertx, OriginOptions.builder()
          .ladder(ladder(seconds))
          .shaping(LinkShaping.trace(bandwidth, LinkShaping.Scope.SHARED))
          .build()));
      String traceName = trace == null ? "built-in " + BUILT_IN_TRACE : trace.toString();
      info.printf(Locale.ROOT, "demo: %s on %s, link replaying %s (mean %.1f Mbit/s), policy %s,"
              + " %.0f s%n", ladderText(), origin.masterPlaylistUrl(), traceName,
          bandwidth.meanRateBps() / 1e6, policy, seconds);
      info.flush();
      warmUp(vertx, origin);
      HeadlessPlayerOptions options = HeadlessPlayerOptions.builder()
          .maxPlayDurationUs(Math.round(seconds * 1e6))
          .build();
      CommandPlayback.Outcome outcome = CommandPlayback.run(vertx, origin.masterPlaylistUrl(),
          CommandPlayback.controller(policy), options, MediaSink.discard(),
          new StatusLine(info, StatusLine.onTerminal()));
      if (!outcome.succeeded()) {
        err.println("demo: playback failed: " + CommandPlayback.describe(outcome.failure()));
        err.flush();
        return PlayCommand.EXIT_FAILED;
      }
      PlayerResult result = outcome.result();
      Map<String, String> parameters = new LinkedHashMap<>();
      parameters.put("stream", ladderText() + ", " + SEGMENT_US / 1_000_000 + " s segments,"
          + " alternate audio " + AUDIO_BITRATE_BPS / 1_000 + " kbit/s (embedded origin)");
      parameters.put("link", traceName + String.format(Locale.ROOT,
          ", mean %.2f Mbit/s, looping every %.0f s", bandwidth.meanRateBps() / 1e6,
          bandwidth.periodS()));
      parameters.put("policy", policy);
      parameters.put("played for", String.format(Locale.ROOT, "%.0f s", seconds));
      HtmlReport.forPlayback("abrfetch demo", parameters, result.timeline()).writeTo(report);
      int up = result.upSwitches();
      int down = result.downSwitches();
      if (json) {
        JsonOutput.print(out, result.toJson()
            .put("policy", policy)
            .put("trace", traceName)
            .put("report", report.toAbsolutePath().toString()));
      } else {
        info.println(PlayCommand.summary(result));
        info.printf(Locale.ROOT, "switches: %d up, %d down%n", up, down);
        info.println("report: " + report.toAbsolutePath());
        info.flush();
      }
      return 0;
    } finally {
      if (origin != null) {
        CommandPlayback.awaitQuietly(origin.close());
      }
      CommandPlayback.awaitQuietly(vertx.close());
    }
  }

  /**
   * One request to the embedded origin before playing, so the startup time the report shows is
   * the stream's, not the JVM loading its HTTP classes (seconds on a busy machine).
   */
  static void warmUp(Vertx vertx, OriginServer origin) {
    HttpClient client = vertx.createHttpClient();
    CommandPlayback.awaitQuietly(client.request(HttpMethod.GET, origin.port(), "127.0.0.1",
            SyntheticLadder.MASTER_PATH)
        .compose(request -> request.send())
        .compose(HttpClientResponse::body)
        .eventually(client::close));
  }

  /** The demo's ladder: VOD long enough for {@code seconds} plus a full buffer. */
  static LadderOptions ladder(double seconds) {
    int segments = (int) Math.ceil((seconds + 60) * 1e6 / SEGMENT_US);
    return LadderOptions.builder()
        .bitratesBps(LADDER_BPS)
        .segmentDurationUs(SEGMENT_US)
        .vodSegmentCount(segments)
        .audioRenditions(1)
        .audioBitrateBps(AUDIO_BITRATE_BPS)
        .build();
  }

  static String ladderText() {
    return LADDER_BPS.size() + " variants of " + LADDER_BPS.stream()
        .map(bps -> String.valueOf(bps / 1_000)).collect(Collectors.joining(", ")) + " kbit/s";
  }

  /** The built-in trace, read from this package's resources. */
  static BandwidthTrace builtInTrace() {
    try (InputStream in = DemoCommand.class.getResourceAsStream(BUILT_IN_TRACE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + BUILT_IN_TRACE + " missing from the jar");
      }
      return BandwidthTrace.parse(BUILT_IN_TRACE, new String(in.readAllBytes(),
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

}
