package io.abrfetch.player;

import io.abrfetch.fetcher.hls.MediaSegment;
import io.abrfetch.fetcher.hls.TrackType;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A test {@link MediaSink} that keeps every segment written, in order. */
final class RecordingSink implements MediaSink {
  final List<MediaSegment> written = new CopyOnWriteArrayList<>();
  final AtomicInteger closes = new AtomicInteger();

  @Override
  public Future<Void> write(MediaSegment segment) {
    written.add(segment);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    closes.incrementAndGet();
    return Future.succeededFuture();
  }

  List<MediaSegment> of(TrackType type) {
    return written.stream().filter(s -> s.type() == type).toList();
  }
}
