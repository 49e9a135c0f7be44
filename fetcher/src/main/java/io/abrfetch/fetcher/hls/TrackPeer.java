package io.abrfetch.fetcher.hls;

import io.abrfetch.abr.AbrDecision;
import io.abrfetch.abr.DownloadProgress;
import io.abrfetch.fetcher.BodySink;
import io.abrfetch.fetcher.ByteRange;
import io.abrfetch.fetcher.CancelReason;
import io.abrfetch.fetcher.FetchEvent;
import io.abrfetch.fetcher.FetchException;
import io.abrfetch.fetcher.FetchHandle;
import io.abrfetch.fetcher.FetchRequest;
import io.abrfetch.fetcher.FetchResult;
import io.abrfetch.fetcher.Peer;
import io.abrfetch.fetcher.PeerHandle;
import io.abrfetch.fetcher.RequestPriority;
import io.abrfetch.playlist.LiveReloadSchedule;
import io.abrfetch.playlist.MediaPlaylist;
import io.abrfetch.playlist.PlaylistException;
import io.abrfetch.playlist.ReloadOutcome;
import io.abrfetch.playlist.Segment;
import io.abrfetch.playlist.SegmentMap;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.PromiseInternal;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The downloader peer behind one {@link Track}: it walks the track's media playlist segment by
 * segment (one media segment in flight at a time, preceded by its key and init section when
 * needed), applies ABR's variant choice at each segment boundary, keeps a live playlist reloaded,
 * retries transient failures, and hands finished segments to the track in order.
 *
 * <p>Threading: confined to the session's context, except {@link #onLoadSlow}, which the
 * downloader calls on its event loop and which reads only volatile fields and the thread-safe
 * ABR controller.
 */
final class TrackPeer implements Peer {

  /** Init sections kept per track, so switching back and forth does not refetch them. */
  private static final int INIT_CACHE_ENTRIES = 8;

  /** What the abandon hook needs to know about the media segment in flight. */
  private record InFlight(long requestId, int variantIndex, int ordinal, long mediaSequence,
      long estimatedSizeBytes) {}

  /** A media playlist as loaded: the parsed value, its EXT-X-START, when the load began. */
  record LoadedPlaylist(MediaPlaylist playlist, Long startOffsetUs, long loadStartedNanos) {}

  private final HlsSession session;
  private final TrackType type;
  private final String peerId;
  private final Track track;
  // Set once by configure() before the first fetch; the abandon hook reads them too.
  private volatile List<URI> variantUris = List.of();
  private volatile List<Long> bitratesBps = List.of();
  private volatile boolean abrManaged;
  private PeerHandle handle;

  // Read by the abandon hook on the downloader's event loop.
  private volatile InFlight inFlight;
  private volatile int currentVariant;

  // Confined to the session's context.
  private boolean live;
  private Long startOffsetUs;
  private final Map<Integer, MediaPlaylist> vodPlaylists = new HashMap<>();
  private LiveReloadSchedule schedule;
  private int scheduleVariant = -1;
  private long targetDurationUs;
  private long reloadTimerId = -1;
  private int reloadGeneration;
  private long lastReloadOkNanos;
  private boolean stuckReported;
  private long nextSequence = -1;
  private long nextSequenceAtStart = -1;
  private long startSequenceHint = -1;
  // Where the next segment starts: on the track's own timeline (live), on the playlist's (VOD).
  private long nextLiveStartUs;
  private long nextVodStartUs;
  private int ordinal;
  private int deliveredVariant = -1;
  private SegmentMap deliveredMap;
  private final Map<SegmentMap, Buffer> initCache = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<SegmentMap, Buffer> eldest) {
      return size() > INIT_CACHE_ENTRIES;
    }
  };
  private boolean pendingDiscontinuity;
  private boolean afterAbandon;
  private boolean startChosen;
  private boolean running;
  private boolean busy;
  private boolean stopped;
  private int attempts;
  private long retryTimerId = -1;
  private FetchHandle current;
  private RequestPriority currentPriority;

  TrackPeer(HlsSession session, TrackType type, String peerId, Track track) {
    this.session = session;
    this.type = type;
    this.peerId = peerId;
    this.track = track;
    track.attach(this);
  }

  @Override
  public String id() {
    return peerId;
  }

  @Override
  public boolean playingAtRegistration() {
    return true;
  }

  String peerId() {
    return peerId;
  }

  TrackType type() {
    return type;
  }

  Track track() {
    return track;
  }

  int currentVariantIndex() {
    return currentVariant;
  }

  void attachHandle(PeerHandle handle) {
    this.handle = handle;
  }

  PeerHandle handle() {
    return handle;
  }

  /**
   * Sets the track's variants (one for an audio rendition or a lone media playlist) and whether
   * ABR chooses among them.
   */
  void configure(List<URI> variantUris, List<Long> bitratesBps, boolean abrManaged) {
    this.variantUris = List.copyOf(variantUris);
    this.bitratesBps = List.copyOf(bitratesBps);
    this.abrManaged = abrManaged;
  }

  /** The media sequence the track starts at, or -1 when not chosen yet. */
  long startSequence() {
    return startChosen ? nextSequenceAtStart : -1;
  }

  /**
   * Starts the track on {@code first}, the playlist of {@code variant}; {@code sequenceHint}
   * (another track's start, or -1) aligns an alternate rendition with the video.
   */
  void start(LoadedPlaylist first, int variant, long sequenceHint) {
    assertOnContext();
    live = first.playlist().isLive();
    startOffsetUs = first.startOffsetUs();
    startSequenceHint = sequenceHint;
    currentVariant = variant;
    install(variant, first);
    running = true;
    pump();
  }

  // ---------------------------------------------------------------- the fetch loop

  /** Starts the next fetch when the track wants one and nothing is in flight. */
  void pump() {
    assertOnContext();
    if (!running || stopped || busy || session.isClosing()) {
      return;
    }
    if (!track.readerWaiting()
        && track.bufferedUs() >= session.options().targetBufferUs()) {
      return;
    }
    int variant = chooseVariant();
    if (!hasPlaylist(variant)) {
      loadForSwitch(variant);
      return;
    }
    List<Segment> segments = segmentsOf(variant);
    if (nextSequence < 0 && !chooseStart(variant, segments)) {
      return;
    }
    Segment segment = locate(segments);
    if (segment == null) {
      if (!live || (schedule != null && schedule.hasEnded())) {
        finish();
      }
      return;
    }
    fetchSegment(segment, variant);
  }

  private int chooseVariant() {
    if (!abrManaged) {
      return currentVariant;
    }
    int remaining = -1;
    if (!live && hasPlaylist(currentVariant) && nextSequence >= 0) {
      List<Segment> segments = segmentsOf(currentVariant);
      long last = segments.isEmpty() ? -1 : segments.get(segments.size() - 1).mediaSequence();
      remaining = (int) Math.max(0, Math.min(Integer.MAX_VALUE, last - nextSequence + 1));
    }
    try {
      if (!afterAbandon) {
        // Not right after an abandon: the abandoned transfer fed no sample, so the estimate
        // still reads the old link and a fresh evaluation would switch straight back up.
        session.abr().reportBuffer(peerId, track.bufferedUs(), ordinal, remaining);
      }
      int chosen = session.abr().nextVariant(peerId);
      currentVariant = Math.max(0, Math.min(variantUris.size() - 1, chosen));
    } catch (IllegalArgumentException unregistered) {
      // The downloader unregisters a closed peer from ABR; keep the variant we have.
    }
    return currentVariant;
  }

  private boolean hasPlaylist(int variant) {
    return live ? scheduleVariant == variant : vodPlaylists.containsKey(variant);
  }

  private List<Segment> segmentsOf(int variant) {
    return live ? schedule.segments() : vodPlaylists.get(variant).segments();
  }

  /** Picks the first segment; false when a live playlist has none yet. */
  private boolean chooseStart(int variant, List<Segment> segments) {
    if (segments.isEmpty()) {
      return false;
    }
    long first = segments.get(0).mediaSequence();
    long last = segments.get(segments.size() - 1).mediaSequence();
    if (startSequenceHint >= first && startSequenceHint <= last) {
      nextSequence = startSequenceHint;
    } else {
      int index = StartPoint.startIndex(segments, targetDurationUs, startOffsetUs, live,
          session.options().liveEdgeTargetDurations());
      nextSequence = segments.get(index).mediaSequence();
    }
    nextSequenceAtStart = nextSequence;
    startChosen = true;
    session.emit(new HlsEvent.TrackStarted(type, peerId, variant, nextSequence, live));
    return true;
  }

  /** The segment to fetch next, or null when there is none (yet). */
  private Segment locate(List<Segment> segments) {
    if (segments.isEmpty()) {
      return null;
    }
    long first = segments.get(0).mediaSequence();
    long last = segments.get(segments.size() - 1).mediaSequence();
    if (nextSequence >= first && nextSequence <= last) {
      Segment s = segments.get((int) (nextSequence - first));
      if (s.mediaSequence() == nextSequence) {
        return s;
      }
    }
    if (!live) {
      // Variants whose media sequences do not line up: continue at the same media time.
      long atUs = nextVodStartUs;
      for (Segment s : segments) {
        if (s.startUs() + s.durationUs() / 2 >= atUs) {
          nextSequence = s.mediaSequence();
          return s;
        }
      }
      return null;
    }
    if (nextSequence < first) {
      long missed = first - nextSequence;
      nextSequence = first;
      pendingDiscontinuity = true;
      session.emit(new HlsEvent.SegmentsMissed(type, missed, first));
      return segments.get(0);
    }
    return null;
  }

  private void fetchSegment(Segment segment, int variant) {
    busy = true;
    if (segment.gap()) {
      deliver(segment, variant, null, Buffer.buffer());
      return;
    }
    String url = segment.uri().toString();
    long sequence = segment.mediaSequence();
    keyFor(segment)
        .compose(key -> initFor(segment).compose(init -> fetchMedia(segment, variant)
            .compose(body -> decrypt(segment, key, body))
            .map(data -> new Buffer[] {init, data})))
        .onComplete(ar -> {
          if (stopped) {
            return;
          }
          if (ar.succeeded()) {
            deliver(segment, variant, ar.result()[0], ar.result()[1]);
          } else {
            onFailure(ar.cause(), sequence, url);
          }
        });
  }

  private Future<byte[]> keyFor(Segment segment) {
    return session.key(segment, this);
  }

  private Future<Buffer> initFor(Segment segment) {
    SegmentMap map = segment.map();
    if (map == null || map.equals(deliveredMap)) {
      return Future.succeededFuture(null);
    }
    Buffer cached = initCache.get(map);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    FetchRequest.Builder request = FetchRequest.builder(map.uri().toString())
        .priority(priority())
        .sink(BodySink.collect(session.options().maxSegmentBytes()));
    if (map.byteRange() != null) {
      request.range(ByteRange.of(map.byteRange().offsetBytes(), map.byteRange().lengthBytes()));
    }
    return submit(request.build())
        .map(result -> {
          initCache.put(map, result.body());
          return result.body();
        })
        .recover(e -> Future.failedFuture(classify(HlsException.Kind.INIT_SEGMENT, e,
            segment.mediaSequence(), map.uri().toString())));
  }

  private Future<Buffer> fetchMedia(Segment segment, int variant) {
    FetchRequest.Builder request = FetchRequest.builder(segment.uri().toString())
        .priority(priority())
        .mediaDurationUs(segment.durationUs())
        .sink(BodySink.collect(session.options().maxSegmentBytes()));
    long estimatedBytes;
    if (segment.byteRange() != null) {
      request.range(ByteRange.of(segment.byteRange().offsetBytes(),
          segment.byteRange().lengthBytes()));
      estimatedBytes = segment.byteRange().lengthBytes();
    } else {
      long bitrate = bitratesBps.isEmpty() ? 0 : bitratesBps.get(variant);
      estimatedBytes = Math.max(1, bitrate * segment.durationUs() / 8_000_000L);
    }
    FetchRequest built = request.build();
    FetchHandle fetch = handle.fetch(built);
    inFlight = new InFlight(fetch.requestId(), variant, ordinal, segment.mediaSequence(),
        estimatedBytes);
    return track(fetch, built.priority())
        .map(FetchResult::body)
        .eventually(() -> {
          inFlight = null;
          return Future.succeededFuture();
        })
        .recover(e -> Future.failedFuture(classify(HlsException.Kind.SEGMENT, e,
            segment.mediaSequence(), segment.uri().toString())));
  }

  private Future<Buffer> decrypt(Segment segment, byte[] key, Buffer body) {
    return SegmentCipher.decrypt(session.context(),
        session.options().decryptOffLoopThresholdBytes(), segment, key, body);
  }

  private void deliver(Segment segment, int variant, Buffer init, Buffer data) {
    boolean variantChanged = deliveredVariant >= 0 && variant != deliveredVariant;
    if (variantChanged) {
      session.emit(new HlsEvent.VariantSwitched(type, deliveredVariant, variant,
          segment.mediaSequence(), afterAbandon));
    }
    long startUs = live ? nextLiveStartUs : segment.startUs();
    MediaSegment out = new MediaSegment(type, segment.mediaSequence(),
        segment.discontinuitySequence(), segment.discontinuity() || pendingDiscontinuity,
        variant, bitratesBps.isEmpty() ? 0 : bitratesBps.get(variant), variantChanged, startUs,
        segment.durationUs(), init, data, segment.uri(),
        segment.byteRange() == null ? -1 : segment.byteRange().offsetBytes(),
        segment.isEncrypted(), segment.gap(), segment.programDateTime());
    deliveredVariant = variant;
    if (segment.map() != null) {
      deliveredMap = segment.map();
    }
    nextSequence = segment.mediaSequence() + 1;
    nextLiveStartUs = startUs + segment.durationUs();
    nextVodStartUs = segment.startUs() + segment.durationUs();
    ordinal++;
    attempts = 0;
    pendingDiscontinuity = false;
    afterAbandon = false;
    if (live) {
      schedule.discardBefore(nextSequence);
    }
    busy = false;
    session.emit(new HlsEvent.SegmentReady(type, out.mediaSequence(), variant, startUs,
        out.durationUs(), out.sizeBytes()));
    track.offer(out);
    pump();
  }

  /** A failure of a segment, its key or its init section, or of a playlist load for a switch. */
  private void onFailure(Throwable cause, long sequence, String url) {
    busy = false;
    FetchException fetch = cause instanceof FetchException f ? f : null;
    if (fetch != null && fetch.kind() == FetchException.Kind.CANCELLED) {
      if (fetch.cancelReason() == CancelReason.ABANDONED) {
        // ABR already moved the peer to a lower variant: the same segment comes from it now.
        afterAbandon = true;
        pump();
        return;
      }
      if (!session.isClosing()) {
        fail(new HlsException(HlsException.Kind.CLOSED, "the downloader cancelled segment "
            + sequence + " (" + fetch.cancelReason() + ")", sequence, url, fetch));
      }
      return;
    }
    if (fetch != null && fetch.kind() == FetchException.Kind.CLOSED) {
      if (!session.isClosing()) {
        fail(new HlsException(HlsException.Kind.CLOSED, "the downloader is closed", sequence,
            url, fetch));
      }
      return;
    }
    if (fetch != null && (fetch.isTransient() || fetch.kind() == FetchException.Kind.QUEUE_FULL)) {
      attempts++;
      if (attempts >= session.options().maxSegmentAttempts()) {
        fail(new HlsException(HlsException.Kind.SEGMENT, "segment " + sequence + " failed "
            + attempts + " times, last: " + fetch.getMessage(), sequence, url, fetch));
        return;
      }
      Duration delay = session.options().segmentRetryDelay();
      session.emit(new HlsEvent.SegmentRetrying(type, sequence, attempts, delay, fetch.kind()));
      busy = true;
      retryTimerId = session.vertx().setTimer(Math.max(1, delay.toMillis()), id -> {
        retryTimerId = -1;
        busy = false;
        pump();
      });
      return;
    }
    fail(cause instanceof HlsException h ? h
        : new HlsException(HlsException.Kind.SEGMENT, "segment " + sequence + " failed: "
            + cause, sequence, url, cause));
  }

  /**
   * Keeps transient fetch failures and cancellations as they are (they are retried or handled),
   * and turns anything else into an {@link HlsException} of {@code kind}.
   */
  static Throwable classify(HlsException.Kind kind, Throwable e, long sequence, String url) {
    if (e instanceof HlsException) {
      return e;
    }
    if (e instanceof FetchException f) {
      if (f.isTransient() || f.kind() == FetchException.Kind.CANCELLED
          || f.kind() == FetchException.Kind.CLOSED || f.kind() == FetchException.Kind.QUEUE_FULL) {
        return f;
      }
      return new HlsException(kind, url + ": " + f.getMessage(), sequence, url, f);
    }
    return new HlsException(kind, url + ": " + e, sequence, url, e);
  }

  private void finish() {
    stop();
    session.emit(new HlsEvent.TrackEnded(type, false));
    track.end();
  }

  private void fail(HlsException error) {
    if (stopped) {
      return;
    }
    stop();
    session.emit(new HlsEvent.TrackFailed(type, error));
    track.fail(error);
  }

  /** Stops fetching and reloading; what is in flight is left to the handle's close. */
  void stop() {
    stopped = true;
    reloadGeneration++;
    if (reloadTimerId >= 0) {
      session.vertx().cancelTimer(reloadTimerId);
      reloadTimerId = -1;
    }
    if (retryTimerId >= 0) {
      session.vertx().cancelTimer(retryTimerId);
      retryTimerId = -1;
    }
  }

  /** The session closed: the track ends now, dropping what is queued. */
  void close() {
    boolean wasRunning = !stopped;
    stop();
    if (wasRunning) {
      session.emit(new HlsEvent.TrackEnded(type, true));
    }
    track.close();
  }

  // ---------------------------------------------------------------- playlists

  /** Loads the playlist of {@code variant} after ABR moved the track to it. */
  private void loadForSwitch(int variant) {
    busy = true;
    loadMedia(variantUris.get(variant).toString(), priority()).onComplete(ar -> {
      if (stopped) {
        return;
      }
      busy = false;
      if (ar.succeeded()) {
        install(variant, ar.result());
        pump();
      } else {
        onFailure(ar.cause(), nextSequence, variantUris.get(variant).toString());
      }
    });
  }

  /** Makes {@code loaded} the playlist of {@code variant}; a live one gets a fresh schedule. */
  private void install(int variant, LoadedPlaylist loaded) {
    targetDurationUs = loaded.playlist().targetDurationUs();
    if (!live) {
      vodPlaylists.put(variant, loaded.playlist());
      return;
    }
    reloadGeneration++;
    if (reloadTimerId >= 0) {
      session.vertx().cancelTimer(reloadTimerId);
      reloadTimerId = -1;
    }
    schedule = new LiveReloadSchedule(session.options().nanoClock());
    scheduleVariant = variant;
    stuckReported = false;
    lastReloadOkNanos = now();
    onOutcome(schedule.onPlaylist(loaded.playlist(), loaded.loadStartedNanos()));
    armReload();
  }

  private void armReload() {
    if (stopped || schedule.hasEnded()) {
      return;
    }
    long delayMs = Math.max(1, (schedule.delayUntilNextReloadNanos() + 999_999) / 1_000_000);
    int generation = reloadGeneration;
    reloadTimerId = session.vertx().setTimer(delayMs, id -> reload(generation));
  }

  private void reload(int generation) {
    if (stopped || generation != reloadGeneration) {
      return;
    }
    reloadTimerId = -1;
    int variant = scheduleVariant;
    long startedNanos = now();
    loadMedia(variantUris.get(variant).toString(), RequestPriority.PREFETCH).onComplete(ar -> {
      if (stopped || generation != reloadGeneration) {
        return;
      }
      if (ar.succeeded()) {
        lastReloadOkNanos = now();
        onOutcome(schedule.onPlaylist(ar.result().playlist(), startedNanos));
        armReload();
        pump();
        return;
      }
      long failingForNanos = now() - lastReloadOkNanos;
      session.emit(new HlsEvent.ReloadFailed(type, variant, String.valueOf(ar.cause()),
          failingForNanos));
      if (failingForNanos > session.options().reloadFailureTolerance().toNanos()) {
        fail(new HlsException(HlsException.Kind.RELOAD_FAILING, "the playlist of variant "
            + variant + " failed to reload for " + failingForNanos / 1_000_000 + " ms",
            -1, variantUris.get(variant).toString(), ar.cause()));
        return;
      }
      long retryMs = Math.max(100, targetDurationUs / 2_000);
      reloadTimerId = session.vertx().setTimer(retryMs, id -> reload(generation));
    });
  }

  private void onOutcome(ReloadOutcome outcome) {
    if (outcome instanceof ReloadOutcome.Stuck stuck) {
      // Once per episode: every reload of a stuck playlist says so again.
      if (!stuckReported) {
        stuckReported = true;
        session.emit(new HlsEvent.PlaylistStuck(type, scheduleVariant,
            stuck.sinceLastNewSegmentNanos()));
      }
    } else if (outcome instanceof ReloadOutcome.Advanced) {
      stuckReported = false;
    } else if (outcome instanceof ReloadOutcome.WentBackwards back) {
      session.emit(new HlsEvent.PlaylistWentBackwards(type, scheduleVariant,
          back.previousMediaSequence(), back.reloadedMediaSequence()));
    }
  }

  /**
   * Fetches and parses a media playlist through this peer. Fails with a transient
   * {@link FetchException} (worth retrying) or an {@link HlsException}.
   */
  Future<LoadedPlaylist> loadMedia(String url, RequestPriority priority) {
    long startedNanos = now();
    return fetchPlaylist(url, priority).compose(result -> {
      byte[] body = result.body().getBytes();
      try {
        MediaPlaylist playlist = session.parser().parseMedia(URI.create(result.url()), body);
        return Future.succeededFuture(
            new LoadedPlaylist(playlist, StartPoint.startOffsetUs(body), startedNanos));
      } catch (PlaylistException e) {
        return Future.failedFuture(new HlsException(HlsException.Kind.PLAYLIST_INVALID,
            url + ": " + e.getMessage(), -1, url, e));
      }
    });
  }

  /** Fetches a playlist body through this peer; fatal failures become PLAYLIST_UNAVAILABLE. */
  Future<FetchResult> fetchPlaylist(String url, RequestPriority priority) {
    FetchRequest request = FetchRequest.builder(url)
        .priority(priority)
        .sink(BodySink.collect(session.options().maxSegmentBytes()))
        .build();
    return submit(request).recover(e -> Future.failedFuture(
        classify(HlsException.Kind.PLAYLIST_UNAVAILABLE, e, -1, url)));
  }

  // ---------------------------------------------------------------- requests

  /** Submits {@code request} through this peer; the result arrives on the session's context. */
  Future<FetchResult> submit(FetchRequest request) {
    return track(handle.fetch(request), request.priority());
  }

  private Future<FetchResult> track(FetchHandle fetch, RequestPriority priority) {
    current = fetch;
    currentPriority = priority;
    PromiseInternal<FetchResult> promise = session.context().promise();
    fetch.result().onComplete(promise);
    return promise.future().andThen(ar -> {
      if (current == fetch) {
        current = null;
      }
    });
  }

  private RequestPriority priority() {
    return track.readerWaiting() ? RequestPriority.BLOCKING : RequestPriority.PREFETCH;
  }

  /** The reader waits: the request in flight becomes urgent. */
  void onReaderWaiting() {
    FetchHandle fetch = current;
    if (fetch != null && currentPriority == RequestPriority.PREFETCH) {
      currentPriority = RequestPriority.BLOCKING;
      fetch.changePriority(RequestPriority.BLOCKING);
    }
  }

  // ---------------------------------------------------------------- the abandon hook

  /** Downloader's event loop: asks ABR whether the slow media segment should be abandoned. */
  @Override
  public boolean onLoadSlow(FetchEvent.LoadSlow slow) {
    InFlight f = inFlight;
    if (!abrManaged || f == null || f.requestId() != slow.requestId() || f.variantIndex() == 0) {
      return false;
    }
    long loaded = Math.max(0, slow.receivedBytes());
    long total = slow.expectedSizeBytes() > 0 ? slow.expectedSizeBytes() : f.estimatedSizeBytes();
    total = Math.max(total, loaded + 1);
    try {
      AbrDecision decision = session.abr().onLoadSlow(peerId,
          new DownloadProgress(f.variantIndex(), loaded, total, slow.elapsedNanos() / 1_000),
          track.bufferedUs(), f.ordinal());
      if (decision instanceof AbrDecision.Abandon) {
        session.emitFromAnyThread(new HlsEvent.SegmentAbandoned(type, f.mediaSequence(),
            f.variantIndex(),
            loaded));
        return true;
      }
    } catch (IllegalArgumentException unregistered) {
      // A closing peer is no longer in ABR: let the request end with the close.
    }
    return false;
  }

  private long now() {
    return session.options().nanoClock().getAsLong();
  }

  private void assertOnContext() {
    assert session.context().nettyEventLoop().inEventLoop() : "not on the session's context";
  }
}
