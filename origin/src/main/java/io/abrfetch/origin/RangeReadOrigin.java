package io.abrfetch.origin;

import io.abrfetch.protocol.RangeReadGrpcService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The origin's gRPC front end: serves the {@code abrfetch.rangeread.v1.RangeRead} bidi service over
 * the same objects as an {@link OriginServer} (blobs under {@code /bytes/}, its synthetic ladder,
 * its directory), with the same bandwidth shaping, the HTTP fault plan's faults that have a stream
 * meaning, and gRPC faults of its own ({@link #faults()}).
 *
 * <p>Runs as its own verticle on its own port (HTTP/2 cleartext); every call, pump, link and timer
 * is confined to that verticle's event loop and never blocks it. {@link #stats()} and
 * {@link #faults()} are thread-safe. Start with {@link #start(Vertx, OriginServer,
 * RangeReadOriginOptions)}; {@link #close()} stops it. Closing the fronted {@link OriginServer}
 * does not close this one.
 */
public final class RangeReadOrigin {

  private final Vertx vertx;
  private final String host;
  private final GrpcFaultPlan faults;
  private final RangeReadStats stats;
  private final String deploymentId;
  private final int port;

  private RangeReadOrigin(Vertx vertx, String host, GrpcFaultPlan faults, RangeReadStats stats,
      String deploymentId, int port) {
    this.vertx = vertx;
    this.host = host;
    this.faults = faults;
    this.stats = stats;
    this.deploymentId = deploymentId;
    this.port = port;
  }

  /**
   * Starts a gRPC front end for {@code origin} on {@code vertx}; completes once it listens on the
   * origin's host. Fails with an {@link OriginException} of kind {@code DIRECTORY} when the
   * origin's directory has gone.
   */
  public static Future<RangeReadOrigin> start(Vertx vertx, OriginServer origin,
      RangeReadOriginOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(options, "options");
    OriginOptions originOptions = origin.options();
    Path directory = originOptions.directoryOrNull();
    Future<Path> realDirectory = directory == null
        ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          try {
            return directory.toRealPath();
          } catch (java.io.IOException e) {
            throw new OriginException(OriginException.Kind.DIRECTORY,
                "directory " + directory + ": does not exist or cannot be read (" + e + ")", e);
          }
        }, false);
    GrpcFaultPlan faults = new GrpcFaultPlan();
    RangeReadStats stats = new RangeReadStats();
    return realDirectory.compose(real -> {
      // The same sources, in the same precedence, as the HTTP side serves.
      List<ContentSource> sources = new ArrayList<>();
      sources.add(new BlobSource());
      if (origin.ladder() != null) {
        sources.add(new LadderSource(vertx, origin.ladder()));
      }
      if (real != null) {
        sources.add(new DirectorySource(vertx, real, "/"));
      }
      Front front = new Front(vertx, originOptions, origin.faults(), faults, stats, sources,
          options.maxMessageDataBytes(), null);
      FrontVerticle verticle = new FrontVerticle(front, originOptions.host(), options.port());
      return vertx.deployVerticle(verticle).map(id ->
          new RangeReadOrigin(vertx, originOptions.host(), faults, stats, id, verticle.port));
    });
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** The host it listens on (the fronted origin's). */
  public String host() {
    return host;
  }

  /** {@code grpc://host:port}, no trailing slash. */
  public String baseUri() {
    String literal = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return "grpc://" + literal + ":" + port;
  }

  /** The gRPC faults it injects; thread-safe, changes apply to streams opened afterwards. */
  public GrpcFaultPlan faults() {
    return faults;
  }

  /** What it served; thread-safe. */
  public RangeReadStats stats() {
    return stats;
  }

  /** Stops listening, resets its streams and cancels its timers. */
  public Future<Void> close() {
    return vertx.undeploy(deploymentId);
  }

  /** What every call of one front end shares. Confined to the front end's event loop. */
  static final class Front {
    final Vertx vertx;
    final OriginOptions options;
    final FaultPlan httpFaults;
    final GrpcFaultPlan grpcFaults;
    final RangeReadStats stats;
    final int maxMessageDataBytes;
    private final List<ContentSource> sources;
    private final Function<HttpConnection, Link> httpLinksOrNull;
    private final Link sharedLinkOrNull;
    private final long epochNanos;
    // Confined to the front end's event loop.
    private final Map<HttpConnection, Link> linksByConnection = new IdentityHashMap<>();
    private final Set<RangeReadCall> calls = Collections.newSetFromMap(new IdentityHashMap<>());

    Front(Vertx vertx, OriginOptions options, FaultPlan httpFaults, GrpcFaultPlan grpcFaults,
        RangeReadStats stats, List<ContentSource> sources, int maxMessageDataBytes,
        Function<HttpConnection, Link> httpLinksOrNull) {
      this.vertx = vertx;
      this.options = options;
      this.httpFaults = httpFaults;
      this.grpcFaults = grpcFaults;
      this.stats = stats;
      this.sources = List.copyOf(sources);
      this.maxMessageDataBytes = maxMessageDataBytes;
      this.httpLinksOrNull = httpLinksOrNull;
      this.epochNanos = options.nanoClock().getAsLong();
      LinkShaping shaping = options.shaping();
      this.sharedLinkOrNull = shaping.scope() == LinkShaping.Scope.SHARED && !shaping.isUnlimited()
          ? new Link(shaping.scheduleOrNull(), epochNanos)
          : null;
    }

    long nowNanos() {
      return options.nanoClock().getAsLong();
    }

    /** The first source that owns {@code path}, or null. */
    ContentSource sourceFor(String path) {
      for (ContentSource source : sources) {
        if (source.owns(path)) {
          return source;
        }
      }
      return null;
    }

    /**
     * The link data on {@code connection} is shaped by, or null when unlimited. Per-connection
     * links are shared by all streams of that HTTP/2 connection, as they share its TCP link; on
     * the HTTP origin's own port the HTTP side's links are used, so both share one shaped link.
     */
    Link linkFor(HttpConnection connection) {
      if (httpLinksOrNull != null) {
        return httpLinksOrNull.apply(connection);
      }
      LinkShaping shaping = options.shaping();
      if (shaping.isUnlimited()) {
        return null;
      }
      if (sharedLinkOrNull != null) {
        return sharedLinkOrNull;
      }
      Link link = linksByConnection.get(connection);
      if (link == null) {
        link = new Link(shaping.scheduleOrNull(), epochNanos);
        linksByConnection.put(connection, link);
        connection.closeHandler(unused -> linksByConnection.remove(connection));
      }
      return link;
    }

    void callStarted(RangeReadCall call) {
      calls.add(call);
    }

    void callEnded(RangeReadCall call) {
      calls.remove(call);
    }

    void stopAll() {
      for (RangeReadCall call : new ArrayList<>(calls)) {
        call.stop();
      }
      calls.clear();
    }
  }

  /**
   * The request handler of an {@link OriginServer} that also serves this protocol on its own port:
   * requests with a gRPC content type go to the range-read calls of {@code front}, the others to
   * {@code http}. Runs on the origin's event loop.
   */
  static Handler<HttpServerRequest> sharedPortHandler(Vertx vertx, Front front,
      Handler<HttpServerRequest> http) {
    GrpcServer grpcServer = grpcServer(vertx, front);
    return request -> {
      String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
      if (contentType != null && contentType.startsWith("application/grpc")) {
        grpcServer.handle(request);
      } else {
        http.handle(request);
      }
    };
  }

  private static GrpcServer grpcServer(Vertx vertx, Front front) {
    GrpcServer grpcServer = GrpcServer.server(vertx);
    grpcServer.callHandler(RangeReadGrpcService.ReadRanges,
        request -> new RangeReadCall(front, request).start());
    return grpcServer;
  }

  /** Owns the HTTP/2 server and the gRPC call handler. */
  private static final class FrontVerticle extends VerticleBase {
    private final Front front;
    private final String host;
    private final int requestedPort;
    private HttpServer server;
    volatile int port;

    FrontVerticle(Front front, String host, int requestedPort) {
      this.front = front;
      this.host = host;
      this.requestedPort = requestedPort;
    }

    @Override
    public Future<?> start() {
      GrpcServer grpcServer = grpcServer(vertx, front);
      server = vertx.createHttpServer(new HttpServerOptions()
          .setHost(host)
          .setPort(requestedPort)
          .setTcpNoDelay(true)
          .setReuseAddress(true));
      server.requestHandler(grpcServer);
      return server.listen().onSuccess(listening -> port = listening.actualPort());
    }

    @Override
    public Future<?> stop() {
      front.stopAll();
      return server.close();
    }
  }
}
