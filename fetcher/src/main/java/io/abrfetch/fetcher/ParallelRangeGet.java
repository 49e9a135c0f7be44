package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkNotNull;

import io.abrfetch.fetcher.FetchException.Kind;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Downloads one object with parallel {@code Range} requests through a peer of a {@link Downloader}
 * and writes its bytes in order, each exactly once, to a {@link WriteStream}, so the consumer works
 * while the download runs.
 *
 * <p>The first request asks {@code Range: bytes=0-(chunk-1)}; its response tells the size
 * ({@code Content-Range}) and the ETag, and its body is chunk 0, so at most {@code concurrency}
 * requests are ever in flight. Later chunks are pinned with {@code If-Match} to that ETag and
 * checked (start, length, ETag, total size); a 412 or another ETag fails the download with
 * {@link FetchException.Kind#CHANGED}. A chunk may start only inside the window of
 * {@code windowChunks} chunks that begins at the oldest chunk not yet written, so memory stays
 * under {@link ParallelRangeGetOptions#bufferBoundBytes()} whatever the object's size or the
 * sink's speed, and a slow or failed chunk cannot deadlock the others: a failed chunk (after the
 * downloader's retries and resumes) fails the whole download at once. The sink's backpressure
 * pauses the transfer that feeds it, and with it, through the window, every other.
 *
 * <p>Degraded cases: an empty object (416 to the first range) succeeds with nothing written; an
 * origin that ignores {@code Range} (200) is read in one stream from that first response; an
 * object without a strong ETag, or whose size the first response does not tell, is read again
 * with one plain GET (nothing of the first response reaches the sink); {@code concurrency} 1 is
 * one plain GET without {@code Range}, end to end.
 *
 * <p>Every request is an ordinary {@link FetchRequest} of the peer: it counts against the
 * downloader's caps, emits events, feeds ABR, and is retried and resumed by its policies.
 *
 * <p>The sink is never ended (it stays the caller's). On failure or cancellation the sink holds a
 * prefix of the object and must be discarded; in-flight requests are cancelled and held buffers
 * released.
 *
 * <p>Threading: the download runs on the downloader's event loop, where the sink is written.
 * {@link #start}, {@link #cancel()} and the byte counters may be used from any thread.
 */
public final class ParallelRangeGet {

  /** How the object was fetched. */
  public enum Mode {
    /** {@code concurrency} 1: one GET without {@code Range}. */
    PLAIN_GET,
    /** The first range got 416: the object is empty. */
    EMPTY,
    /** The object fits in the first range. */
    FIRST_RANGE,
    /** The origin ignored {@code Range}: the first response carried the whole object. */
    RANGE_IGNORED,
    /** No strong ETag to pin chunks to: the object was read again with one plain GET. */
    NO_ETAG,
    /** The first response did not tell the size: the object was read again with one plain GET. */
    UNKNOWN_SIZE,
    /** In parallel ranges. */
    PARALLEL
  }

  private final Downloader downloader;
  private final PeerHandle peer;
  private final String url;
  private final ParallelRangeGetOptions options;
  private final Promise<ParallelRangeGetResult> promise = Promise.promise();
  private final ReorderWindow window;
  private final long startNanos;

  // Confined to the downloader's event loop.
  private final Map<Long, FetchHandle> running = new HashMap<>();
  private Mode mode;
  private long totalBytes = -1;
  private String etag;
  private long chunkCount = 1;
  private long nextChunk = 1;
  private long writtenBytes;
  private int requests;
  private boolean discovered;
  private boolean done;

  private ParallelRangeGet(PeerHandle peer, String url, WriteStream<Buffer> target,
      ParallelRangeGetOptions options) {
    this.downloader = peer.downloader();
    this.peer = peer;
    this.url = url;
    this.options = options;
    this.startNanos = downloader.options().nanoClock().getAsLong();
    this.window = new ReorderWindow(target, downloader,
        t -> fail(FetchException.of(Kind.SINK, "sink write failed: " + t, t)), this::onAdvance);
  }

  /**
   * Starts downloading {@code url} through {@code peer} into {@code target}; never blocks. A bad
   * URL or header fails the result with {@link IllegalArgumentException}.
   */
  public static ParallelRangeGet start(PeerHandle peer, String url, WriteStream<Buffer> target,
      ParallelRangeGetOptions options) {
    checkNotNull(peer, "peer");
    checkNotNull(url, "url");
    checkNotNull(target, "target");
    checkNotNull(options, "options");
    ParallelRangeGet get = new ParallelRangeGet(peer, url, target, options);
    get.downloader.onContext(get::begin);
    return get;
  }

  /**
   * Completes once every byte was written and acknowledged, or fails with a
   * {@link FetchException} (the first failure of any request, {@link Kind#CHANGED} when the
   * object changed, {@link Kind#SINK} when the sink failed, {@link Kind#CANCELLED} after
   * {@link #cancel()}). Callbacks run on the downloader's event loop.
   */
  public Future<ParallelRangeGetResult> result() {
    return promise.future();
  }

  /** Cancels the download; true when it was still running. */
  public Future<Boolean> cancel() {
    Promise<Boolean> cancelled = Promise.promise();
    downloader.onContext(() -> cancelled.complete(
        fail(FetchException.cancelled(CancelReason.CALLER))));
    return cancelled.future();
  }

  /** Bytes held in the reorder window now (fetched, not yet written to the sink). */
  public long bufferedBytes() {
    return window.bufferedBytes();
  }

  /** The most bytes the reorder window has held at once so far. */
  public long peakBufferedBytes() {
    return window.peakBufferedBytes();
  }

  // ---- on the downloader's event loop ----

  private void begin() {
    if (options.concurrency() == 1) {
      // One connection end to end: no probe, no fan-out hidden behind the first response.
      mode = Mode.PLAIN_GET;
      discovered = true;
      window.start();
      submitWhole(0);
      return;
    }
    FetchRequest probe;
    try {
      probe = requestBuilder()
          .range(ByteRange.of(0, options.chunkSizeBytes()))
          .rangeProbe(true)
          .sink(BodySink.stream(window.open(0, options.chunkSizeBytes())))
          .build();
    } catch (IllegalArgumentException e) {
      fail(e);
      return;
    }
    FetchHandle handle = submit(0, probe);
    handle.head().onSuccess(head -> {
      if (!done && !discovered) {
        discover(handle, head);
      }
    });
  }

  private FetchRequest.Builder requestBuilder() {
    FetchRequest.Builder b = FetchRequest.builder(url)
        .priority(options.priority())
        .validator(options.validator());
    options.headers().forEach(b::header);
    return b;
  }

  /** Decides from the first response head how the rest of the object is fetched. */
  private void discover(FetchHandle probe, ResponseHead head) {
    discovered = true;
    String etagHeader = head.headers().get("ETag");
    if (head.statusCode() == 416) {
      mode = Mode.EMPTY;
      totalBytes = 0;
      window.start();
      return;
    }
    if (head.statusCode() == 200) {
      mode = Mode.RANGE_IGNORED;
      etag = etagHeader;
      window.start();
      return;
    }
    ContentRange range = ContentRange.parse(head.headers().get("Content-Range"));
    if (range == null || range.totalBytes() < 0) {
      restartAsPlainGet(probe, Mode.UNKNOWN_SIZE);
      return;
    }
    totalBytes = range.totalBytes();
    etag = etagHeader;
    if (totalBytes <= options.chunkSizeBytes()) {
      mode = Mode.FIRST_RANGE;
      window.start();
      return;
    }
    if (etag == null || etag.isBlank() || etag.startsWith("W/")) {
      etag = null;
      restartAsPlainGet(probe, Mode.NO_ETAG);
      return;
    }
    mode = Mode.PARALLEL;
    chunkCount = 1 + (totalBytes - 1) / options.chunkSizeBytes();
    window.start();
    launchMore();
  }

  /** Drops the first response unwritten and reads the object with one plain GET instead. */
  private void restartAsPlainGet(FetchHandle probe, Mode fallback) {
    mode = fallback;
    totalBytes = -1;
    running.remove(0L);
    window.discard(0);
    probe.cancel();
    window.start();
    submitWhole(0);
  }

  private void submitWhole(long index) {
    FetchRequest whole;
    try {
      whole = requestBuilder().sink(BodySink.stream(window.open(index, Long.MAX_VALUE))).build();
    } catch (IllegalArgumentException e) {
      fail(e);
      return;
    }
    submit(index, whole);
  }

  /** Starts chunks while fewer than {@code concurrency} run and the window has room. */
  private void launchMore() {
    while (!done && mode == Mode.PARALLEL && nextChunk < chunkCount
        && running.size() < options.concurrency()
        && nextChunk < window.headIndex() + options.windowChunks()) {
      long index = nextChunk++;
      long offset = index * options.chunkSizeBytes();
      long length = Math.min(options.chunkSizeBytes(), totalBytes - offset);
      FetchRequest chunk = requestBuilder()
          .range(ByteRange.of(offset, length))
          .ifMatch(etag)
          .sink(BodySink.stream(window.open(index, length)))
          .build();
      FetchHandle handle = submit(index, chunk);
      handle.head().onSuccess(head -> checkChunkHead(index, head));
    }
  }

  /** The downloader checked start, end and ETag; the total must not have changed either. */
  private void checkChunkHead(long index, ResponseHead head) {
    if (done) {
      return;
    }
    ContentRange range = ContentRange.parse(head.headers().get("Content-Range"));
    if (range != null && range.totalBytes() >= 0 && range.totalBytes() != totalBytes) {
      fail(FetchException.of(Kind.CHANGED, "size changed from " + totalBytes + " to "
          + range.totalBytes() + " bytes at chunk " + index + " of " + url));
    }
  }

  private FetchHandle submit(long index, FetchRequest request) {
    FetchHandle handle = peer.fetch(request);
    requests++;
    running.put(index, handle);
    handle.result().onComplete(ar -> downloader.onContext(() -> onChunkEnded(index, handle, ar)));
    return handle;
  }

  private void onChunkEnded(long index, FetchHandle handle, AsyncResult<FetchResult> ar) {
    if (done || running.get(index) != handle) {
      return; // the download ended, or this was a discarded probe
    }
    running.remove(index);
    if (ar.failed()) {
      fail(ar.cause());
      return;
    }
    if (!discovered) {
      // The head completes before the result; its callback may simply not have run yet.
      discover(handle, handle.head().result());
      if (done || running.containsKey(index)) {
        return;
      }
    }
    if (mode != Mode.PARALLEL) {
      // The single response carried the whole object.
      writtenBytes = ar.result().sizeBytes();
      if (totalBytes < 0) {
        totalBytes = writtenBytes;
      }
    }
    window.markFinished(index);
    launchMore();
  }

  private void onAdvance() {
    if (done) {
      return;
    }
    if (window.headIndex() >= chunkCount && running.isEmpty()) {
      long elapsedStart = startNanos;
      window.lastWrite().onComplete(ar -> downloader.onContext(() -> {
        if (done) {
          return;
        }
        if (ar.failed()) {
          fail(FetchException.of(Kind.SINK, "sink write failed: " + ar.cause(), ar.cause()));
          return;
        }
        done = true;
        long size = mode == Mode.PARALLEL ? totalBytes : writtenBytes;
        promise.complete(new ParallelRangeGetResult(url, size, etag, mode, requests,
            window.peakBufferedBytes(),
            downloader.options().nanoClock().getAsLong() - elapsedStart));
      }));
      return;
    }
    launchMore();
  }

  /** Ends the download with {@code cause}: cancels what runs, drops what is held. */
  private boolean fail(Throwable cause) {
    if (done) {
      return false;
    }
    done = true;
    for (FetchHandle handle : running.values()) {
      handle.cancel();
    }
    running.clear();
    window.release();
    promise.fail(cause);
    return true;
  }
}
