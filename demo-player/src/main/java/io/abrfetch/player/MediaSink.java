package io.abrfetch.player;

import io.abrfetch.fetcher.hls.MediaSegment;
import io.abrfetch.fetcher.hls.TrackType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Where a {@link HeadlessPlayer} puts the media it plays, in play order: a segment is written when
 * playback reaches it, its init section ({@link MediaSegment#initSegment()}, present on the first
 * segment and whenever it changes, e.g. at a variant switch) just before its bytes.
 *
 * <p>The player calls {@link #write} one segment at a time (the next only after the previous
 * future completed) and {@link #close} once at the end of the session. Threading: called on the
 * player's event-loop context; implementations must not block it.
 */
public interface MediaSink {

  /** Writes {@code segment} (its init section first when it has one). */
  Future<Void> write(MediaSegment segment);

  /** Flushes and releases the sink; called once, after the last write completed. */
  Future<Void> close();

  /** A sink that drops everything (the player then keeps no segment bytes after receiving them). */
  static MediaSink discard() {
    return DiscardMediaSink.INSTANCE;
  }

  /**
   * Writes the variant stream's segments ({@link TrackType#VIDEO}: video, or muxed audio and video)
   * to {@code file}, created or truncated on the first write; blocking I/O runs on a worker thread.
   * An alternate audio rendition is a separate stream and is not written (use
   * {@link #toFile(Vertx, Path, TrackType)} with {@link TrackType#AUDIO} for a file of its own).
   */
  static MediaSink toFile(Vertx vertx, Path file) {
    return toFile(vertx, file, TrackType.VIDEO);
  }

  /** Writes the segments of {@code track} to {@code file}, as {@link #toFile(Vertx, Path)}. */
  static MediaSink toFile(Vertx vertx, Path file, TrackType track) {
    return new StreamMediaSink(vertx, StreamMediaSink.opener(file), true, track);
  }

  /**
   * Writes the variant stream's segments to {@code out} (e.g. {@code System.out}) on a worker
   * thread; {@link #close} flushes it and leaves it open.
   */
  static MediaSink toStream(Vertx vertx, OutputStream out) {
    return new StreamMediaSink(vertx, () -> out, false, TrackType.VIDEO);
  }
}
