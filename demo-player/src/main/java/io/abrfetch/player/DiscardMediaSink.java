package io.abrfetch.player;

import io.abrfetch.fetcher.hls.MediaSegment;
import io.vertx.core.Future;

/** {@link MediaSink#discard()}: drops everything. Stateless and thread-safe. */
final class DiscardMediaSink implements MediaSink {
  static final DiscardMediaSink INSTANCE = new DiscardMediaSink();

  private DiscardMediaSink() {}

  @Override
  public Future<Void> write(MediaSegment segment) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
