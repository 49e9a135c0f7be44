package io.abrfetch.player;

import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.fetcher.hls.HlsSessionOptions;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code abrfetch play URL}: plays an HLS stream with the {@link HeadlessPlayer}, shows a live
 * status, optionally writes the played media to a file or stdout, and ends with a QoE summary
 * (text, or one JSON object with {@code --json}).
 *
 * <p>Streams: with {@code --json} stdout carries only the JSON object; with {@code --output -} it
 * carries only the media. The status and messages then go to stderr.
 *
 * <p>Exit codes: 0 played, 1 playback failed (one line on stderr naming the failure's kind), 2 bad
 * arguments or a URL that cannot be opened.
 */
@Command(
    name = "play",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Plays an HLS stream (master or media playlist) like a player would: ABR, buffer, stalls,",
        "QoE. Shows a live status line; --output writes the played media (init section, then",
        "segments, a new init section at a switch) to a file or to stdout (-)."})
public final class PlayCommand implements Callable<Integer> {
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "http(s) URL of the playlist.")
  String url;

  @Option(names = "--output", paramLabel = "FILE|-",
      description = "Write the played media (the variant stream) to FILE, or to stdout with -.")
  String output;

  @Option(names = "--duration", paramLabel = "S",
      description = "Stop after S seconds of media played (default: to the end; live: Ctrl-C).")
  Double durationS;

  @Option(names = "--policy", paramLabel = "NAME", defaultValue = "default",
      completionCandidates = AbrBenchCommand.PolicyNames.class,
      description = "ABR policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--json", description = "Print one JSON object with the QoE at the end.")
  boolean json;

  @Option(names = "--buffer", paramLabel = "S", defaultValue = "30",
      description = "Target buffer (look-ahead) in seconds (default: ${DEFAULT-VALUE}).")
  double bufferS;

  @Option(names = "--no-audio", description = "Do not open an alternate audio rendition.")
  boolean noAudio;

  @Option(names = "--report", paramLabel = "FILE",
      description = "Also write an HTML report of the session to FILE.")
  Path report;

  @Option(names = "--rate", paramLabel = "X", defaultValue = "1",
      description = "Playback speed: 1 = real time (default); above 1 plays VOD faster.")
  double rate;

  @Override
  public Integer call() throws Exception {
    validate();
    boolean mediaToStdout = "-".equals(output);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter info = json || mediaToStdout ? err : out;
    HeadlessPlayerOptions options = HeadlessPlayerOptions.builder()
        .session(HlsSessionOptions.builder().targetBufferUs(Math.round(bufferS * 1e6))
            .audioEnabled(!noAudio).build())
        .clock(PlaybackClockOptions.builder().playbackRate(rate).build())
        .maxPlayDurationUs(durationS == null ? 0 : Math.round(durationS * 1e6))
        .build();
    Vertx vertx = Vertx.vertx();
    try {
      MediaSink sink = output == null ? MediaSink.discard()
          : mediaToStdout ? MediaSink.toStream(vertx, stdout())
          : MediaSink.toFile(vertx, Path.of(output));
      StatusLine status = new StatusLine(info, StatusLine.onTerminal());
      CommandPlayback.Outcome outcome = CommandPlayback.run(vertx, url,
          CommandPlayback.controller(policy), options, sink, status);
      if (outcome.startFailed()) {
        err.println("play: cannot open " + url + ": " + CommandPlayback.describe(outcome.failure()));
        err.flush();
        return EXIT_USAGE;
      }
      if (!outcome.succeeded()) {
        err.println("play: playback failed: " + CommandPlayback.describe(outcome.failure()));
        err.flush();
        return EXIT_FAILED;
      }
      PlayerResult result = outcome.result();
      if (report != null) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("url", url);
        parameters.put("policy", policy);
        HtmlReport.forPlayback("abrfetch play", parameters, result.timeline()).writeTo(report);
      }
      if (json) {
        JsonOutput.print(mediaToStdout ? err : out, result.toJson().put("policy", policy));
      } else {
        info.println(summary(result));
        if (report != null) {
          info.println("report: " + report.toAbsolutePath());
        }
        info.flush();
      }
      return 0;
    } finally {
      CommandPlayback.awaitQuietly(vertx.close());
    }
  }

  private void validate() {
    String problem = HeadlessPlayer.checkUrl(url);
    if (problem != null) {
      throw usage("URL: " + url + " (expected: " + problem + ")");
    }
    if (durationS != null && !(durationS > 0 && durationS < 1e9)) {
      throw usage("--duration: " + durationS + " (expected: seconds > 0)");
    }
    if (!(bufferS >= 1 && bufferS <= 3600)) {
      throw usage("--buffer: " + bufferS + " (expected: 1..3600 seconds)");
    }
    if (!(rate > 0 && rate <= 100)) {
      throw usage("--rate: " + rate + " (expected: > 0 and <= 100)");
    }
    try {
      AbrPolicy.named(policy);
    } catch (IllegalArgumentException e) {
      throw usage("--policy: '" + policy + "' (expected: one of " + AbrPolicy.NAMES + ")");
    }
    if (output != null && !output.equals("-")) {
      OutputFiles.checkWritable(spec.commandLine(), "--output", Path.of(output));
    }
    if (report != null) {
      OutputFiles.checkWritable(spec.commandLine(), "--report", report);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** The process's stdout as a byte stream (the media goes there raw). */
  static PrintStream stdout() {
    return System.out;
  }

  /** One line: what was played, startup, stalls, mean bitrate, switches, segments, bytes. */
  static String summary(PlayerResult r) {
    QoeSummary q = r.qoe();
    return String.format(Locale.ROOT,
        "played %.1f s (%s) in %.1f s: startup %s, %d stall%s (%.1f s), mean bitrate %.0f kbit/s,"
            + " %d switch%s, %d segments, %.1f MB, QoE_lin %.3f per chunk",
        r.playedUs() / 1e6, r.endReason(), q.sessionUs() / 1e6,
        q.hasStarted() ? q.startupMs() + " ms" : "never", q.stallCount(),
        q.stallCount() == 1 ? "" : "s", q.stallUs() / 1e6, q.meanBitrateKbps(), q.switches(),
        q.switches() == 1 ? "" : "es", r.segments(), r.bytes() / 1e6, q.qoeLinPerChunk());
  }
}
