package io.abrfetch.player;

import io.abrfetch.fetcher.hls.MediaSegment;
import io.abrfetch.fetcher.hls.TrackType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A {@link MediaSink} writing one track's segments to an {@link OutputStream} on a worker thread
 * (ordered {@code executeBlocking}: writes happen in call order). The stream is opened by the
 * first write or by {@link #close()}, so a file exists even when nothing was played.
 *
 * <p>Threading: {@link #write} and {@link #close} are called from one context (the player's); the
 * stream is touched only on the worker, one task at a time.
 */
final class StreamMediaSink implements MediaSink {
  private static final int BUFFER_BYTES = 256 * 1024;

  /** Opens the output; runs on the worker. */
  interface Opener {
    OutputStream open() throws IOException;
  }

  private final Vertx vertx;
  private final Opener opener;
  private final boolean closeStream;
  private final TrackType track;
  // Touched on the worker only (ordered tasks, so one at a time and in order).
  private OutputStream out;

  StreamMediaSink(Vertx vertx, Opener opener, boolean closeStream, TrackType track) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.opener = Objects.requireNonNull(opener, "opener");
    this.closeStream = closeStream;
    this.track = Objects.requireNonNull(track, "track");
  }

  static Opener opener(Path file) {
    Objects.requireNonNull(file, "file");
    return () -> new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES);
  }

  @Override
  public Future<Void> write(MediaSegment segment) {
    if (segment.type() != track) {
      return Future.succeededFuture();
    }
    Buffer init = segment.initSegment();
    Buffer data = segment.data();
    return blocking(() -> {
      OutputStream stream = stream();
      if (init != null) {
        stream.write(init.getBytes());
      }
      stream.write(data.getBytes());
      return null;
    });
  }

  @Override
  public Future<Void> close() {
    return blocking(() -> {
      OutputStream stream = stream();
      if (closeStream) {
        stream.close();
      } else {
        stream.flush();
      }
      return null;
    });
  }

  private OutputStream stream() throws IOException {
    if (out == null) {
      out = opener.open();
    }
    return out;
  }

  private Future<Void> blocking(Callable<Void> task) {
    return vertx.executeBlocking(task, true);
  }
}
