package io.abrfetch.player.load;

import io.abrfetch.abr.AbandonRule;
import io.abrfetch.playlist.ByteRange;
import io.abrfetch.playlist.LiveReloadSchedule;
import io.abrfetch.playlist.MediaPlaylist;
import io.abrfetch.playlist.PlaylistException;
import io.abrfetch.playlist.Segment;
import io.abrfetch.playlist.SegmentKey;
import java.net.URI;
import java.util.List;

/**
 * One track of a viewer (its video variant, or its alternate audio rendition): the media playlist
 * (a shared parsed VOD playlist, or a per-viewer {@link LiveReloadSchedule} reloaded per RFC 8216
 * 6.3.4), the next segment, keys and init segments already fetched, and the paced fetch loop.
 * At most one segment request and one playlist request are in flight per track.
 *
 * <p>Threading: confined to the viewer's event loop.
 */
final class Track {

  private final Viewer viewer;
  private final boolean isAudio;
  private final LoadShard shard;

  private int variantIndex;
  private int pendingVariant = -1;
  private URI playlistUri;
  private MediaPlaylist vod;
  private LiveReloadSchedule live;
  private boolean started;
  private int segmentIndex; // VOD: index into vod.segments()
  private long nextSequence = -1; // live
  private long startSequence;
  /** Media buffered by this track since the viewer's start position, in microseconds. */
  long endUs;
  /** True when nothing is left to fetch (VOD, or a live playlist that ended). */
  boolean ended;
  private Transfer segmentTransfer;
  private Transfer playlistTransfer;
  private long paceTimerId = -1;
  private long reloadTimerId = -1;
  private long softTimerId = -1;
  private int attempts;
  private int playlistAttempts;
  private URI lastKeyUri;
  private URI lastMapUri;
  private boolean closed;
  private boolean keepVariantOnce;

  Track(Viewer viewer, boolean isAudio) {
    this.viewer = viewer;
    this.isAudio = isAudio;
    this.shard = viewer.shard;
  }

  /** Plays {@code variant} from the next segment on: loads its media playlist first. */
  void switchTo(int variant, URI uri) {
    pendingVariant = variant;
    playlistUri = uri;
    cancelTimer(reloadTimerId);
    reloadTimerId = -1;
    if (playlistTransfer != null) {
      playlistTransfer.cancel();
      playlistTransfer = null;
    }
    live = null;
    playlistAttempts = 0;
    loadPlaylist();
  }

  private void loadPlaylist() {
    URI uri = playlistUri;
    Transfer transfer = new Transfer(shard, RequestType.MEDIA_PLAYLIST, 0, true, viewer.linkOrNull);
    playlistTransfer = transfer;
    transfer.start(uri.toString(), null, t -> onPlaylist(t, uri));
  }

  private void onPlaylist(Transfer transfer, URI uri) {
    playlistTransfer = null;
    if (closed) {
      return;
    }
    MediaPlaylist playlist = null;
    if (!transfer.failed()) {
      try {
        playlist = shard.playlists().media(uri, transfer.body);
      } catch (PlaylistException | IllegalArgumentException e) {
        viewer.metrics().recordError(RequestType.MEDIA_PLAYLIST, "playlist", 0, 0,
            System.currentTimeMillis());
      }
    }
    if (playlist == null) {
      playlistAttempts++;
      if (!started && pendingVariant >= 0 && playlistAttempts >= shard.options().maxAttempts()) {
        viewer.fail();
        return;
      }
      long delayMs = viewer.retryDelayMs(Math.min(playlistAttempts, 4));
      reloadTimerId = timer(delayMs, () -> {
        reloadTimerId = -1;
        loadPlaylist();
      });
      return;
    }
    playlistAttempts = 0;
    if (pendingVariant >= 0) {
      variantIndex = pendingVariant;
      pendingVariant = -1;
    }
    if (playlist.hasEndList() && live == null) {
      vod = playlist;
      if (!started) {
        int count = playlist.segments().size();
        segmentIndex = Math.min(Math.max(0, count - 1),
            (int) Math.floor(viewer.vodStartFraction * shard.options().vodStartSpread() * count));
      }
    } else {
      vod = null;
      if (live == null) {
        live = new LiveReloadSchedule(shard::nanoTime);
      }
      live.onPlaylist(playlist, transfer.startNanos);
      if (!started) {
        nextSequence = liveStartSequence(playlist);
        startSequence = nextSequence;
      }
      if (!live.hasEnded()) {
        long reloadAt = live.nextReloadAtNanos();
        long delayMs = Math.max(1, (reloadAt - shard.nanoTime() + 999_999) / 1_000_000);
        long planned = shard.nanoTime() + delayMs * 1_000_000;
        reloadTimerId = shard.vertx().setTimer(delayMs, id -> {
          reloadTimerId = -1;
          shard.recordLag(shard.nanoTime() - planned);
          loadPlaylist();
        });
      }
    }
    started = true;
    fetchNext();
  }

  private long liveStartSequence(MediaPlaylist playlist) {
    List<Segment> segments = playlist.segments();
    if (segments.isEmpty()) {
      return playlist.mediaSequence();
    }
    if (!shard.options().liveEdgeStart()) {
      return segments.get(0).mediaSequence();
    }
    // RFC 8216 6.3.3: not less than three target durations from the end.
    long needUs = 3 * playlist.targetDurationUs();
    long sumUs = 0;
    for (int i = segments.size() - 1; i >= 0; i--) {
      sumUs += segments.get(i).durationUs();
      if (sumUs >= needUs) {
        return segments.get(i).mediaSequence();
      }
    }
    return segments.get(0).mediaSequence();
  }

  /** The next segment to fetch, or null when none is available yet (or ever). */
  private Segment nextSegment() {
    if (vod != null) {
      if (segmentIndex >= vod.segments().size()) {
        ended = true;
        return null;
      }
      return vod.segments().get(segmentIndex);
    }
    if (live == null) {
      return null;
    }
    List<Segment> known = live.segments();
    if (known.isEmpty()) {
      ended = live.hasEnded();
      return null;
    }
    long first = known.get(0).mediaSequence();
    if (nextSequence < first) {
      nextSequence = first; // the window slid past us
    }
    long offset = nextSequence - first;
    if (offset >= known.size()) {
      ended = live.hasEnded();
      return null;
    }
    return known.get((int) offset);
  }

  /** Fetches what comes next if the pacing allows, else arms a timer for when it does. */
  void fetchNext() {
    if (closed || !started || pendingVariant >= 0 || segmentTransfer != null || paceTimerId >= 0
        || viewer.isEnded()) {
      return;
    }
    long now = shard.nanoTime();
    viewer.advance(now);
    if (viewer.isEnded()) {
      return;
    }
    Segment segment = nextSegment();
    if (segment == null) {
      if (ended) {
        viewer.onTrackEnded(now);
      }
      return;
    }
    long aheadUs = Math.max(0, endUs - viewer.positionUs(now));
    long targetUs = shard.options().targetBufferUs();
    if (aheadUs > 0 && aheadUs + segment.durationUs() > targetUs) {
      if (!viewer.isPlaying()) {
        return; // the buffer drains only while playing; the viewer wakes us when it plays
      }
      long delayUs = aheadUs + segment.durationUs() - targetUs;
      long delayMs = Math.max(1, (delayUs + 999) / 1000);
      long planned = now + delayMs * 1_000_000;
      paceTimerId = shard.vertx().setTimer(delayMs, id -> {
        paceTimerId = -1;
        shard.recordLag(shard.nanoTime() - planned);
        fetchNext();
      });
      return;
    }
    if (!isAudio && keepVariantOnce) {
      keepVariantOnce = false;
    } else if (!isAudio) {
      int remaining = vod != null ? vod.segments().size() - segmentIndex : -1;
      int chosen = viewer.chooseVariant(variantIndex, segment.durationUs(), abrSegmentIndex(),
          remaining);
      if (chosen != variantIndex) {
        switchTo(chosen, viewer.variantUri(chosen));
        return;
      }
    }
    SegmentKey key = segment.key();
    if (key != null && key.uri() != null && !key.uri().equals(lastKeyUri)) {
      fetchPrerequisite(RequestType.KEY, key.uri(), null, () -> lastKeyUri = key.uri());
      return;
    }
    if (segment.map() != null && !segment.map().uri().equals(lastMapUri)) {
      fetchPrerequisite(RequestType.INIT, segment.map().uri(), segment.map().byteRange(),
          () -> lastMapUri = segment.map().uri());
      return;
    }
    fetchSegment(segment);
  }

  private int abrSegmentIndex() {
    return vod != null ? segmentIndex : (int) Math.max(0, nextSequence - startSequence);
  }

  private void fetchPrerequisite(RequestType type, URI uri, ByteRange range, Runnable onDone) {
    segmentTransfer = new Transfer(shard, type, 0, false, viewer.linkOrNull)
        .start(uri.toString(), rangeHeader(range), t -> {
          segmentTransfer = null;
          if (closed) {
            return;
          }
          if (t.failed() && ++attempts < shard.options().maxAttempts()) {
            retryLater();
            return;
          }
          attempts = 0;
          onDone.run(); // fetched, or given up: a player would fail the segment and move on
          fetchNext();
        });
  }

  private void fetchSegment(Segment segment) {
    int variant = variantIndex;
    long bitrateBps = isAudio ? 0 : viewer.bitrateBps(variant);
    Transfer transfer = new Transfer(shard, isAudio ? RequestType.AUDIO : RequestType.SEGMENT,
        bitrateBps, false, viewer.linkOrNull);
    segmentTransfer = transfer;
    transfer.start(segment.uri().toString(), rangeHeader(segment.byteRange()),
        t -> onSegment(t, segment, bitrateBps));
    if (!isAudio && variant > 0 && shard.options().abandonment() && viewer.hasStarted()) {
      armAbandonCheck(transfer, segment, variant,
          Math.max(AbandonRule.DEFAULT_MIN_ELAPSED_US, segment.durationUs() / 2) / 1000);
    }
  }

  /**
   * Asks the policy, {@code delayMs} from now and then every quarter segment while the download
   * runs, whether to abandon it for a lower variant (as the fetcher's soft timeout does).
   */
  private void armAbandonCheck(Transfer transfer, Segment segment, int variant, long delayMs) {
    softTimerId = shard.vertx().setTimer(Math.max(1, delayMs), id -> {
      softTimerId = -1;
      if (segmentTransfer != transfer || closed) {
        return;
      }
      int target = viewer.abandonTarget(variant, transfer, segment.durationUs(),
          abrSegmentIndex());
      if (target >= 0) {
        transfer.cancel();
        segmentTransfer = null;
        viewer.onAbandonedTransfer(transfer);
        keepVariantOnce = true; // refetch this segment from the lower variant, as decided
        switchTo(target, viewer.variantUri(target));
      } else {
        armAbandonCheck(transfer, segment, variant, Math.max(250, segment.durationUs() / 4000));
      }
    });
  }

  private void onSegment(Transfer transfer, Segment segment, long bitrateBps) {
    segmentTransfer = null;
    cancelTimer(softTimerId);
    softTimerId = -1;
    if (closed) {
      return;
    }
    if (transfer.failed()) {
      if (++attempts < shard.options().maxAttempts()) {
        retryLater();
        return;
      }
      // Given up: skip the segment as a player skips a gap (its media never plays).
    } else {
      endUs += segment.durationUs();
      if (!isAudio) {
        viewer.onSegmentTransfer(transfer);
        viewer.metrics().recordMediaFetched(segment.durationUs(), bitrateBps);
      }
    }
    attempts = 0;
    if (vod != null) {
      segmentIndex++;
    } else {
      nextSequence = segment.mediaSequence() + 1;
      if (live != null) {
        live.discardBefore(nextSequence);
      }
    }
    viewer.onBufferChanged(shard.nanoTime());
  }

  private void retryLater() {
    long delayMs = viewer.retryDelayMs(attempts);
    paceTimerId = timer(delayMs, () -> {
      paceTimerId = -1;
      fetchNext();
    });
  }

  private long timer(long delayMs, Runnable action) {
    long ms = Math.max(1, delayMs);
    long planned = shard.nanoTime() + ms * 1_000_000;
    return shard.vertx().setTimer(ms, id -> {
      shard.recordLag(shard.nanoTime() - planned);
      action.run();
    });
  }

  private static String rangeHeader(ByteRange range) {
    return range == null ? null
        : "bytes=" + range.offsetBytes() + "-" + range.lastByteInclusive();
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      shard.vertx().cancelTimer(id);
    }
  }

  /** Cancels its timers and requests; nothing is recorded afterwards. */
  void close() {
    closed = true;
    cancelTimer(paceTimerId);
    cancelTimer(reloadTimerId);
    cancelTimer(softTimerId);
    paceTimerId = reloadTimerId = softTimerId = -1;
    if (segmentTransfer != null) {
      segmentTransfer.cancel();
    }
    if (playlistTransfer != null) {
      playlistTransfer.cancel();
    }
  }
}
