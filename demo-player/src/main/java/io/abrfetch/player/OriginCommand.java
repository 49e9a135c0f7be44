package io.abrfetch.player;

import io.abrfetch.origin.BandwidthTrace;
import io.abrfetch.origin.Fault;
import io.abrfetch.origin.LadderOptions;
import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginException;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code abrfetch origin}: runs an {@link OriginServer} serving a synthetic HLS ladder and/or a
 * directory on 127.0.0.1, with optional bandwidth shaping and faults, until interrupted.
 */
@Command(
    name = "origin",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a real HLS origin that can lie: a synthetic ladder (--synthetic) under /hls/ and/or a"
            + " directory under /, deterministic blobs under /bytes/{size}[/{name}], shaped and"
            + " faulted on request. Prints its URL and runs until Ctrl-C."},
    sortOptions = false)
public final class OriginCommand implements Callable<Integer> {

  /** Bitrates used when only {@code --variants} is given. */
  static final List<Long> DEFAULT_LADDER_BPS = List.of(400_000L, 1_200_000L, 2_500_000L,
      5_000_000L, 8_000_000L, 12_000_000L, 16_000_000L, 20_000_000L);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "A directory to serve under /.")
  Path directory;

  @Option(names = "--synthetic", description = "Serve a synthetic ladder under /hls/ (master: /hls/master.m3u8).")
  boolean synthetic;

  @Option(names = "--variants", description = "Video variants (default: ${DEFAULT-VALUE}, or as many as --bitrates).",
      defaultValue = "4")
  int variants;

  @Option(names = "--bitrates", split = ",", paramLabel = "BPS",
      description = "Video bitrates in bit/s, ascending, e.g. 400000,1200000,2500000.")
  List<Long> bitratesBps;

  @Option(names = "--segment-s", defaultValue = "4", description = "Segment duration in seconds (default: ${DEFAULT-VALUE}).")
  double segmentS;

  @Option(names = "--live", description = "Live stream: a sliding window advancing in real time.")
  boolean live;

  @Option(names = "--window", defaultValue = "6", description = "Live window in segments (default: ${DEFAULT-VALUE}).")
  int windowSegments;

  @Option(names = "--vod-segments", defaultValue = "30", description = "Segments in a VOD stream (default: ${DEFAULT-VALUE}).")
  int vodSegments;

  @Option(names = "--init", description = "EXT-X-MAP init segments (fMP4 naming).")
  boolean init;

  @Option(names = "--byte-range", description = "One file per track, segments as EXT-X-BYTERANGE.")
  boolean byteRange;

  @Option(names = "--aes", description = "AES-128 encrypted segments with keys at {track}/key{k}.key.")
  boolean aes;

  @Option(names = "--key-rotation", defaultValue = "0", description = "A new key every N segments, 0 = never (default: ${DEFAULT-VALUE}).")
  int keyRotationSegments;

  @Option(names = "--audio", description = "An alternate audio rendition (group \"audio\").")
  boolean audio;

  @Option(names = "--rate-bps", description = "Shape bodies to this many bit/s.")
  Long rateBps;

  @Option(names = "--trace", description = "Shape bodies by a replayed 'time_s throughput_Mbps' trace file.")
  Path trace;

  @Option(names = "--shared-link", description = "All connections share one shaped link (default: per connection).")
  boolean sharedLink;

  @Option(names = "--host", defaultValue = OriginOptions.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "Port, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic content (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--chunk-bytes", defaultValue = "16384", description = "Body chunk (and shaping) size (default: ${DEFAULT-VALUE}).")
  int chunkBytes;

  @Option(names = "--fault", paramLabel = "PREFIX=SPEC[*N]",
      description = {"Inject a fault into requests whose path starts with PREFIX, for ever or the next N.",
          "SPEC: delay:DUR, stall:BYTES:DUR, reset:BYTES, status:CODE[:RETRY_AFTER_DUR], html,"
              + " ignore-range, wrong-range, etag-change, short:BYTES, overlong:BYTES, redirect-loop;"
              + " DUR like 500ms, 2s."})
  List<String> faults = new ArrayList<>();

  @Option(names = "--random-faults", split = ",", paramLabel = "SPEC",
      description = "Seeded random schedule: each request gets one of these faults with --fault-probability.")
  List<String> randomFaults = new ArrayList<>();

  @Option(names = "--fault-probability", defaultValue = "0.1", description = "(default: ${DEFAULT-VALUE})")
  double faultProbability;

  @Option(names = "--fault-seed", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
  long faultSeed;

  private final RunUntilStopped running = new RunUntilStopped();

  @Override
  public Integer call() throws Exception {
    OriginOptions options = options();
    List<Consumer<OriginServer>> installs = faultInstalls();
    Vertx vertx = Vertx.vertx();
    OriginServer server;
    try {
      server = start(vertx, options, installs).await();
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(announcement(server));
    out.flush();
    // On Ctrl-C the JVM gives the server a moment to close its connections.
    OriginServer started = server;
    running.await("origin-shutdown", 5_000, () -> {
      try {
        started.close().await();
      } finally {
        vertx.close().await();
      }
    });
    return 0;
  }

  /** Makes a running {@link #call()} close its server and return. */
  public void stop() {
    running.stop();
  }

  /** Starts the origin these options describe on {@code vertx}, with its faults installed. */
  public Future<OriginServer> start(Vertx vertx) {
    return start(vertx, options(), faultInstalls());
  }

  /** The one line printed at start: the base URL, then the master playlist URL when synthetic. */
  static String announcement(OriginServer server) {
    String line = "origin listening on " + server.baseUrl();
    return server.masterPlaylistUrl() == null ? line : line + " master " + server.masterPlaylistUrl();
  }

  private static Future<OriginServer> start(Vertx vertx, OriginOptions options,
      List<Consumer<OriginServer>> installs) {
    return OriginServer.start(vertx, options).compose(server -> {
      try {
        installs.forEach(install -> install.accept(server));
        return Future.succeededFuture(server);
      } catch (RuntimeException e) {
        return server.close().transform(closed -> Future.<OriginServer>failedFuture(e));
      }
    });
  }

  /** The options, checked; bad input becomes a picocli {@link CommandLine.ParameterException}. */
  OriginOptions options() {
    if (!synthetic && directory == null) {
      throw usage("nothing to serve: expected --synthetic or a DIR (or both)");
    }
    if (directory != null && !java.nio.file.Files.isDirectory(directory)) {
      throw usage("DIR " + directory + ": not a directory");
    }
    if (rateBps != null && trace != null) {
      throw usage("--rate-bps and --trace: expected at most one");
    }
    try {
      OriginOptions.Builder builder = OriginOptions.builder()
          .host(host)
          .port(port)
          .directory(directory)
          .seed(seed)
          .chunkSizeBytes(chunkBytes);
      if (synthetic) {
        builder.ladder(ladder());
      }
      LinkShaping.Scope scope = sharedLink ? LinkShaping.Scope.SHARED : LinkShaping.Scope.PER_CONNECTION;
      if (rateBps != null) {
        builder.shaping(LinkShaping.fixedRate(rateBps, scope));
      } else if (trace != null) {
        builder.shaping(LinkShaping.trace(BandwidthTrace.load(trace), scope));
      }
      return builder.build();
    } catch (IllegalArgumentException | OriginException e) {
      throw usage(e.getMessage());
    }
  }

  private LadderOptions ladder() {
    List<Long> bitrates;
    if (bitratesBps != null && !bitratesBps.isEmpty()) {
      boolean variantsGiven = spec.commandLine().getParseResult() != null
          && spec.commandLine().getParseResult().hasMatchedOption("--variants");
      if (variantsGiven && variants != bitratesBps.size()) {
        throw usage("--variants " + variants + " but " + bitratesBps.size() + " --bitrates");
      }
      bitrates = bitratesBps;
    } else {
      if (variants < 1 || variants > DEFAULT_LADDER_BPS.size()) {
        throw usage("--variants " + variants + " (expected: 1.." + DEFAULT_LADDER_BPS.size()
            + ", or give --bitrates)");
      }
      bitrates = DEFAULT_LADDER_BPS.subList(0, variants);
    }
    return LadderOptions.builder()
        .bitratesBps(bitrates)
        .segmentDurationUs(Math.round(segmentS * 1_000_000))
        .live(live)
        .windowSegments(windowSegments)
        .vodSegmentCount(vodSegments)
        .initSegments(init)
        .byteRange(byteRange)
        .aes128(aes)
        .keyRotationSegments(keyRotationSegments)
        .audioRenditions(audio ? 1 : 0)
        .build();
  }

  /** Parses every fault option up front, so a typo fails before anything listens. */
  private List<Consumer<OriginServer>> faultInstalls() {
    List<Consumer<OriginServer>> installs = new ArrayList<>();
    try {
      for (String option : faults) {
        int equals = option.indexOf('=');
        if (equals <= 0) {
          throw usage("--fault " + option + " (expected: PREFIX=SPEC[*N])");
        }
        String prefix = option.substring(0, equals);
        if (!prefix.startsWith("/")) {
          throw usage("--fault " + option + ": prefix '" + prefix + "' (expected: starts with /)");
        }
        String specText = option.substring(equals + 1);
        int times = 0;
        int star = specText.lastIndexOf('*');
        if (star >= 0) {
          try {
            times = Integer.parseInt(specText.substring(star + 1));
          } catch (NumberFormatException e) {
            throw usage("--fault " + option + ": '" + specText.substring(star + 1)
                + "' (expected: a count after *)");
          }
          specText = specText.substring(0, star);
        }
        Fault fault = Fault.parse(specText);
        int count = times;
        installs.add(server -> {
          if (count > 0) {
            server.faults().add(prefix, fault, count);
          } else {
            server.faults().add(prefix, fault);
          }
        });
      }
      if (!randomFaults.isEmpty()) {
        List<Fault> drawn = randomFaults.stream().map(Fault::parse).toList();
        long seedValue = faultSeed;
        double probability = faultProbability;
        // Checked now rather than after the server is listening.
        if (!(probability >= 0 && probability <= 1)) {
          throw usage("--fault-probability " + probability + " (expected: 0..1)");
        }
        installs.add(server -> server.faults().randomly(seedValue, probability, drawn));
      }
    } catch (IllegalArgumentException | OriginException e) {
      throw usage(e.getMessage());
    }
    return installs;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
