package io.abrfetch.fetcher.hls;

import io.abrfetch.abr.AbrController;
import io.abrfetch.abr.AbrPeerSpec;
import io.abrfetch.fetcher.Downloader;
import io.abrfetch.fetcher.EventLoopContexts;
import io.abrfetch.fetcher.FetchException;
import io.abrfetch.fetcher.PeerHandle;
import io.abrfetch.fetcher.RequestPriority;
import io.abrfetch.playlist.MasterPlaylist;
import io.abrfetch.playlist.MediaPlaylist;
import io.abrfetch.playlist.Playlist;
import io.abrfetch.playlist.PlaylistException;
import io.abrfetch.playlist.PlaylistParser;
import io.abrfetch.playlist.Rendition;
import io.abrfetch.playlist.Segment;
import io.abrfetch.playlist.Variant;
import io.abrfetch.playlist.VariantLadder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One HLS presentation played through a {@link Downloader}: it opens a master (or a lone media)
 * playlist and registers one peer per track with the downloader and the shared
 * {@link AbrController}: the video variant ABR chooses, the alternate audio rendition the
 * variant names (by language, else the default one), and on request its subtitles rendition.
 * Readers take segments in order from each {@link Track}.
 *
 * <pre>{@code
 * HlsSession.open(vertx, downloader, abr, "https://cdn.example/master.m3u8",
 *         HlsSessionOptions.defaults())
 *     .onSuccess(session -> {
 *       session.video().handler(segment -> decoder.feed(segment.initSegment(), segment.data()));
 *       session.audio().ifPresent(audio -> audio.handler(audioDecoder::feed));
 *     });
 * }</pre>
 *
 * <p>Peer ids are {@code <sessionId>/video}, {@code <sessionId>/audio} and
 * {@code <sessionId>/subtitles}; video and audio are registered in
 * ABR under the player id {@code sessionId}, so audio is paid for before video is chosen (the
 * audio's nominal bitrate is taken off each variant's {@code BANDWIDTH}). Manual variants and caps
 * go through the controller: {@code abr.setManual(session.video().peerId(), index)}.
 *
 * <p>{@link #close()} stops every track (their streams end), closes the peers (every request of the
 * session ends exactly once, {@code Cancelled(PEER_CLOSED)} for those still running) and
 * unregisters them from ABR.
 *
 * <p>Threading: see the package documentation; state is confined to the session's context.
 */
public final class HlsSession {

  private static final AtomicLong NEXT_ID = new AtomicLong(1);
  /** AES keys kept per session; a key rotation every segment does not grow memory without bound. */
  private static final int KEY_CACHE_ENTRIES = 64;

  private final Vertx vertx;
  private final ContextInternal context;
  private final Downloader downloader;
  private final AbrController abr;
  private final HlsSessionOptions options;
  private final String sessionId;
  private final String url;
  private final PlaylistParser parser = new PlaylistParser();
  private final List<Consumer<HlsEvent>> listeners = new CopyOnWriteArrayList<>();

  // Confined to the session's context.
  private final AesKeys keys = new AesKeys(KEY_CACHE_ENTRIES);
  private final List<TrackPeer> peers = new ArrayList<>();
  private TrackPeer videoPeer;
  private TrackPeer audioPeer;
  private TrackPeer subtitlesPeer;
  private MasterPlaylist master;
  private volatile boolean closing;
  private Future<Void> closed;

  /** Throws {@link IllegalArgumentException} unless {@code url} is absolute, with a host. */
  static void checkAbsoluteUrl(String url) {
    try {
      URI uri = new URI(url);
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new URISyntaxException(url, "not absolute");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url: " + url + " (expected: an absolute http(s) URL)",
          e);
    }
  }

  private HlsSession(Vertx vertx, ContextInternal context, Downloader downloader,
      AbrController abr, String url, HlsSessionOptions options) {
    this.vertx = vertx;
    this.context = context;
    this.downloader = downloader;
    this.abr = abr;
    this.url = url;
    this.options = options;
    this.sessionId = options.sessionId() != null ? options.sessionId()
        : "hls-" + NEXT_ID.getAndIncrement();
  }

  /**
   * Opens the playlist at {@code url} and starts its tracks; completes once every track's first
   * media playlist is loaded, or fails with an {@link HlsException} ({@code PLAYLIST_UNAVAILABLE},
   * {@code PLAYLIST_INVALID}, {@code CLOSED}) after closing whatever it registered.
   *
   * @param url absolute http(s) URL of a master or media playlist
   */
  public static Future<HlsSession> open(Vertx vertx, Downloader downloader, AbrController abr,
      String url, HlsSessionOptions options) {
    return open(vertx, downloader, abr, url, options, null);
  }

  /**
   * Like {@link #open(Vertx, Downloader, AbrController, String, HlsSessionOptions)}, with a
   * listener in place before the first event (so it also sees {@link HlsEvent.TrackStarted}).
   *
   * @param listener the first listener of the session's events, or null
   */
  public static Future<HlsSession> open(Vertx vertx, Downloader downloader, AbrController abr,
      String url, HlsSessionOptions options, Consumer<HlsEvent> listener) {
    if (vertx == null || downloader == null || abr == null || url == null || options == null) {
      throw new IllegalArgumentException("vertx, downloader, abr, url, options: null "
          + "(expected: non-null)");
    }
    checkAbsoluteUrl(url);
    ContextInternal context = EventLoopContexts.currentOrNew(vertx);
    HlsSession session = new HlsSession(vertx, context, downloader, abr, url, options);
    if (listener != null) {
      session.addListener(listener);
    }
    Promise<HlsSession> opened = context.promise();
    context.runOnContext(v -> session.start().onComplete(ar -> {
      if (ar.succeeded()) {
        opened.complete(session);
      } else {
        session.close().onComplete(c -> opened.fail(ar.cause()));
      }
    }));
    return opened.future();
  }

  private Future<Void> start() {
    videoPeer = newPeer(TrackType.VIDEO, sessionId + "/video");
    if (videoPeer == null) {
      return Future.failedFuture(closedFailure());
    }
    return videoPeer.fetchPlaylist(url, RequestPriority.BLOCKING).compose(result -> {
      Playlist playlist;
      byte[] body = result.body().getBytes();
      try {
        playlist = parser.parse(URI.create(result.url()), body);
      } catch (PlaylistException e) {
        return Future.failedFuture(new HlsException(HlsException.Kind.PLAYLIST_INVALID,
            url + ": " + e.getMessage(), -1, url, e));
      }
      if (closing) {
        return Future.failedFuture(closedFailure());
      }
      if (playlist instanceof MediaPlaylist media) {
        videoPeer.configure(List.of(URI.create(result.url())), List.of(), false);
        videoPeer.start(new TrackPeer.LoadedPlaylist(media, StartPoint.startOffsetUs(body),
            options.nanoClock().getAsLong()), 0, -1);
        return Future.succeededFuture();
      }
      return startMaster((MasterPlaylist) playlist);
    }).recover(e -> Future.failedFuture(HlsException.ofPlaylistFailure(e, url)));
  }

  private Future<Void> startMaster(MasterPlaylist master) {
    this.master = master;
    VariantLadder ladder = master.ladder();
    int initial = options.initialVariantIndex() >= 0
        ? Math.min(options.initialVariantIndex(), ladder.size() - 1)
        : ladder.highestIndexAtOrBelow(abr.bandwidthEstimateBps());
    Rendition audio = options.audioEnabled() ? chooseRendition(master, Rendition.Type.AUDIO,
        ladder.get(initial).audioGroupId(), options.audioLanguage()) : null;
    Rendition subtitles = options.subtitlesLanguage() == null ? null : chooseRendition(master,
        Rendition.Type.SUBTITLES, ladder.get(initial).subtitlesGroupId(),
        options.subtitlesLanguage());
    long audioBps = audio == null ? 0 : options.audioBitrateBps();
    List<URI> uris = new ArrayList<>();
    List<Long> declaredBps = new ArrayList<>();
    List<Long> abrBps = new ArrayList<>();
    long previous = 0;
    for (Variant variant : ladder.variants()) {
      uris.add(variant.uri());
      declaredBps.add(variant.bandwidthBps());
      // ABR wants a strictly ascending ladder of what the video costs once audio is paid for.
      long bps = Math.max(previous + 1, Math.max(1, variant.bandwidthBps() - audioBps));
      abrBps.add(bps);
      previous = bps;
    }
    Future<TrackPeer.LoadedPlaylist> videoFirst = loadFirst(videoPeer,
        ladder.get(initial).uri().toString());
    return videoFirst.compose(first -> {
      if (closing) {
        // Closed while opening: the peers are unregistered already; do not register them again.
        return Future.<Void>failedFuture(closedFailure());
      }
      abr.register(videoPeer.peerId(), AbrPeerSpec.video(sessionId, abrBps, initial,
          Math.max(1, first.playlist().targetDurationUs())));
      videoPeer.configure(uris, declaredBps, true);
      Future<TrackPeer.LoadedPlaylist> audioFirst = Future.succeededFuture();
      if (audio != null) {
        audioPeer = newPeer(TrackType.AUDIO, sessionId + "/audio");
        if (audioPeer == null) {
          return Future.<Void>failedFuture(closedFailure());
        }
        audioFirst = loadFirst(audioPeer, audio.uri().toString());
      }
      Future<TrackPeer.LoadedPlaylist> subtitlesFirst = Future.succeededFuture();
      if (subtitles != null) {
        subtitlesPeer = newPeer(TrackType.SUBTITLES, sessionId + "/subtitles");
        if (subtitlesPeer == null) {
          return Future.<Void>failedFuture(closedFailure());
        }
        subtitlesFirst = loadFirst(subtitlesPeer, subtitles.uri().toString());
      }
      Future<TrackPeer.LoadedPlaylist> a = audioFirst;
      Future<TrackPeer.LoadedPlaylist> t = subtitlesFirst;
      return Future.all(a, t).compose(loaded -> {
        if (closing) {
          return Future.<Void>failedFuture(closedFailure());
        }
        if (audio != null) {
          abr.register(audioPeer.peerId(), AbrPeerSpec.audio(sessionId, List.of(audioBps), 0,
              Math.max(1, a.result().playlist().targetDurationUs())));
          audioPeer.configure(List.of(audio.uri()), List.of(audioBps), false);
        }
        videoPeer.start(first, initial, -1);
        if (audio != null) {
          // The audio starts where the video does, so both cover the same media time.
          audioPeer.start(a.result(), 0, videoPeer.startSequence());
        }
        if (subtitles != null) {
          // Subtitle segments are cut independently of the media ones: no sequence alignment.
          subtitlesPeer.configure(List.of(subtitles.uri()), List.of(), false);
          subtitlesPeer.start(t.result(), 0, -1);
        }
        return Future.<Void>succeededFuture();
      });
    });
  }

  private Future<TrackPeer.LoadedPlaylist> loadFirst(TrackPeer peer, String playlistUrl) {
    return peer.loadMedia(playlistUrl, RequestPriority.BLOCKING)
        .recover(e -> Future.failedFuture(HlsException.ofPlaylistFailure(e, playlistUrl)));
  }

  /**
   * The rendition of {@code type} in {@code groupId} to open: the one in {@code language} when
   * given (exact tag, else same primary subtag), else {@code DEFAULT=YES}, else the first; null
   * when there is none or it has no URI (it is carried in the variant stream itself).
   */
  private static Rendition chooseRendition(MasterPlaylist master, Rendition.Type type,
      String groupId, String language) {
    if (groupId == null) {
      return null;
    }
    List<Rendition> group = master.renditions(type, groupId);
    Rendition chosen = null;
    if (language != null) {
      String wanted = language.toLowerCase(Locale.ROOT);
      String wantedPrimary = wanted.split("-")[0];
      for (Rendition r : group) {
        String candidate = r.language() == null ? "" : r.language().toLowerCase(Locale.ROOT);
        if (candidate.equals(wanted)) {
          chosen = r;
          break;
        }
        if (chosen == null && candidate.split("-")[0].equals(wantedPrimary)) {
          chosen = r;
        }
      }
    }
    if (chosen == null) {
      for (Rendition r : group) {
        if (r.isDefault()) {
          chosen = r;
          break;
        }
      }
    }
    if (chosen == null && !group.isEmpty()) {
      chosen = group.get(0);
    }
    return chosen == null || chosen.uri() == null ? null : chosen;
  }

  private TrackPeer newPeer(TrackType type, String peerId) {
    if (closing) {
      return null;
    }
    TrackPeer peer = new TrackPeer(this, type, peerId, new Track(type, context));
    PeerHandle handle;
    try {
      handle = downloader.register(peer);
    } catch (RuntimeException e) {
      return null;
    }
    peer.attachHandle(handle);
    peers.add(peer);
    return peer;
  }

  private HlsException closedFailure() {
    return new HlsException(HlsException.Kind.CLOSED, "the session or its downloader is closed, "
        + "or peer id " + sessionId + "/... is taken", -1, url, null);
  }

  /**
   * The AES-128 key of {@code segment} (null when unencrypted), fetched through {@code peer} once
   * per key URI per session (concurrent users share the fetch).
   */
  Future<byte[]> key(Segment segment, TrackPeer peer) {
    return keys.keyFor(segment, peer::submit);
  }

  // ---------------------------------------------------------------- public API

  /** The session's id: the prefix of its peer ids and its ABR player id. */
  public String sessionId() {
    return sessionId;
  }

  /** The variant stream's track (the only track of a lone media playlist). */
  public Track video() {
    return videoPeer.track();
  }

  /** The alternate audio track, when the variant names an audio group with its own playlist. */
  public Optional<Track> audio() {
    return Optional.ofNullable(audioPeer).map(TrackPeer::track);
  }

  /** The subtitles track, when {@link HlsSessionOptions#subtitlesLanguage()} asked for one. */
  public Optional<Track> subtitles() {
    return Optional.ofNullable(subtitlesPeer).map(TrackPeer::track);
  }

  /** Every track: video, then audio and subtitles when open. */
  public List<Track> tracks() {
    List<Track> out = new ArrayList<>();
    out.add(video());
    audio().ifPresent(out::add);
    subtitles().ifPresent(out::add);
    return List.copyOf(out);
  }

  /** The master playlist, unless the session was opened on a media playlist. */
  public Optional<MasterPlaylist> master() {
    return Optional.ofNullable(master);
  }

  /** The downloader the session's peers are registered with. */
  public Downloader downloader() {
    return downloader;
  }

  /** Adds a listener of the session's events (called on the session's context). */
  public HlsSession addListener(Consumer<HlsEvent> listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener: null (expected: non-null)");
    }
    listeners.add(listener);
    return this;
  }

  /**
   * Stops every track, closes every peer (each request ends exactly once) and unregisters them
   * from ABR; completes when every peer is closed. Idempotent.
   */
  public Future<Void> close() {
    Promise<Void> done = context.promise();
    context.runOnContext(v -> {
      if (closed == null) {
        closing = true;
        List<Future<Void>> closes = new ArrayList<>();
        for (TrackPeer peer : peers) {
          peer.close();
          closes.add(peer.handle().close());
        }
        closed = Future.join(closes).mapEmpty();
      }
      closed.onComplete(done);
    });
    return done.future();
  }

  // ---------------------------------------------------------------- for the peers

  boolean isClosing() {
    return closing;
  }

  Vertx vertx() {
    return vertx;
  }

  ContextInternal context() {
    return context;
  }

  AbrController abr() {
    return abr;
  }

  HlsSessionOptions options() {
    return options;
  }

  PlaylistParser parser() {
    return parser;
  }

  void emit(HlsEvent event) {
    for (Consumer<HlsEvent> listener : listeners) {
      listener.accept(event);
    }
  }

  void emitFromAnyThread(HlsEvent event) {
    context.runOnContext(v -> emit(event));
  }
}
