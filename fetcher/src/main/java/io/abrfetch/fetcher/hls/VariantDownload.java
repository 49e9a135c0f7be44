package io.abrfetch.fetcher.hls;

import io.abrfetch.fetcher.BodySink;
import io.abrfetch.fetcher.ByteRange;
import io.abrfetch.fetcher.Downloader;
import io.abrfetch.fetcher.EventLoopContexts;
import io.abrfetch.fetcher.FetchException;
import io.abrfetch.fetcher.FetchRequest;
import io.abrfetch.fetcher.FetchResult;
import io.abrfetch.fetcher.Peer;
import io.abrfetch.fetcher.PeerHandle;
import io.abrfetch.fetcher.RequestPriority;
import io.abrfetch.playlist.MasterPlaylist;
import io.abrfetch.playlist.MediaPlaylist;
import io.abrfetch.playlist.Playlist;
import io.abrfetch.playlist.PlaylistException;
import io.abrfetch.playlist.PlaylistParser;
import io.abrfetch.playlist.Segment;
import io.abrfetch.playlist.SegmentMap;
import io.abrfetch.playlist.VariantLadder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.streams.WriteStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads one whole VOD variant of an HLS presentation, as fast as the link allows, and writes
 * its media in playlist order to a {@link WriteStream} or a file: what {@code abrfetch download}
 * runs.
 *
 * <p>From a master playlist it takes the variant of {@link VariantDownloadOptions#variantIndex()}
 * (ladder order, lowest bitrate first), or it takes a media playlist as it is. It fetches up to
 * {@link VariantDownloadOptions#concurrency()} media segments at once through one peer of the
 * {@link Downloader} (so every request is scheduled, capped, retried and resumed by it), together
 * with their AES-128 keys (once per key URI) and init sections (once per {@code EXT-X-MAP}),
 * decrypts them (large segments on a worker), and writes them in order: the init section first and
 * again before each segment whose init section differs from the one before it, then the
 * segment's plaintext. Byte-range segments are fetched as ranges ({@code EXT-X-BYTERANGE}); gap
 * segments are skipped.
 *
 * <p>Segments fetched ahead of the oldest one not yet written wait in a reorder window of
 * {@link VariantDownloadOptions#windowSegments()} segments; no segment beyond the window is
 * requested, so memory stays under {@code windowSegments x maxSegmentBytes} (plus, for
 * {@link #toFile}, a 4 MiB file write queue) and a slow sink
 * ({@link WriteStream#writeQueueFull()}) stops new requests until it drains.
 *
 * <p>Failures are {@link HlsException}s naming the segment: {@code PLAYLIST_UNAVAILABLE},
 * {@code PLAYLIST_INVALID}, {@code NO_SUCH_VARIANT}, {@code LIVE_UNSUPPORTED} (a playlist without
 * {@code EXT-X-ENDLIST}: live and event playlists are refused, not cut at their current window),
 * {@code UNSUPPORTED_ENCRYPTION}, {@code KEY}, {@code INIT_SEGMENT}, {@code SEGMENT},
 * {@code DECRYPTION}, {@code SINK}, {@code CANCELLED}, {@code CLOSED}. A transient failure that
 * outlives the downloader's retries is tried again up to
 * {@link VariantDownloadOptions#maxSegmentAttempts()} times. When a segment fails for good, no
 * new segment is requested, the segments before it that are still in flight are completed and
 * written, and then the download fails and every request still running is cancelled: the sink
 * holds exactly the segments before the failed one, whole and in order (see {@link #progress()}).
 * A cancel, a sink failure or a closed downloader fail at once. The sink is never ended by
 * {@link #start}; {@link #toFile} closes its file in every case and leaves that prefix in it.
 *
 * <p>Threading: the download's state is confined to its context (the event-loop context current
 * at {@code start}, else a new one); the sink is written, and the progress listener and result
 * callbacks run, there. {@link #cancel()} and {@link #progress()} may be called from any thread.
 */
public final class VariantDownload {

  private static final AtomicLong NEXT_ID = new AtomicLong(1);
  private static final int INIT_CACHE_ENTRIES = 8;
  private static final int KEY_CACHE_ENTRIES = 64;
  /** {@link #toFile}'s write queue: writes beyond it wait for the file (the sink is full). */
  static final int FILE_WRITE_QUEUE_BYTES = 4 * 1024 * 1024;

  /** A fetched segment waiting for its turn: the init section to write first (or null), data. */
  private record Ready(Buffer init, Buffer data, boolean encrypted) {}

  private final ContextInternal context;
  private final Downloader downloader;
  private final String url;
  private final VariantDownloadOptions options;
  private final PromiseInternal<VariantDownloadResult> promise;
  // What result() answers: the promise's future, or (toFile) that future once the file is closed.
  private volatile Future<VariantDownloadResult> outcome;
  private final long startNanos;
  private final PlaylistParser parser = new PlaylistParser();
  private final AesKeys keys = new AesKeys(KEY_CACHE_ENTRIES);

  // Confined to the download's context.
  private WriteStream<Buffer> sink;
  private PeerHandle peer;
  private String mediaUrl;
  private List<Segment> segments = List.of();
  private final Map<Integer, Ready> ready = new HashMap<>();
  private final Map<Integer, Integer> attempts = new HashMap<>();
  private final Map<SegmentMap, Future<Buffer>> inits = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<SegmentMap, Future<Buffer>> eldest) {
      return size() > INIT_CACHE_ENTRIES;
    }
  };
  private int nextToIssue;
  // The first segment that failed fatally, and why: the download fails once the ones before it
  // are written, so the sink holds every segment before the failed one.
  private int failedIndex = Integer.MAX_VALUE;
  private HlsException failure;
  private int inFlight;
  private int initSectionsWritten;
  private int encryptedSegments;
  private boolean drainArmed;
  private boolean finishing;
  private boolean done;
  private Future<Void> lastWrite = Future.succeededFuture();

  // Written on the context, read from any thread.
  private volatile int nextToWrite;
  private volatile int segmentsTotal;
  private volatile long bytesWritten;
  private volatile long heldBytes;
  private volatile long peakHeldBytes;

  private VariantDownload(ContextInternal context, Downloader downloader, String url,
      VariantDownloadOptions options) {
    this.context = context;
    this.downloader = downloader;
    this.url = url;
    this.options = options;
    this.promise = context.promise();
    this.outcome = promise.future();
    this.startNanos = options.nanoClock().getAsLong();
  }

  /**
   * Starts downloading the variant at {@code url} into {@code sink}; never blocks. The sink is not
   * ended.
   *
   * @param url absolute http(s) URL of a master or media playlist
   * @throws IllegalArgumentException when an argument is null or the URL is not absolute
   */
  public static VariantDownload start(Vertx vertx, Downloader downloader, String url,
      WriteStream<Buffer> sink, VariantDownloadOptions options) {
    if (sink == null) {
      throw new IllegalArgumentException("sink: null (expected: non-null)");
    }
    VariantDownload download = create(vertx, downloader, url, options);
    download.context.runOnContext(v -> download.begin(sink));
    return download;
  }

  /**
   * Starts downloading the variant at {@code url} into {@code file} (created or truncated); the
   * file is closed before the result completes, also on failure (then it holds the segments
   * before the failed one). A file that cannot be opened fails the result with {@code SINK}.
   */
  public static VariantDownload toFile(Vertx vertx, Downloader downloader, String url, Path file,
      VariantDownloadOptions options) {
    if (file == null) {
      throw new IllegalArgumentException("file: null (expected: a path)");
    }
    VariantDownload download = create(vertx, downloader, url, options);
    Promise<AsyncFile> opened = download.context.promise();
    // The result waits for the file: opened (or not), then closed whatever the outcome.
    download.outcome = download.promise.future().transform(ar -> opened.future()
        .transform(o -> o.succeeded() ? o.result().close() : Future.<Void>succeededFuture())
        .transform(closed -> {
          if (ar.failed()) {
            return Future.failedFuture(ar.cause());
          }
          if (closed.failed()) {
            return Future.failedFuture(new HlsException(HlsException.Kind.SINK, "cannot close "
                + file + ": " + closed.cause().getMessage(), -1, null, closed.cause()));
          }
          return Future.succeededFuture(ar.result());
        }));
    download.context.runOnContext(v -> vertx.fileSystem().open(file.toString(),
        new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
        .onComplete(ar -> {
          if (ar.failed()) {
            opened.fail(ar.cause());
            download.fail(new HlsException(HlsException.Kind.SINK, "cannot open " + file + ": "
                + ar.cause().getMessage(), -1, null, ar.cause()));
            return;
          }
          // Room for a few segments: the loop hands writes over while the worker writes.
          AsyncFile out = ar.result().setWriteQueueMaxSize(FILE_WRITE_QUEUE_BYTES);
          opened.complete(out);
          download.begin(out);
        }));
    return download;
  }

  private static VariantDownload create(Vertx vertx, Downloader downloader, String url,
      VariantDownloadOptions options) {
    if (vertx == null || downloader == null || url == null || options == null) {
      throw new IllegalArgumentException("vertx, downloader, url, options: null "
          + "(expected: non-null)");
    }
    HlsSession.checkAbsoluteUrl(url);
    ContextInternal context = EventLoopContexts.currentOrNew(vertx);
    return new VariantDownload(context, downloader, url, options);
  }

  /**
   * Completes once every segment was written and acknowledged by the sink (and, for
   * {@link #toFile}, the file closed), or fails with an {@link HlsException}. Callbacks run on the
   * download's context.
   */
  public Future<VariantDownloadResult> result() {
    return outcome;
  }

  /** Cancels the download ({@code CANCELLED}); true when it was still running. */
  public Future<Boolean> cancel() {
    Promise<Boolean> cancelled = context.promise();
    context.runOnContext(v -> cancelled.complete(fail(new HlsException(
        HlsException.Kind.CANCELLED, "cancelled by the caller after " + nextToWrite
            + " segments", -1, url, null))));
    return cancelled.future();
  }

  /** A snapshot of the progress; any thread. */
  public VariantDownloadProgress progress() {
    return new VariantDownloadProgress(nextToWrite, segmentsTotal, bytesWritten,
        options.nanoClock().getAsLong() - startNanos, heldBytes);
  }

  /** The most bytes the reorder window has held at once so far; any thread. */
  public long peakHeldBytes() {
    return peakHeldBytes;
  }

  // ---------------------------------------------------------------- on the download's context

  private void begin(WriteStream<Buffer> target) {
    if (done) {
      return;
    }
    sink = target;
    String peerId = options.peerId() != null ? options.peerId()
        : "variant-download-" + NEXT_ID.getAndIncrement();
    try {
      peer = downloader.register(Peer.of(peerId));
    } catch (RuntimeException e) {
      fail(new HlsException(HlsException.Kind.CLOSED, "cannot register peer " + peerId + ": "
          + e.getMessage(), -1, url, e));
      return;
    }
    fetchPlaylist(url)
        .compose(this::chooseMedia)
        .onComplete(ar -> {
          if (done) {
            return;
          }
          if (ar.failed()) {
            fail(ar.cause());
            return;
          }
          MediaPlaylist media = ar.result();
          if (media.isLive()) {
            fail(new HlsException(HlsException.Kind.LIVE_UNSUPPORTED, mediaUrl
                + " has no EXT-X-ENDLIST (expected: a VOD playlist; live and growing event"
                + " playlists are not downloaded)", -1, mediaUrl, null));
            return;
          }
          segments = media.segments();
          segmentsTotal = segments.size();
          pump();
        });
  }

  /** The media playlist of the variant asked for, from a master or a media playlist. */
  private Future<MediaPlaylist> chooseMedia(Parsed parsed) {
    if (parsed.playlist() instanceof MediaPlaylist media) {
      if (options.variantIndex() != 0) {
        return Future.failedFuture(new HlsException(HlsException.Kind.NO_SUCH_VARIANT, url
            + " is a media playlist: its only variant is 0 (asked: " + options.variantIndex()
            + ")", -1, url, null));
      }
      mediaUrl = parsed.url();
      return Future.succeededFuture(media);
    }
    VariantLadder ladder = ((MasterPlaylist) parsed.playlist()).ladder();
    if (options.variantIndex() >= ladder.size()) {
      return Future.failedFuture(new HlsException(HlsException.Kind.NO_SUCH_VARIANT, url
          + " has " + ladder.size() + " variants (expected: --variant 0.." + (ladder.size() - 1)
          + ", asked: " + options.variantIndex() + ")", -1, url, null));
    }
    String variantUrl = ladder.get(options.variantIndex()).uri().toString();
    return fetchPlaylist(variantUrl).compose(media -> {
      if (!(media.playlist() instanceof MediaPlaylist m)) {
        return Future.failedFuture(new HlsException(HlsException.Kind.PLAYLIST_INVALID,
            variantUrl + " is a master playlist (expected: the variant's media playlist)", -1,
            variantUrl, null));
      }
      mediaUrl = media.url();
      return Future.succeededFuture(m);
    });
  }

  private record Parsed(String url, Playlist playlist) {}

  private Future<Parsed> fetchPlaylist(String playlistUrl) {
    FetchRequest request = FetchRequest.builder(playlistUrl)
        .priority(RequestPriority.BLOCKING)
        .sink(BodySink.collect(options.maxSegmentBytes()))
        .build();
    return submit(request)
        .recover(e -> Future.failedFuture(HlsException.ofPlaylistFailure(e, playlistUrl)))
        .compose(result -> {
          try {
            return Future.succeededFuture(new Parsed(result.url(),
                parser.parse(URI.create(result.url()), result.body().getBytes())));
          } catch (PlaylistException e) {
            return Future.failedFuture(new HlsException(HlsException.Kind.PLAYLIST_INVALID,
                playlistUrl + ": " + e.getMessage(), -1, playlistUrl, e));
          }
        });
  }

  /** Starts segments while fewer than {@code concurrency} run and the window has room. */
  private void pump() {
    while (!done && inFlight < options.concurrency() && nextToIssue < segments.size()
        && nextToIssue < failedIndex && nextToIssue < nextToWrite + options.windowSegments()) {
      int index = nextToIssue++;
      inFlight++;
      issue(index);
    }
    writeReady();
  }

  private void issue(int index) {
    Segment segment = segments.get(index);
    if (segment.gap()) {
      onFetched(index, new Ready(null, Buffer.buffer(), false));
      return;
    }
    Future<byte[]> key = keys.keyFor(segment, this::submit);
    Future<Buffer> init = needsInit(index) ? initFor(segment) : Future.succeededFuture();
    Future<Buffer> body = fetchMedia(segment);
    Future.all(key, init, body)
        .compose(all -> SegmentCipher.decrypt(context, options.decryptOffLoopThresholdBytes(),
            segment, key.result(), body.result()))
        .onComplete(ar -> {
          if (done) {
            return;
          }
          if (ar.succeeded()) {
            onFetched(index, new Ready(init.result(), ar.result(), segment.isEncrypted()));
          } else {
            onSegmentFailure(index, firstFailure(ar.cause(), key, init, body));
          }
        });
  }

  /** Whether segment {@code index} is preceded by an init section: the first, or a new map. */
  private boolean needsInit(int index) {
    SegmentMap map = segments.get(index).map();
    if (map == null) {
      return false;
    }
    for (int i = index - 1; i >= 0; i--) {
      if (!segments.get(i).gap()) {
        return !map.equals(segments.get(i).map());
      }
    }
    return true;
  }

  /** {@code Future.all} fails with the first failure to happen; prefer the key's, then init's. */
  private static Throwable firstFailure(Throwable cause, Future<?>... parts) {
    for (Future<?> part : parts) {
      if (part.failed()) {
        return part.cause();
      }
    }
    return cause;
  }

  private Future<Buffer> initFor(Segment segment) {
    SegmentMap map = segment.map();
    Future<Buffer> cached = inits.get(map);
    if (cached != null) {
      return cached;
    }
    String initUrl = map.uri().toString();
    FetchRequest.Builder request = FetchRequest.builder(initUrl)
        .priority(RequestPriority.BLOCKING)
        .sink(BodySink.collect(options.maxSegmentBytes()));
    if (map.byteRange() != null) {
      request.range(ByteRange.of(map.byteRange().offsetBytes(), map.byteRange().lengthBytes()));
    }
    Future<Buffer> init = submit(request.build())
        .map(FetchResult::body)
        .recover(e -> Future.failedFuture(TrackPeer.classify(HlsException.Kind.INIT_SEGMENT, e,
            segment.mediaSequence(), initUrl)));
    inits.put(map, init);
    init.onFailure(e -> inits.remove(map, init));
    return init;
  }

  private Future<Buffer> fetchMedia(Segment segment) {
    String segmentUrl = segment.uri().toString();
    FetchRequest.Builder request = FetchRequest.builder(segmentUrl)
        .priority(RequestPriority.PREFETCH)
        .mediaDurationUs(segment.durationUs())
        .sink(BodySink.collect(options.maxSegmentBytes()));
    if (segment.byteRange() != null) {
      request.range(ByteRange.of(segment.byteRange().offsetBytes(),
          segment.byteRange().lengthBytes()));
    }
    return submit(request.build())
        .map(FetchResult::body)
        .recover(e -> Future.failedFuture(TrackPeer.classify(HlsException.Kind.SEGMENT, e,
            segment.mediaSequence(), segmentUrl)));
  }

  private void onFetched(int index, Ready segment) {
    inFlight--;
    attempts.remove(index);
    ready.put(index, segment);
    long held = heldBytes + segment.data().length()
        + (segment.init() == null ? 0 : segment.init().length());
    heldBytes = held;
    peakHeldBytes = Math.max(peakHeldBytes, held);
    pump();
  }

  /** A transient failure is tried again (the segment keeps its place); anything else is fatal. */
  private void onSegmentFailure(int index, Throwable cause) {
    Segment segment = segments.get(index);
    long sequence = segment.mediaSequence();
    String segmentUrl = segment.uri().toString();
    FetchException fetch = cause instanceof FetchException f ? f : null;
    if (fetch != null && (fetch.isTransient() || fetch.kind() == FetchException.Kind.QUEUE_FULL)) {
      int attempt = attempts.merge(index, 1, Integer::sum);
      if (attempt < options.maxSegmentAttempts()) {
        context.setTimer(Math.max(1, options.segmentRetryDelay().toMillis()), id -> {
          if (!done && index < failedIndex) {
            issue(index);
          }
        });
        return;
      }
      failAt(index, new HlsException(HlsException.Kind.SEGMENT, "segment " + sequence + " ("
          + segmentUrl + ") failed " + attempt + " times, last: " + fetch.getMessage(), sequence,
          segmentUrl, fetch));
      return;
    }
    if (fetch != null && (fetch.kind() == FetchException.Kind.CLOSED
        || fetch.kind() == FetchException.Kind.CANCELLED)) {
      fail(new HlsException(HlsException.Kind.CLOSED, "segment " + sequence + " (" + segmentUrl
          + "): the downloader closed or cancelled it: " + fetch.getMessage(), sequence,
          segmentUrl, fetch));
      return;
    }
    failAt(index, cause instanceof HlsException h ? h : new HlsException(
        HlsException.Kind.SEGMENT, "segment " + sequence + " (" + segmentUrl + ") failed: "
            + cause, sequence, segmentUrl, cause));
  }

  /** Segment {@code index} failed for good: no new requests; fail once those before it are out. */
  private void failAt(int index, HlsException cause) {
    inFlight--;
    if (index < failedIndex) {
      failedIndex = index;
      failure = cause;
    }
    writeReady();
  }

  /** Writes the segments that are next in order while the sink has room. */
  private void writeReady() {
    while (!done && nextToWrite < failedIndex && ready.containsKey(nextToWrite)) {
      if (sink.writeQueueFull()) {
        armDrain();
        return;
      }
      Ready segment = ready.remove(nextToWrite);
      long written = 0;
      if (segment.init() != null) {
        write(segment.init());
        initSectionsWritten++;
        written += segment.init().length();
      }
      if (segment.data().length() > 0) {
        write(segment.data());
        written += segment.data().length();
      }
      if (segment.encrypted()) {
        encryptedSegments++;
      }
      heldBytes -= written;
      bytesWritten += written;
      nextToWrite++;
      if (options.progressListener() != null) {
        options.progressListener().accept(progress());
      }
    }
    if (!done && nextToWrite == failedIndex) {
      fail(failure);
    } else if (!done && !finishing && nextToWrite == segments.size() && segmentsTotal == segments.size()
        && nextToIssue == segments.size()) {
      finish();
    } else if (!done && inFlight < options.concurrency() && nextToIssue < segments.size()
        && nextToIssue < failedIndex && nextToIssue < nextToWrite + options.windowSegments()) {
      // Writing made room in the window.
      context.runOnContext(v -> pump());
    }
  }

  private void write(Buffer data) {
    Future<Void> write = sink.write(data);
    lastWrite = write;
    write.onFailure(e -> context.runOnContext(v -> fail(new HlsException(HlsException.Kind.SINK,
        "write to the output failed: " + e.getMessage(), -1, null, e))));
  }

  private void armDrain() {
    if (!drainArmed) {
      drainArmed = true;
      sink.drainHandler(v -> context.runOnContext(x -> {
        drainArmed = false;
        pump();
      }));
    }
  }

  private void finish() {
    finishing = true;
    lastWrite.onComplete(ar -> context.runOnContext(v -> {
      if (done) {
        return;
      }
      if (ar.failed()) {
        fail(new HlsException(HlsException.Kind.SINK, "write to the output failed: "
            + ar.cause().getMessage(), -1, null, ar.cause()));
        return;
      }
      done = true;
      VariantDownloadResult result = new VariantDownloadResult(mediaUrl, options.variantIndex(),
          nextToWrite, bytesWritten, initSectionsWritten, encryptedSegments, peakHeldBytes,
          options.nanoClock().getAsLong() - startNanos);
      closePeer().onComplete(c -> promise.complete(result));
    }));
  }

  /** Ends the download with {@code cause}: cancels what runs, drops what is held. */
  private boolean fail(Throwable cause) {
    if (done) {
      return false;
    }
    done = true;
    ready.clear();
    heldBytes = 0;
    Throwable failure = cause instanceof HlsException ? cause : new HlsException(
        HlsException.Kind.SEGMENT, String.valueOf(cause), -1, url, cause);
    closePeer().onComplete(c -> promise.fail(failure));
    return true;
  }

  /** Closing the peer ends each of its requests exactly once (running ones are cancelled). */
  private Future<Void> closePeer() {
    return peer == null ? Future.succeededFuture() : peer.close();
  }

  /** Submits {@code request} through the download's peer; the result arrives on its context. */
  private Future<FetchResult> submit(FetchRequest request) {
    PromiseInternal<FetchResult> result = context.promise();
    peer.fetch(request).result().onComplete(result);
    return result.future();
  }

  @Override
  public String toString() {
    return "VariantDownload[" + url + ", variant " + options.variantIndex() + ", "
        + progress() + "]";
  }
}
