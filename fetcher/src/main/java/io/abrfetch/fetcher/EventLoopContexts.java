package io.abrfetch.fetcher;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/**
 * The event-loop context a component created on {@code vertx} confines its state to: the
 * caller's, when the caller runs on an event loop (so its batches are ranked together with the
 * component's work), else a new one.
 */
public final class EventLoopContexts {
  private EventLoopContexts() {}

  /** The caller's event-loop context, or a new event-loop context of {@code vertx}. */
  public static ContextInternal currentOrNew(Vertx vertx) {
    ContextInternal current = ((VertxInternal) vertx).getOrCreateContext();
    return current.isEventLoopContext() ? current
        : ((VertxInternal) vertx).createEventLoopContext();
  }
}
