package io.abrfetch.origin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A real HTTP origin that can lie: serves deterministic blobs under {@code /bytes/}, an optional
 * synthetic HLS ladder under {@code /hls/} and an optional directory under {@code /}, shaped and
 * faulted as configured.
 *
 * <p>The server runs as one verticle: all request handling, shaping and fault timing is confined
 * to that verticle's event loop. {@link #stats()} and {@link #faults()} are thread-safe, so tests
 * read and change them from their own thread. Start with {@link #start(Vertx, OriginOptions)};
 * {@link #close()} stops it and cancels its timers.
 */
public final class OriginServer {

  private final Vertx vertx;
  private final OriginOptions options;
  private final OriginStats stats;
  private final FaultPlan faults;
  private final SyntheticLadder ladderOrNull;
  private final String deploymentId;
  private final int port;
  private final GrpcFaultPlan grpcFaults;
  private final RangeReadStats grpcStats;

  private OriginServer(Vertx vertx, OriginOptions options, OriginStats stats, FaultPlan faults,
      SyntheticLadder ladderOrNull, String deploymentId, int port, GrpcFaultPlan grpcFaults,
      RangeReadStats grpcStats) {
    this.grpcFaults = grpcFaults;
    this.grpcStats = grpcStats;
    this.vertx = vertx;
    this.options = options;
    this.stats = stats;
    this.faults = faults;
    this.ladderOrNull = ladderOrNull;
    this.deploymentId = deploymentId;
    this.port = port;
  }

  /**
   * Starts an origin on {@code vertx}; completes once it listens. Fails with an
   * {@link OriginException} of kind {@code DIRECTORY} when the directory to serve is missing.
   */
  public static Future<OriginServer> start(Vertx vertx, OriginOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    OriginStats stats = new OriginStats(options.maxLogEntries());
    FaultPlan faults = new FaultPlan();
    long epochNanos = options.nanoClock().getAsLong();
    SyntheticLadder ladder = options.ladderOrNull() == null
        ? null
        : new SyntheticLadder(options.ladderOrNull(), options.seed(), options.nanoClock(),
            epochNanos);
    Future<Path> realDirectory = options.directoryOrNull() == null
        ? Future.succeededFuture()
        : vertx.executeBlocking(() -> realDirectory(options.directoryOrNull()), false);
    return realDirectory.compose(directory -> {
      List<ContentSource> sources = new ArrayList<>();
      sources.add(new BlobSource());
      if (ladder != null) {
        sources.add(new LadderSource(vertx, ladder));
      }
      if (directory != null) {
        sources.add(new DirectorySource(vertx, directory, "/"));
      }
      GrpcFaultPlan grpcFaults = new GrpcFaultPlan();
      RangeReadStats grpcStats = new RangeReadStats();
      OriginVerticle verticle = new OriginVerticle(options, stats, faults, sources, epochNanos,
          grpcFaults, grpcStats);
      return vertx.deployVerticle(verticle).map(id -> new OriginServer(vertx, options, stats,
          faults, ladder, id, verticle.port, grpcFaults, grpcStats));
    });
  }

  /** The port it listens on (the bound one when {@link OriginOptions#port()} is 0). */
  public int port() {
    return port;
  }

  /** {@code http://host:port}, no trailing slash. */
  public String baseUrl() {
    String host = options.host();
    String literal = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return "http://" + literal + ":" + port;
  }

  /** The synthetic master playlist's URL, or null without a ladder. */
  public String masterPlaylistUrl() {
    return ladderOrNull == null ? null : baseUrl() + SyntheticLadder.MASTER_PATH;
  }

  /** The synthetic ladder being served, or null; tests read segment plaintext and keys from it. */
  public SyntheticLadder ladder() {
    return ladderOrNull;
  }

  /** The options it was started with. */
  public OriginOptions options() {
    return options;
  }

  /** What it served; thread-safe. */
  public OriginStats stats() {
    return stats;
  }

  /** The faults it injects; thread-safe, changes apply to requests arriving afterwards. */
  public FaultPlan faults() {
    return faults;
  }

  /**
   * The faults injected into gRPC range-read streams served on this origin's own port (requests
   * with content type {@code application/grpc}); see {@code GRPC.md}. Thread-safe.
   */
  public GrpcFaultPlan grpcFaults() {
    return grpcFaults;
  }

  /** What the gRPC range-read streams on this origin's own port served; thread-safe. */
  public RangeReadStats grpcStats() {
    return grpcStats;
  }

  /** Stops listening, closes its connections and cancels its timers. */
  public Future<Void> close() {
    return vertx.undeploy(deploymentId);
  }

  private static Path realDirectory(Path directory) throws Exception {
    Path real;
    try {
      real = directory.toRealPath();
    } catch (java.io.IOException e) {
      throw new OriginException(OriginException.Kind.DIRECTORY,
          "directory " + directory + ": does not exist or cannot be read (" + e + ")", e);
    }
    if (!Files.isDirectory(real)) {
      throw new OriginException(OriginException.Kind.DIRECTORY,
          "directory " + directory + ": is not a directory");
    }
    return real;
  }

  /** Owns the HTTP server; everything it handles runs on its event loop. */
  private static final class OriginVerticle extends VerticleBase {
    private final OriginOptions options;
    private final OriginStats stats;
    private final FaultPlan faults;
    private final List<ContentSource> sources;
    private final long epochNanos;
    private final GrpcFaultPlan grpcFaults;
    private final RangeReadStats grpcStats;
    private OriginHttpHandler handler;
    private RangeReadOrigin.Front grpcFront;
    private HttpServer server;
    volatile int port;

    OriginVerticle(OriginOptions options, OriginStats stats, FaultPlan faults,
        List<ContentSource> sources, long epochNanos, GrpcFaultPlan grpcFaults,
        RangeReadStats grpcStats) {
      this.grpcFaults = grpcFaults;
      this.grpcStats = grpcStats;
      this.options = options;
      this.stats = stats;
      this.faults = faults;
      this.sources = sources;
      this.epochNanos = epochNanos;
    }

    @Override
    public Future<?> start() {
      handler = new OriginHttpHandler(vertx, options, stats, faults, sources, epochNanos);
      server = vertx.createHttpServer(new HttpServerOptions()
          .setHost(options.host())
          .setPort(options.port())
          .setTcpNoDelay(true)
          .setReuseAddress(true));
      server.connectionHandler(handler::connectionOpened);
      // gRPC range reads share the port, the content sources and the shaped links.
      grpcFront = new RangeReadOrigin.Front(vertx, options, faults, grpcFaults, grpcStats, sources,
          RangeReadOriginOptions.DEFAULT_MAX_MESSAGE_DATA_BYTES, handler::linkFor);
      server.requestHandler(RangeReadOrigin.sharedPortHandler(vertx, grpcFront, handler));
      return server.listen().onSuccess(listening -> port = listening.actualPort());
    }

    @Override
    public Future<?> stop() {
      handler.stopAll();
      grpcFront.stopAll();
      return server.close();
    }
  }
}
