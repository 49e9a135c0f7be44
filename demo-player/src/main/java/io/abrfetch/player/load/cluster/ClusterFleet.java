package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadFleet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the coordinator's and the worker's fleets share: the clustered Vert.x instance they join
 * ({@link ClusterNode}) and the log line that says so.
 *
 * <p>Threading: {@link #createVertx} is called once from the command's thread; {@link #node} is
 * read afterwards from {@code start}.
 */
abstract class ClusterFleet implements LoadFleet {

  final ClusterSettings settings;
  final Consumer<String> log;
  volatile ClusterNode node;

  ClusterFleet(ClusterSettings settings, Consumer<String> log) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** The line logged once this process has joined, after {@code joinMs} milliseconds. */
  abstract String joinedLine(ClusterNode joined);

  @Override
  public final Future<Vertx> createVertx(VertxOptions options) {
    return ClusterNode.join(settings, options).map(joined -> {
      node = joined;
      log.accept(joinedLine(joined));
      return joined.vertx();
    });
  }
}
