package io.abrfetch.player.load;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A load run in progress, wherever its viewers run: one process ({@link LoadRun}) or a fleet of
 * processes whose metrics are merged (cluster mode). The {@code loadtest} command drives its
 * progress line, summary and report through this interface only.
 *
 * <p>Threading: implementations are thread-safe.
 */
public interface LoadExecution {

  /** What was measured so far, merged exactly over every viewer of the run. */
  LoadMetrics snapshot();

  /** One sample per second so far. */
  List<LoadSample> timeline();

  /** Completes with the final metrics when the run's duration is over or after {@link #stop()}. */
  Future<LoadMetrics> completion();

  /** Ends the run early; completes when {@link #completion()} has. */
  Future<Void> stop();

  /** Lines for the report and summary that only this kind of run knows (e.g. lost workers). */
  default List<String> notes() {
    return List.of();
  }

  /** Fields this kind of run adds to the {@code --json} object (e.g. {@code cluster}); none. */
  default JsonObject resultJson() {
    return new JsonObject();
  }
}
