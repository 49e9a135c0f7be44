package io.abrfetch.player;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a long-running command ({@code origin}, {@code serve}) until {@link #stop()} or the JVM's
 * shutdown (Ctrl-C, SIGTERM), then runs its close action; on a shutdown, the JVM waits up to a
 * grace period for that action to finish before it halts.
 *
 * <p>Threading: {@link #await} blocks its caller; {@link #stop()} may be called from any thread.
 */
public final class RunUntilStopped {

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  /**
   * Blocks until {@link #stop()} or the JVM's shutdown, then runs {@code close} on this thread.
   *
   * @param hookThreadName the name of the shutdown hook's thread
   * @param graceMs how long a shutdown waits for {@code close} to finish
   */
  public void await(String hookThreadName, long graceMs, Runnable close)
      throws InterruptedException {
    Thread hook = new Thread(() -> {
      stopped.countDown();
      try {
        closed.await(graceMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, hookThreadName);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C or SIGTERM: the hook is running and waits for the close below.
      }
      try {
        close.run();
      } finally {
        closed.countDown();
      }
    }
  }

  /** Makes a running {@link #await} close and return. */
  public void stop() {
    stopped.countDown();
  }
}
