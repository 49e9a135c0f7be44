package io.abrfetch.player.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Where the viewers of a run execute. {@link #local()} runs all of them in this process; the
 * cluster mode (package {@code io.abrfetch.player.load.cluster}) supplies a fleet that splits
 * them across worker processes through a {@link LoadTestExtension}.
 *
 * <p>Threading: {@link #start} is called once from the command's thread.
 */
public interface LoadFleet {

  /** Creates the Vert.x instance of this process (clustered for a cluster fleet). */
  default Future<Vertx> createVertx(VertxOptions options) {
    return Future.succeededFuture(Vertx.vertx(options));
  }

  /**
   * Starts every viewer of {@code options} (the whole run) with its ramp's time zero at
   * {@code startAtEpochMs}; {@code url} is null only when {@link #needsUrl()} is false.
   */
  Future<? extends LoadExecution> start(Vertx vertx, String url, LoadOptions options,
      long startAtEpochMs);

  /** Whether the command needs the master playlist URL (a cluster worker gets it later). */
  default boolean needsUrl() {
    return true;
  }

  /** Whether the command prints the summary, JSON and report at the end (a worker does not). */
  default boolean reportsResults() {
    return true;
  }

  /** A short label for the report, e.g. {@code local} or {@code cluster of 3 workers}. */
  default String description() {
    return "local";
  }

  /** All viewers in this process. */
  static LoadFleet local() {
    return (vertx, url, options, startAtEpochMs) ->
        LoadRun.start(vertx, url, options, 0, options.viewers(), startAtEpochMs);
  }
}
