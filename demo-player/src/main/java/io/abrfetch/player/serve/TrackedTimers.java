package io.abrfetch.player.serve;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place the serve package creates Vert.x timers: it remembers every timer until it fires
 * or is cancelled, so {@link #cancelAll()} at undeploy leaves none behind and
 * {@link #pending()} lets a test prove it.
 *
 * <p>Threading: thread-safe (timers are set and cancelled on the verticle's context; tests read
 * {@link #pending()} from their own thread).
 */
final class TrackedTimers {

  private final Vertx vertx;
  private final Set<Long> pending = ConcurrentHashMap.newKeySet();

  TrackedTimers(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * A one-shot timer of {@code delayMs}; its handler runs on the caller's context. Call it on an
   * event loop, so the timer cannot fire before it is recorded.
   */
  long setTimer(long delayMs, Handler<Long> handler) {
    long id = vertx.setTimer(Math.max(1, delayMs), fired -> {
      pending.remove(fired);
      handler.handle(fired);
    });
    pending.add(id);
    return id;
  }

  /** Cancels a timer set here; false when it had already fired or been cancelled. */
  boolean cancel(long id) {
    pending.remove(id);
    return vertx.cancelTimer(id);
  }

  /** Cancels every pending timer; answers how many were pending. */
  int cancelAll() {
    int count = 0;
    for (Long id : pending) {
      if (pending.remove(id)) {
        vertx.cancelTimer(id);
        count++;
      }
    }
    return count;
  }

  /** Timers set here that have neither fired nor been cancelled. */
  int pending() {
    return pending.size();
  }
}
