package io.abrfetch.player;

import io.abrfetch.abr.AbrController;
import io.abrfetch.fetcher.Downloader;
import io.abrfetch.fetcher.EventLoopContexts;
import io.abrfetch.fetcher.hls.HlsEvent;
import io.abrfetch.fetcher.hls.HlsSession;
import io.abrfetch.fetcher.hls.MediaSegment;
import io.abrfetch.fetcher.hls.Track;
import io.abrfetch.fetcher.hls.TrackType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A player without a screen: it opens an HLS presentation as an {@link HlsSession} (the video
 * variant ABR picks, plus the alternate audio rendition the variant names), reads each
 * {@link Track} in order with backpressure, plays the media on a {@link PlaybackClock} (startup,
 * stalls, resumes, QoE), and writes each segment to a {@link MediaSink} when playback reaches it.
 *
 * <pre>{@code
 * AbrController abr = AbrController.create();
 * Downloader downloader = Downloader.create(vertx, DownloaderOptions.defaults(), abr);
 * HeadlessPlayer.start(vertx, downloader, abr, "https://cdn.example/master.m3u8",
 *         HeadlessPlayerOptions.defaults(), MediaSink.toFile(vertx, Path.of("out.ts")))
 *     .compose(player -> player.addListener(event -> log(event.toJson())).result())
 *     .onSuccess(result -> System.out.println(result.toJson().encodePrettily()));
 * }</pre>
 *
 * <p><b>Reading.</b> A track is read one segment at a time while the player holds less than the
 * session's target buffer of that track ahead of the playhead; the player tells the track how much
 * it holds ({@link Track#reportBufferedUs}), so the peer's look-ahead and ABR see the real buffer.
 * The player asks with urgency (a waiting reader, so the fetch is {@code BLOCKING}) only while it
 * holds less than twice the larger of the startup and rebuffer thresholds; above that it takes what
 * the track has prefetched.
 *
 * <p><b>Playing.</b> A video segment is appended to the clock once the alternate audio (if any)
 * has arrived up to its end (within {@value #AUDIO_SLACK_US} µs), so the playable buffer is the
 * smaller of the two tracks' buffers. Between arrivals a timer on the player's context advances
 * the clock at least every {@value #MAX_TICK_MS} ms (and exactly when the buffer runs dry or the
 * maximum duration is reached), samples the ABR estimate and the measured throughput into the
 * timeline, and writes what playback reached to the sink.
 *
 * <p><b>End.</b> {@link #result()} completes once: at the end of a VOD stream after everything was
 * played, when {@link HeadlessPlayerOptions#maxPlayDurationUs()} of media was played, or at
 * {@link #close()}; it fails with the track's {@link io.abrfetch.fetcher.hls.HlsException} when a
 * track fails, or with the sink's error. Either way the session is closed (every fetch ends once),
 * the sink is flushed and closed, and no timer is left.
 *
 * <p><b>Threading.</b> The player's state is confined to its event-loop context (the context
 * current when {@link #start} runs on an event loop, else a new one), which is also its HLS
 * session's. {@link #status()}, {@link #sessionId()}, {@link #url()} are thread-safe snapshots;
 * {@link #close()} and {@link #addListener} may be called from any thread. Listeners run on the
 * player's context and must not block it.
 */
public final class HeadlessPlayer {

  /** The longest wait between two clock updates, milliseconds. */
  static final long MAX_TICK_MS = 100;
  /** How far the alternate audio may end before a video segment's end for it to be playable. */
  static final long AUDIO_SLACK_US = 250_000;
  /**
   * Segments handed to the sink and not yet written beyond which the player stops reading: a sink
   * that cannot keep up (a stalled pipe) makes the player stall rather than hold media without
   * bound.
   */
  static final int MAX_PENDING_WRITES = 8;

  private final Vertx vertx;
  private final ContextInternal context;
  private final Downloader downloader;
  private final AbrController abr;
  private final String url;
  private final HeadlessPlayerOptions options;
  private final MediaSink sink;
  private final boolean keepsBytes;
  private final LongSupplier nanoClock;
  private final List<Consumer<PlayerEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Promise<PlayerResult> result;
  private final Promise<Void> closed;
  private final long urgentBelowUs;

  // Written on the player's context, read from any thread.
  private volatile HlsSession session;
  private volatile String sessionId;
  private volatile PlayerStatus status;
  private volatile long throughputBps = TimelineSample.UNKNOWN;

  // Confined to the player's context.
  private long startNanos;
  private PlaybackClock clock;
  private Reader video;
  private Reader audio;
  private final ArrayDeque<Chunk> unappendedVideo = new ArrayDeque<>();
  private long timerId = -1;
  private boolean finishing;
  private Future<Void> writes = Future.succeededFuture();
  private int pendingWrites;
  private int lastVariantIndex = -1;
  private long lastVariantBitrateBps;
  private long segments;
  private long bytes;
  private long nextProgressUs;
  private Runnable unsubscribeThroughput = () -> {};

  private HeadlessPlayer(Vertx vertx, ContextInternal context, Downloader downloader,
      AbrController abr, String url, HeadlessPlayerOptions options, MediaSink sink) {
    this.vertx = vertx;
    this.context = context;
    this.downloader = downloader;
    this.abr = abr;
    this.url = url;
    this.options = options;
    this.sink = sink;
    this.keepsBytes = sink != MediaSink.discard();
    this.nanoClock = options.session().nanoClock();
    this.result = context.promise();
    this.closed = context.promise();
    PlaybackClockOptions clockOptions = options.clock();
    this.urgentBelowUs = 2 * Math.max(clockOptions.startupThresholdUs(),
        clockOptions.rebufferThresholdUs());
  }

  /**
   * Opens {@code url} (a master or media playlist) as an {@link HlsSession} on {@code downloader}
   * and {@code abr}, and starts playing; completes once the session is open (its first playlists
   * loaded), or fails with the session's {@link io.abrfetch.fetcher.hls.HlsException}
   * ({@code PLAYLIST_UNAVAILABLE}, {@code PLAYLIST_INVALID}, ...) after closing {@code sink}, or
   * with an {@link IllegalArgumentException} for a URL that is not an absolute http(s) URL.
   *
   * @param sink where the played media goes ({@link MediaSink#discard()} for nowhere); the player
   *     closes it at the end of the session
   */
  public static Future<HeadlessPlayer> start(Vertx vertx, Downloader downloader, AbrController abr,
      String url, HeadlessPlayerOptions options, MediaSink sink) {
    if (vertx == null || downloader == null || abr == null || url == null || options == null
        || sink == null) {
      throw new IllegalArgumentException("vertx, downloader, abr, url, options, sink: "
          + "null (expected: non-null)");
    }
    ContextInternal context = EventLoopContexts.currentOrNew(vertx);
    String problem = checkUrl(url);
    if (problem != null) {
      return sink.close().transform(ar -> Future.<HeadlessPlayer>failedFuture(
          new IllegalArgumentException("url: " + url + " (expected: " + problem + ")")));
    }
    HeadlessPlayer player = new HeadlessPlayer(vertx, context, downloader, abr, url, options,
        sink);
    Promise<HeadlessPlayer> started = context.promise();
    context.runOnContext(v -> player.open(started));
    return started.future();
  }

  /** What is wrong with {@code url}, or null when it is an absolute http(s) URL with a host. */
  static String checkUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "an absolute http(s) URL";
      }
      if (uri.getHost() == null) {
        return "an absolute http(s) URL with a host";
      }
      return null;
    } catch (URISyntaxException e) {
      return "a valid URL: " + e.getReason();
    }
  }

  private void open(Promise<HeadlessPlayer> started) {
    startNanos = nanoClock.getAsLong();
    clock = PlaybackClock.start(options.clock(), 0);
    HlsSession.open(vertx, downloader, abr, url, options.session(), this::onHlsEvent)
        .onComplete(ar -> {
          if (ar.failed()) {
            sink.close().onComplete(c -> started.fail(ar.cause()));
            return;
          }
          HlsSession opened = ar.result();
          session = opened;
          if (finishing) {
            opened.close().onComplete(c -> started.fail(new IllegalStateException(
                "the player was closed while its session opened")));
            return;
          }
          sessionId = opened.sessionId();
          unsubscribeThroughput = ThroughputFeed.subscribe(downloader, sessionId,
              bps -> throughputBps = bps);
          video = new Reader(opened.video());
          audio = opened.audio().map(Reader::new).orElse(null);
          updateStatus();
          started.complete(this);
          video.attach();
          if (audio != null) {
            audio.attach();
          }
          tick();
        });
  }

  // ---------------------------------------------------------------- public API

  /** The player's id: its HLS session's id ({@link HlsSession#sessionId()}). */
  public String sessionId() {
    return sessionId;
  }

  /** The playlist URL played. */
  public String url() {
    return url;
  }

  /** A snapshot of where the player stands; thread-safe. */
  public PlayerStatus status() {
    return status;
  }

  /**
   * Completes exactly once when the session is over (end of stream, maximum duration,
   * {@link #close()}), after the session and the sink are closed; fails with the track's
   * {@link io.abrfetch.fetcher.hls.HlsException} on a fatal track failure, or with the sink's
   * error.
   */
  public Future<PlayerResult> result() {
    return result.future();
  }

  /** Adds a listener of the player's events (called on the player's context, in order). */
  public HeadlessPlayer addListener(Consumer<PlayerEvent> listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener: null (expected: non-null)");
    }
    listeners.add(listener);
    return this;
  }

  /** Removes a listener added with {@link #addListener}. */
  public HeadlessPlayer removeListener(Consumer<PlayerEvent> listener) {
    listeners.remove(listener);
    return this;
  }

  /** The shared ABR controller: manual variants and caps go through it (peer {@code <id>/video}). */
  public AbrController abr() {
    return abr;
  }

  /** The HLS session the player reads. */
  public HlsSession session() {
    return session;
  }

  /** The options the player runs with. */
  public HeadlessPlayerOptions options() {
    return options;
  }

  /**
   * Ends the session now (result {@link PlayerResult#CLOSED} unless it was already over): stops
   * the clock, closes the session (every fetch ends once), flushes and closes the sink; completes
   * when all that is done. Idempotent; callable from any thread.
   */
  public Future<Void> close() {
    context.runOnContext(v -> finish(PlayerResult.CLOSED, null));
    return closed.future();
  }

  /** A copy of the clock's timeline so far, taken on the player's context. */
  public Future<PlaybackTimeline> timeline() {
    Promise<PlaybackTimeline> copy = context.promise();
    context.runOnContext(v -> copy.complete(PlaybackTimeline.of(clock)));
    return copy.future();
  }

  // ---------------------------------------------------------------- reading

  /** A video segment waiting to be appended to the clock (its bytes are not kept here). */
  private record Chunk(long relativeEndUs, long durationUs, long bitrateBps, int variantIndex,
      long mediaSequence, long relativeStartUs) {}

  /** One track's reader: what arrived, what is still to be written, and the demand. */
  private final class Reader {
    final Track track;
    final ArrayDeque<MediaSegment> toWrite = new ArrayDeque<>();
    long firstStartUs = -1;
    /** The end of what arrived, on the clock's media axis (0 = the first segment's start). */
    long receivedEndUs;
    boolean ended;
    boolean asked;

    Reader(Track track) {
      this.track = track;
    }

    void attach() {
      track.pause();
      track.exceptionHandler(HeadlessPlayer.this::fail);
      track.endHandler(v -> onTrackEnd(this));
      track.handler(segment -> onSegment(this, segment));
      pump();
    }

    long relativeStartUs(MediaSegment segment) {
      return segment.startUs() - firstStartUs;
    }

    /** Media of this track held ahead of the playhead. */
    long heldUs() {
      return Math.max(0, receivedEndUs - clock.positionUs());
    }

    /** Asks for the next segment when the buffer has room. */
    void pump() {
      if (finishing || ended || asked || pendingWrites >= MAX_PENDING_WRITES) {
        return;
      }
      long held = heldUs();
      if (held >= options.session().targetBufferUs()) {
        return;
      }
      if (track.queuedSegments() > 0 || held < urgentBelowUs) {
        asked = true;
        track.fetch(1);
      }
    }

    void reportBuffered() {
      if (!ended) {
        track.reportBufferedUs(heldUs());
      }
    }
  }

  private void onHlsEvent(HlsEvent event) {
    emit(new PlayerEvent.Hls(event));
    if (event instanceof HlsEvent.SegmentReady ready && !finishing) {
      // Emitted just before the segment is queued: look again once it is there.
      Reader reader = ready.type() == TrackType.AUDIO ? audio : video;
      if (reader != null) {
        context.runOnContext(v -> reader.pump());
      }
    }
  }

  private void onSegment(Reader reader, MediaSegment segment) {
    if (finishing) {
      return;
    }
    reader.asked = false;
    if (reader.firstStartUs < 0) {
      reader.firstStartUs = segment.startUs();
    }
    long relativeStartUs = reader.relativeStartUs(segment);
    reader.receivedEndUs = relativeStartUs + segment.durationUs();
    segments++;
    bytes += segment.sizeBytes()
        + (segment.initSegment() == null ? 0 : segment.initSegment().length());
    if (keepsBytes) {
      reader.toWrite.addLast(segment);
    }
    if (reader == video) {
      long bitrateBps = segment.bitrateBps() > 0 ? segment.bitrateBps()
          : Math.max(1, Math.round(segment.sizeBytes() * 8e6 / Math.max(1, segment.durationUs())));
      unappendedVideo.addLast(new Chunk(reader.receivedEndUs, segment.durationUs(), bitrateBps,
          segment.variantIndex(), segment.mediaSequence(), relativeStartUs));
    }
    long nowUs = nowUs();
    appendPlayable(nowUs);
    reader.reportBuffered();
    reader.pump();
    writePlayed();
    updateStatus();
    rescheduleTick(nowUs);
  }

  private void onTrackEnd(Reader reader) {
    if (finishing) {
      return;
    }
    reader.ended = true;
    long nowUs = nowUs();
    appendPlayable(nowUs);
    if (video.ended && (audio == null || audio.ended) && unappendedVideo.isEmpty()) {
      onClock(() -> clock.endOfStream(nowUs));
    }
    tick();
  }

  /** Appends the video segments the alternate audio covers (all of them without audio). */
  private void appendPlayable(long nowUs) {
    while (!unappendedVideo.isEmpty()) {
      Chunk chunk = unappendedVideo.peekFirst();
      if (audio != null && !audio.ended
          && audio.receivedEndUs < chunk.relativeEndUs() - AUDIO_SLACK_US) {
        return;
      }
      unappendedVideo.pollFirst();
      if (chunk.durationUs() <= 0 || clock.state().isTerminal()) {
        continue;
      }
      onClock(() -> clock.append(nowUs, chunk.durationUs(), chunk.bitrateBps(),
          chunk.variantIndex()));
      if (lastVariantIndex >= 0 && chunk.variantIndex() != lastVariantIndex) {
        emit(new PlayerEvent.Switched(lastVariantIndex, chunk.variantIndex(),
            lastVariantBitrateBps, chunk.bitrateBps(), chunk.mediaSequence(),
            chunk.relativeStartUs()));
      }
      lastVariantIndex = chunk.variantIndex();
      lastVariantBitrateBps = chunk.bitrateBps();
    }
  }

  // ---------------------------------------------------------------- the clock

  private long nowUs() {
    return (nanoClock.getAsLong() - startNanos) / 1_000;
  }

  /** Runs a clock call and emits the state changes it made. */
  private void onClock(Runnable call) {
    PlaybackState before = clock.state();
    int stallsBefore = clock.summary().stallCount();
    call.run();
    PlaybackState after = clock.state();
    QoeSummary q = clock.summary();
    if (before == PlaybackState.STARTING && q.hasStarted()) {
      emit(new PlayerEvent.Started(q.startupMs()));
    }
    boolean stalled = q.stallCount() > stallsBefore;
    if (stalled) {
      emit(new PlayerEvent.Stalled(clock.positionUs(), q.stallCount()));
    }
    if ((before == PlaybackState.STALLED || stalled) && after == PlaybackState.PLAYING) {
      emit(new PlayerEvent.Resumed(clock.positionUs(), q.stallMs()));
    }
  }

  private void tick() {
    timerId = -1;
    if (finishing) {
      return;
    }
    long maxUs = options.maxPlayDurationUs();
    long nowUs = nowUs();
    if (maxUs > 0 && clock.positionUs() < maxUs) {
      // Stop where the limit was reached, however late this timer fired.
      nowUs = Math.min(nowUs, clock.positionReachedAtUs(maxUs));
    }
    long atUs = nowUs;
    onClock(() -> clock.sample(atUs, abr.bandwidthEstimateBps(), throughputBps));
    writePlayed();
    if (maxUs > 0 && clock.positionUs() >= maxUs) {
      finish(PlayerResult.MAX_DURATION, null, atUs);
      return;
    }
    if (clock.state() == PlaybackState.ENDED) {
      finish(PlayerResult.END_OF_STREAM, null);
      return;
    }
    for (Reader reader : readers()) {
      reader.reportBuffered();
      reader.pump();
    }
    updateStatus();
    if (nowUs >= nextProgressUs) {
      nextProgressUs = nowUs + options.statusIntervalMs() * 1_000;
      emit(new PlayerEvent.Progress(status));
    }
    rescheduleTick(nowUs);
  }

  /** Sets the next tick: at most {@link #MAX_TICK_MS} away, sooner for a dry buffer or the limit. */
  private void rescheduleTick(long nowUs) {
    if (finishing) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    long delayUs = MAX_TICK_MS * 1_000;
    long dryAtUs = clock.bufferEmptyAtUs();
    if (dryAtUs != Long.MAX_VALUE) {
      delayUs = Math.min(delayUs, dryAtUs - nowUs);
    }
    long maxUs = options.maxPlayDurationUs();
    if (maxUs > 0) {
      long reachedAtUs = clock.positionReachedAtUs(maxUs);
      if (reachedAtUs != Long.MAX_VALUE) {
        delayUs = Math.min(delayUs, reachedAtUs - nowUs);
      }
    }
    long delayMs = Math.max(1, (delayUs + 999) / 1_000);
    timerId = context.setTimer(delayMs, id -> tick());
  }

  private List<Reader> readers() {
    return audio == null ? List.of(video) : List.of(video, audio);
  }

  // ---------------------------------------------------------------- output

  /** Writes, in media order, every segment playback has reached (all of them once ended). */
  private void writePlayed() {
    if (!keepsBytes || video == null) {
      return;
    }
    PlaybackState state = clock.state();
    if (state == PlaybackState.STARTING) {
      return;
    }
    long positionUs = clock.positionUs();
    while (true) {
      Reader next = null;
      for (Reader reader : readers()) {
        MediaSegment head = reader.toWrite.peekFirst();
        if (head != null && (next == null || reader.relativeStartUs(head)
            < next.relativeStartUs(next.toWrite.peekFirst()))) {
          next = reader;
        }
      }
      if (next == null) {
        return;
      }
      long startUs = next.relativeStartUs(next.toWrite.peekFirst());
      boolean reached = state == PlaybackState.ENDED || startUs < positionUs
          || (startUs == positionUs && state == PlaybackState.PLAYING);
      if (!reached) {
        return;
      }
      MediaSegment segment = next.toWrite.pollFirst();
      pendingWrites++;
      writes = writes.compose(v -> sink.write(segment));
      writes.onComplete(ar -> {
        pendingWrites--;
        if (ar.failed()) {
          fail(ar.cause());
        } else if (pendingWrites == MAX_PENDING_WRITES - 1 && !finishing) {
          readers().forEach(Reader::pump);
        }
      });
    }
  }

  // ---------------------------------------------------------------- the end

  private void fail(Throwable error) {
    finish(null, error);
  }

  private void finish(String reason, Throwable failure) {
    if (!finishing) {
      finish(reason, failure, nowUs());
    }
  }

  /**
   * Ends the session once, at clock time {@code atUs}: {@code reason} when it is over normally,
   * else {@code failure}.
   */
  private void finish(String reason, Throwable failure, long atUs) {
    if (finishing) {
      return;
    }
    finishing = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    onClock(() -> clock.stop(atUs));
    writePlayed();
    unsubscribeThroughput.run();
    updateStatus();
    PlaybackTimeline timeline = PlaybackTimeline.of(clock);
    QoeSummary qoe = timeline.summary();
    PlayerResult outcome = new PlayerResult(sessionId, url, timeline, qoe, timeline.chunks(),
        segments, bytes, qoe.playedUs(), reason == null ? "failed" : reason);
    Future<Void> sessionClosed = session == null ? Future.succeededFuture() : session.close();
    Future<Void> written = writes;
    sessionClosed.transform(s -> written).transform(w -> sink.close().transform(c -> {
      Throwable error = failure != null ? failure
          : w.failed() ? w.cause() : c.failed() ? c.cause() : null;
      if (error != null) {
        emit(new PlayerEvent.Failed(error));
        result.fail(error);
      } else {
        emit(new PlayerEvent.Ended(outcome));
        result.complete(outcome);
      }
      closed.complete();
      return Future.<Void>succeededFuture();
    }));
  }

  private void updateStatus() {
    status = new PlayerStatus(sessionId, url, clock.state(), clock.positionUs(), clock.bufferUs(),
        lastVariantIndex, lastVariantBitrateBps, abr.bandwidthEstimateBps(), clock.summary(),
        segments, bytes);
  }

  private void emit(PlayerEvent event) {
    for (Consumer<PlayerEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        context.reportException(e);
      }
    }
  }
}
