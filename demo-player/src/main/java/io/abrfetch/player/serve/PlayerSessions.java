package io.abrfetch.player.serve;

import io.abrfetch.abr.AbrController;
import io.abrfetch.abr.AbrPeerState;
import io.abrfetch.fetcher.Downloader;
import io.abrfetch.fetcher.hls.HlsException;
import io.abrfetch.fetcher.hls.HlsSession;
import io.abrfetch.player.HeadlessPlayer;
import io.abrfetch.player.MediaSink;
import io.abrfetch.player.PlayerEvent;
import io.abrfetch.player.PlayerResult;
import io.abrfetch.playlist.Variant;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The sessions of a {@link FetcherVerticle}: each one a {@link HeadlessPlayer} with its own
 * {@link AbrController} (own estimate, own policy), all on the verticle's one {@link Downloader}.
 * It implements {@link SessionApi} for both front ends and publishes each session's
 * {@link PlayerEvent}s on {@code <prefix>.session.<id>.events} (progress throttled).
 *
 * <p>A session that ends on its own (end of stream, maximum duration, fatal failure) leaves the
 * live list; its final status and result stay readable by id until closed, for the last
 * {@code sessions.max} such sessions (so finished results never hold more memory than the live
 * sessions may).
 *
 * <p>Threading: confined to the verticle's event-loop context (the front ends call it there, and
 * the players it starts run on it).
 */
final class PlayerSessions implements SessionApi {

  private static final System.Logger LOG = System.getLogger(PlayerSessions.class.getName());

  private final Vertx vertx;
  private final ServeConfig config;
  private final Downloader downloader;
  private final MeterRegistry registry;
  private final SessionTransferFeed feed;
  private final EventBus bus;
  private final LongSupplier nanoClock;
  private final Thread owner;

  // Confined to the verticle's context.
  private final Map<String, Entry> live = new LinkedHashMap<>();
  private final Map<String, JsonObject> finished = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
      return size() > config.sessions().maxSessions();
    }
  };
  private long nextId = 1;
  private boolean closing;

  /** One session, from its open request on. */
  private static final class Entry {
    final String id;
    final String policy;
    final String output;
    final AbrController abr;
    final MeteredController metered;
    Future<HeadlessPlayer> started;
    HeadlessPlayer player;
    Future<JsonObject> closeReply;
    long lastProgressNanos;
    boolean progressPublished;

    Entry(String id, String policy, String output, MeteredController metered) {
      this.id = id;
      this.policy = policy;
      this.output = output;
      this.abr = metered.abr();
      this.metered = metered;
    }
  }

  /**
   * @param bus where events are published, or null to publish none
   */
  PlayerSessions(Vertx vertx, ServeConfig config, Downloader downloader, MeterRegistry registry,
      SessionTransferFeed feed, EventBus bus) {
    this.vertx = vertx;
    this.config = config;
    this.downloader = downloader;
    this.registry = registry;
    this.feed = feed;
    this.bus = bus;
    this.nanoClock = config.hls().nanoClock();
    this.owner = Thread.currentThread();
  }

  @Override
  public int size() {
    return live.size();
  }

  // ---------------------------------------------------------------- SessionApi

  @Override
  public Future<JsonObject> open(JsonObject body) {
    return attempt(() -> doOpen(body));
  }

  private Future<JsonObject> doOpen(JsonObject body) {
    assert Thread.currentThread() == owner;
    if (closing) {
      return Future.failedFuture(shuttingDown());
    }
    if (live.size() >= config.sessions().maxSessions()) {
      return Future.failedFuture(new ApiException(ApiException.TOO_MANY, "sessions: "
          + live.size() + " open (the limit, sessions.max); close one first"));
    }
    String id = "s" + nextId;
    OpenRequest request = OpenRequest.parse(body, config, id);
    nextId++;
    if (request.output() != null) {
      for (Entry other : live.values()) {
        if (request.output().equals(other.output)) {
          return Future.failedFuture(new ApiException(ApiException.CONFLICT, "output: \""
              + request.output() + "\" is written by session " + other.id));
        }
      }
    }
    MeteredController metered = MeteredController.create(config.abr().controllerOptions(
        request.policy(), request.options().session().targetBufferUs()), registry);
    Entry entry = new Entry(id, request.policy(), request.output(), metered);
    MediaSink sink = request.output() == null ? MediaSink.discard()
        : MediaSink.toFile(vertx, Path.of(config.sessions().outputDirectory())
            .resolve(request.output()));
    live.put(id, entry);
    feed.add(id, entry.abr);
    Future<HeadlessPlayer> started;
    try {
      started = HeadlessPlayer.start(vertx, downloader, entry.abr, request.url(), request.options(),
          sink);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    entry.started = started;
    return started.transform(ar -> onStarted(entry, ar));
  }

  private Future<JsonObject> onStarted(Entry entry, AsyncResult<HeadlessPlayer> ar) {
    if (ar.failed()) {
      release(entry);
      live.remove(entry.id, entry);
      return Future.failedFuture(openFailure(ar.cause()));
    }
    HeadlessPlayer player = ar.result();
    entry.player = player;
    player.addListener(event -> publish(entry, event));
    player.result().onComplete(result -> onEnded(entry, result));
    if (closing) {
      return player.close().transform(closed -> Future.failedFuture(shuttingDown()));
    }
    return Future.succeededFuture(statusJson(entry));
  }

  @Override
  public Future<JsonObject> list() {
    JsonArray sessions = new JsonArray();
    for (Entry entry : live.values()) {
      sessions.add(statusJson(entry));
    }
    return Future.succeededFuture(new JsonObject().put("sessions", sessions));
  }

  @Override
  public Future<JsonObject> status(String sessionId) {
    Entry entry = live.get(sessionId);
    if (entry != null) {
      return Future.succeededFuture(statusJson(entry));
    }
    JsonObject done = finished.get(sessionId);
    return done != null ? Future.succeededFuture(done.copy())
        : Future.failedFuture(ApiException.unknownSession(sessionId));
  }

  @Override
  public Future<JsonObject> setVariant(String sessionId, JsonObject body) {
    return attempt(() -> doSetVariant(sessionId, body));
  }

  private Future<JsonObject> doSetVariant(String sessionId, JsonObject body) {
    Entry entry = playing(sessionId);
    JsonConfigReader r = JsonConfigReader.root(body);
    String mode = r.oneOf("mode", List.of("auto", "manual"), null);
    if (mode == null) {
      throw r.error("mode", "required: \"manual\" (with \"index\") or \"auto\"");
    }
    int index = -1;
    if (mode.equals("manual")) {
      if (!r.has("index")) {
        throw r.error("index", "required with mode \"manual\": the ladder index to play");
      }
      index = r.intAtLeast("index", 0, 0);
    } else if (r.has("index")) {
      throw r.error("index", "only with mode \"manual\"");
    }
    r.finish();
    String peerId = videoPeerId(entry);
    try {
      if (index >= 0) {
        entry.abr.setManual(peerId, index);
      } else {
        entry.abr.setAuto(peerId);
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (IllegalStateException e) {
      throw new ApiException(ApiException.CONFLICT, "session " + sessionId + " is ending");
    }
    return Future.succeededFuture(statusJson(entry));
  }

  @Override
  public Future<JsonObject> setCap(String sessionId, JsonObject body) {
    return attempt(() -> doSetCap(sessionId, body));
  }

  private Future<JsonObject> doSetCap(String sessionId, JsonObject body) {
    Entry entry = playing(sessionId);
    JsonConfigReader r = JsonConfigReader.root(body);
    if (!body.containsKey("capBps")) {
      throw r.error("capBps", "required: a positive bitrate in bit/s, or null to lift the cap");
    }
    long capBps = r.longAtLeast("capBps", 1, Long.MAX_VALUE);
    r.finish();
    try {
      entry.abr.setBandwidthCap(videoPeerId(entry), capBps);
    } catch (IllegalStateException e) {
      throw new ApiException(ApiException.CONFLICT, "session " + sessionId + " is ending");
    }
    return Future.succeededFuture(statusJson(entry));
  }

  @Override
  public Future<JsonObject> close(String sessionId) {
    Entry entry = live.get(sessionId);
    if (entry == null) {
      JsonObject done = finished.remove(sessionId);
      return done != null ? Future.succeededFuture(done)
          : Future.failedFuture(ApiException.unknownSession(sessionId));
    }
    if (entry.closeReply == null) {
      entry.closeReply = entry.started.transform(ar -> {
        if (ar.failed()) {
          return Future.failedFuture(ApiException.unknownSession(sessionId));
        }
        HeadlessPlayer player = ar.result();
        // onEnded was registered on the result first, so it has run when this runs.
        return player.close().transform(closed -> player.result()).transform(ended -> {
          JsonObject done = finished.remove(sessionId);
          return done != null ? Future.succeededFuture(done)
              : Future.failedFuture(new ApiException(ApiException.INTERNAL, "session "
                  + sessionId + " closed without a result"));
        });
      });
    }
    return entry.closeReply;
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Refuses new sessions (503) and closes every started player; completes when they are closed.
   * Sessions still opening are closed by {@link #settleOpening()} once they settle.
   */
  Future<Void> closeStarted() {
    closing = true;
    List<Future<Void>> closes = new ArrayList<>();
    for (Entry entry : List.copyOf(live.values())) {
      if (entry.player != null) {
        closes.add(entry.player.close());
      }
    }
    return Future.join(closes).mapEmpty();
  }

  /** Completes when every session that was opening has failed, or started and been closed. */
  Future<Void> settleOpening() {
    List<Future<?>> settled = new ArrayList<>();
    for (Entry entry : List.copyOf(live.values())) {
      settled.add(entry.started.transform(ar -> ar.succeeded() ? ar.result().close()
          : Future.succeededFuture()));
    }
    return Future.join(settled).mapEmpty();
  }

  // ---------------------------------------------------------------- internals

  private void onEnded(Entry entry, AsyncResult<PlayerResult> result) {
    JsonObject done = statusJson(entry);
    if (result.succeeded()) {
      done.put("result", result.result().toJson());
    } else {
      done.put("error", ApiException.messageOf(result.cause()));
      if (result.cause() instanceof HlsException hls) {
        done.put("errorKind", hls.kind().name());
      }
    }
    live.remove(entry.id, entry);
    release(entry);
    finished.put(entry.id, done);
  }

  /** Stops routing transfers to the session's controller and drops its estimate gauge. */
  private void release(Entry entry) {
    feed.remove(entry.id);
    entry.metered.release();
  }

  private void publish(Entry entry, PlayerEvent event) {
    if (bus == null) {
      return;
    }
    if (event instanceof PlayerEvent.Progress) {
      long now = nanoClock.getAsLong();
      long intervalNanos = config.eventBus().progressIntervalMs() * 1_000_000;
      if (entry.progressPublished && now - entry.lastProgressNanos < intervalNanos) {
        return;
      }
      entry.progressPublished = true;
      entry.lastProgressNanos = now;
    }
    bus.publish(config.eventBus().eventsAddress(entry.id),
        event.toJson().put("sessionId", entry.id));
  }

  private Entry playing(String sessionId) {
    Entry entry = live.get(sessionId);
    if (entry == null) {
      if (finished.containsKey(sessionId)) {
        throw new ApiException(ApiException.CONFLICT, "session " + sessionId + " has ended");
      }
      throw ApiException.unknownSession(sessionId);
    }
    if (entry.player == null) {
      throw new ApiException(ApiException.CONFLICT, "session " + sessionId + " is still opening");
    }
    return entry;
  }

  private static String videoPeerId(Entry entry) {
    return entry.player.session().video().peerId();
  }

  private JsonObject statusJson(Entry entry) {
    JsonObject json;
    if (entry.player == null) {
      json = new JsonObject().put("sessionId", entry.id).put("state", "opening");
    } else {
      json = entry.player.status().toJson();
      json.put("abr", abrJson(entry));
    }
    json.put("id", entry.id).put("policy", entry.policy);
    if (bus != null) {
      json.put("eventsAddress", config.eventBus().eventsAddress(entry.id));
    }
    if (entry.output != null) {
      json.put("output", entry.output);
    }
    return json;
  }

  private static JsonObject abrJson(Entry entry) {
    JsonObject abr = new JsonObject();
    HlsSession session = entry.player.session();
    JsonArray ladder = new JsonArray();
    session.master().ifPresent(master -> {
      for (Variant variant : master.ladder().variants()) {
        ladder.add(variant.bandwidthBps());
      }
    });
    abr.put("ladderBps", ladder);
    try {
      AbrPeerState state = entry.abr.peerState(session.video().peerId());
      abr.put("mode", state.isAuto() ? "auto" : "manual");
      if (!state.isAuto()) {
        abr.put("manualIndex", state.manualIndex());
      }
      abr.put("capBps", state.bandwidthCapBps() == Long.MAX_VALUE ? null
          : state.bandwidthCapBps());
      abr.put("pendingIndex", state.pendingIndex());
    } catch (IllegalStateException | IllegalArgumentException unregistered) {
      abr.put("mode", "ended");
    }
    return abr;
  }

  /** Runs an operation; what it throws (a bad field, a refusal) fails the answer instead. */
  private static Future<JsonObject> attempt(Supplier<Future<JsonObject>> operation) {
    try {
      return operation.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static ApiException shuttingDown() {
    return new ApiException(ApiException.UNAVAILABLE, "the verticle is shutting down");
  }

  private ApiException openFailure(Throwable cause) {
    if (cause instanceof ApiException api) {
      return api;
    }
    if (cause instanceof IllegalArgumentException) {
      return ApiException.badRequest(cause.getMessage());
    }
    if (cause instanceof HlsException hls) {
      if (hls.kind() == HlsException.Kind.CLOSED || closing) {
        return shuttingDown();
      }
      return new ApiException(ApiException.BAD_GATEWAY, hls.getMessage());
    }
    LOG.log(System.Logger.Level.WARNING, "opening a session failed", cause);
    return new ApiException(ApiException.INTERNAL, ApiException.messageOf(cause));
  }
}
