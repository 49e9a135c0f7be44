package io.abrfetch.player.serve;

import io.abrfetch.abr.AbrControllerOptions;
import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.fetcher.Downloader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * abrfetch as a Vert.x deployment: one shared {@link Downloader}, playback sessions (each a
 * {@link io.abrfetch.player.HeadlessPlayer} with its own ABR controller) opened, steered and
 * closed through the event bus and over HTTP, Prometheus metrics at {@code /metrics}, liveness at
 * {@code /health}.
 *
 * <pre>{@code
 * vertx.deployVerticle(new FetcherVerticle(), new DeploymentOptions().setConfig(new JsonObject()
 *     .put("http", new JsonObject().put("port", 8080))
 *     .put("abr", new JsonObject().put("policy", "default"))));
 * vertx.eventBus().request("abrfetch.open", new JsonObject().put("url", masterUrl));
 * }</pre>
 *
 * The config (see {@link ServeConfig} and SERVE.md) is checked at deploy time: an unknown key or
 * a bad value fails the deployment with a {@link ServeConfigException} naming the key path, and
 * so does a non-loopback HTTP bind without a token.
 *
 * <p>Undeploying refuses new requests (503), closes every session (every fetch ends exactly once,
 * every pending API request is answered), closes the downloader, then the HTTP server and the
 * event-bus consumers, and cancels its timers; it completes anyway after
 * {@code shutdownTimeoutMs}.
 *
 * <p>Threading: all state is confined to the verticle's event-loop context; the accessors used by
 * tests and dashboards ({@link #httpPort()}, {@link #downloader()}, ...) may be read from any
 * thread once the deployment completed.
 */
public final class FetcherVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(FetcherVerticle.class.getName());
  static final String SESSIONS_GAUGE = "abrfetch.serve.sessions";

  private final PrometheusMeterRegistry registry;

  // Written on the verticle's context during start and stop; volatile for the accessors.
  private volatile ServeConfig serveConfig;
  private volatile Downloader downloader;
  private volatile PlayerSessions sessions;
  private volatile TrackedTimers timers;
  private volatile int httpPort = -1;
  private volatile int timersLeftAtStop = -1;
  private HttpServer server;
  private EventBusApi eventBusApi;
  private Gauge sessionsGauge;
  private MeteredController link;

  /** A verticle with its own Prometheus registry (served at {@code /metrics}). */
  public FetcherVerticle() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** A verticle registering its meters on {@code registry} (an application's own, say). */
  public FetcherVerticle(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public Future<?> start() {
    ServeConfig config;
    try {
      config = ServeConfig.fromJson(config());
    } catch (ServeConfigException e) {
      return Future.failedFuture(e);
    }
    serveConfig = config;
    timers = new TrackedTimers(vertx);
    // The downloader's own controller only holds the link-wide estimate (its gauge); each session
    // steers with its own controller, fed by SessionTransferFeed.
    link = MeteredController.create(AbrControllerOptions.builder()
        .policy(AbrPolicy.named(config.abr().policy())).build(), registry);
    downloader = Downloader.create(vertx, config.downloader(), link.abr(), registry);
    SessionTransferFeed feed = new SessionTransferFeed(config.downloader().nanoClock());
    downloader.addListener(feed);
    PlayerSessions created = new PlayerSessions(vertx, config, downloader, registry, feed,
        config.eventBus().enabled() ? vertx.eventBus() : null);
    sessions = created;
    sessionsGauge = Gauge.builder(SESSIONS_GAUGE, created, PlayerSessions::size)
        .description("Playback sessions open in the fetcher verticle")
        .register(registry);

    Future<?> eventBus = Future.succeededFuture();
    if (config.eventBus().enabled()) {
      eventBus = EventBusApi.register(vertx.eventBus(), config.eventBus(), created)
          .onSuccess(api -> eventBusApi = api);
    }
    Future<?> http = Future.succeededFuture();
    if (config.http().enabled()) {
      HttpServer httpServer = vertx.createHttpServer(new HttpServerOptions()
          .setHost(config.http().host())
          .setPort(config.http().port()));
      server = httpServer;
      http = httpServer
          .requestHandler(HttpApi.router(vertx, config.http(), created, registry, created::size))
          .listen()
          .onSuccess(listening -> httpPort = listening.actualPort());
    }
    return Future.all(eventBus, http).recover(failure -> shutDown().transform(stopped ->
        Future.failedFuture(new IllegalStateException("the fetcher verticle did not start: "
            + failure.getMessage(), failure))));
  }

  @Override
  public Future<?> stop() {
    return shutDown();
  }

  /** Closes everything in order; completes within {@code shutdownTimeoutMs} whatever happens. */
  private Future<Void> shutDown() {
    Promise<Void> done = Promise.promise();
    long deadline = timers.setTimer(serveConfig.shutdownTimeoutMs(), fired -> {
      LOG.log(System.Logger.Level.WARNING, "sessions did not close within "
          + serveConfig.shutdownTimeoutMs() + " ms; stopping anyway");
      done.tryComplete();
    });
    sessions.closeStarted()
        .eventually(() -> downloader.close())
        .eventually(() -> sessions.settleOpening())
        .onComplete(ar -> done.tryComplete());
    return done.future().eventually(() -> {
      timers.cancel(deadline);
      Future<Void> httpClosed = server == null ? Future.succeededFuture()
          : server.shutdown(1, TimeUnit.SECONDS);
      Future<Void> consumersGone = eventBusApi == null ? Future.succeededFuture()
          : eventBusApi.unregister();
      return Future.join(httpClosed, consumersGone);
    }).eventually(() -> {
      registry.remove(sessionsGauge);
      link.release();
      // Every timer should be gone by now; one still pending here is a leak (tests check it).
      timersLeftAtStop = timers.cancelAll();
      if (timersLeftAtStop > 0) {
        LOG.log(System.Logger.Level.WARNING, timersLeftAtStop + " timer(s) left at stop");
      }
      httpPort = -1;
      return Future.succeededFuture();
    }).mapEmpty();
  }

  // ---------------------------------------------------------------- accessors

  /** The bound HTTP port, or -1 when HTTP is off or the verticle is not running. */
  public int httpPort() {
    return httpPort;
  }

  /** The shared downloader (null before start). */
  public Downloader downloader() {
    return downloader;
  }

  /** The registry {@code /metrics} serves. */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /** The configuration in effect (null before start). */
  public ServeConfig serveConfig() {
    return serveConfig;
  }

  /** Timers of this verticle not yet fired or cancelled (0 after undeploy). */
  int pendingTimers() {
    return timers == null ? 0 : timers.pending();
  }

  /** Timers still pending when the last stop step ran (cancelled then), or -1 before a stop. */
  int timersLeftAtStop() {
    return timersLeftAtStop;
  }
}
