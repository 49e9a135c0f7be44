package io.abrfetch.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The origin's HTTP front end: counts connections, gives each request its faults and link, and
 * hands it to an {@link Exchange}.
 *
 * <p>Confined to the origin verticle's event loop: every field below is touched only there.
 */
final class OriginHttpHandler implements Handler<HttpServerRequest> {

  final Vertx vertx;
  final OriginOptions options;
  final OriginStats stats;
  final FaultPlan faults;
  final LongSupplier nanoClock;
  private final List<ContentSource> sources;
  private final Link sharedLinkOrNull;
  private final long epochNanos;
  // Confined to the origin's event loop.
  private final Map<HttpConnection, Link> linksByConnection = new IdentityHashMap<>();
  private final Map<HttpConnection, Long> idsByConnection = new IdentityHashMap<>();
  private long connectionsOpened;
  private final Set<Exchange> exchanges = Collections.newSetFromMap(new IdentityHashMap<>());
  private Thread owner;

  OriginHttpHandler(Vertx vertx, OriginOptions options, OriginStats stats, FaultPlan faults,
      List<ContentSource> sources, long epochNanos) {
    this.vertx = vertx;
    this.options = options;
    this.stats = stats;
    this.faults = faults;
    this.nanoClock = options.nanoClock();
    this.sources = List.copyOf(sources);
    this.epochNanos = epochNanos;
    LinkShaping shaping = options.shaping();
    this.sharedLinkOrNull = shaping.scope() == LinkShaping.Scope.SHARED && !shaping.isUnlimited()
        ? new Link(shaping.scheduleOrNull(), epochNanos)
        : null;
  }

  /** Counts a new connection and forgets its link when it closes. */
  void connectionOpened(HttpConnection connection) {
    assert onOwnerThread();
    stats.connectionOpened();
    idsByConnection.put(connection, ++connectionsOpened);
    connection.closeHandler(unused -> {
      stats.connectionClosed();
      linksByConnection.remove(connection);
      idsByConnection.remove(connection);
    });
  }

  @Override
  public void handle(HttpServerRequest request) {
    assert onOwnerThread();
    Exchange exchange = new Exchange(this, request);
    exchanges.add(exchange);
    exchange.start();
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

  /** The link a body on {@code connection} is shaped by, or null when unlimited. */
  Link linkFor(HttpConnection connection) {
    LinkShaping shaping = options.shaping();
    if (shaping.isUnlimited()) {
      return null;
    }
    if (sharedLinkOrNull != null) {
      return sharedLinkOrNull;
    }
    return linksByConnection.computeIfAbsent(
        connection, unused -> new Link(shaping.scheduleOrNull(), epochNanos));
  }

  /** The 1-based number of {@code connection} in the order connections were opened, 0 if unknown. */
  long connectionId(HttpConnection connection) {
    return idsByConnection.getOrDefault(connection, 0L);
  }

  void exchangeEnded(Exchange exchange) {
    exchanges.remove(exchange);
  }

  /** Stops every exchange's timers; called when the server stops. */
  void stopAll() {
    for (Exchange exchange : new HashSet<>(exchanges)) {
      exchange.stop();
    }
    exchanges.clear();
  }

  /**
   * Resets the TCP connection (RST, not FIN) so the client sees "connection reset". Uses Vert.x's
   * connection internals to reach the Netty channel; falls back to a plain close.
   */
  static void reset(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      Channel channel = base.channel();
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
    } else {
      connection.close();
    }
  }

  private boolean onOwnerThread() {
    if (owner == null) {
      owner = Thread.currentThread();
    }
    return owner == Thread.currentThread();
  }
}
