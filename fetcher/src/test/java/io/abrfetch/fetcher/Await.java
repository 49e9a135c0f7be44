package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Blocking waits for the test thread (never an event loop): a result, or a typed failure. */
public final class Await {

  private Await() {}

  /** The result of {@code future} within {@code seconds}; its failure is rethrown as is. */
  public static <T> T result(Future<T> future, int seconds) throws Exception {
    return result(future.toCompletionStage().toCompletableFuture(), seconds);
  }

  public static <T> T result(CompletableFuture<T> future, int seconds) throws Exception {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Waits for {@code future} to fail within {@code seconds}; returns its cause, of type {@code E}. */
  public static <E extends Throwable> E failure(Future<?> future, Class<E> type, int seconds)
      throws Exception {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
      fail("expected a failure, got " + value);
      return null;
    } catch (ExecutionException e) {
      return assertInstanceOf(type, e.getCause());
    }
  }
}
