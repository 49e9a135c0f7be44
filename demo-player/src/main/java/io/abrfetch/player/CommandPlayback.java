package io.abrfetch.player;

import io.abrfetch.abr.AbrController;
import io.abrfetch.abr.AbrControllerOptions;
import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.fetcher.Downloader;
import io.abrfetch.fetcher.DownloaderOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One command-line playback: an ABR controller with the chosen policy, a downloader and a
 * {@link HeadlessPlayer} on a given Vert.x, with the live status line; the {@code play} and
 * {@code demo} commands share it. A JVM shutdown (Ctrl-C) closes the player, so the output file
 * is flushed and the result still reported.
 *
 * <p>Threading: {@link #run} blocks the calling (main) thread until the session is over; the
 * player runs on an event loop.
 */
final class CommandPlayback {

  /** How the session went: a result, or a failure before ({@code startFailed}) or while playing. */
  record Outcome(PlayerResult result, Throwable failure, boolean startFailed) {
    boolean succeeded() {
      return failure == null;
    }
  }

  private CommandPlayback() {}

  /** The ABR controller {@code policy} names ({@link AbrPolicy#named}). */
  static AbrController controller(String policy) {
    return AbrController.create(AbrControllerOptions.builder()
        .policy(AbrPolicy.named(policy)).build(), new SimpleMeterRegistry());
  }

  /** Plays {@code url} until the session is over; the status goes to {@code status} (or nowhere). */
  static Outcome run(Vertx vertx, String url, AbrController abr, HeadlessPlayerOptions options,
      MediaSink sink, StatusLine status) throws InterruptedException {
    Downloader downloader = Downloader.create(vertx, DownloaderOptions.defaults(), abr);
    HeadlessPlayer player;
    try {
      player = await(HeadlessPlayer.start(vertx, downloader, abr, url, options, sink));
    } catch (ExecutionException e) {
      awaitQuietly(downloader.close());
      return new Outcome(null, e.getCause(), true);
    }
    if (status != null) {
      player.addListener(event -> {
        if (event instanceof PlayerEvent.Progress p) {
          status.update(p.status());
        }
      });
    }
    Thread hook = new Thread(() -> awaitQuietly(player.close()), "abrfetch-player-close");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      PlayerResult result = await(player.result());
      return new Outcome(result, null, false);
    } catch (ExecutionException e) {
      return new Outcome(null, e.getCause(), false);
    } finally {
      if (status != null) {
        status.update(player.status());
        status.finish();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it closes the player.
      }
      awaitQuietly(player.close());
      awaitQuietly(downloader.close());
    }
  }

  static <T> T await(Future<T> future) throws ExecutionException, InterruptedException {
    return future.toCompletionStage().toCompletableFuture().get();
  }

  static void awaitQuietly(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Closing: nothing more to report.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A one-line description of a failure: its message, else its type. */
  static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName()
        : message.replace('\n', ' ');
  }
}
