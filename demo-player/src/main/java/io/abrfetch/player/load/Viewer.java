package io.abrfetch.player.load;

import io.abrfetch.abr.AbrDecision;
import io.abrfetch.abr.AbrView;
import io.abrfetch.abr.DownloadProgress;
import io.abrfetch.abr.EwmaBandwidthEstimator;
import io.abrfetch.abr.ThroughputSample;
import io.abrfetch.origin.RateSchedule;
import io.abrfetch.playlist.MasterPlaylist;
import io.abrfetch.playlist.PlaylistException;
import io.abrfetch.playlist.Rendition;
import io.abrfetch.playlist.Variant;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated player: loads the master playlist, plays a video variant chosen by its own ABR
 * (its own bandwidth estimate, the run's policy) plus the default alternate audio rendition,
 * fetches keys and init segments, reloads live playlists per RFC 8216 6.3.4, and paces segment
 * requests to media time with a simulated playhead: once {@code targetBufferUs} of media is
 * buffered ahead of the playhead, the next segment is requested when the buffer has drained by one
 * segment, i.e. at the segment rate.
 *
 * <p>The playhead is evaluated lazily: startup, stalls and played time are computed exactly from
 * the buffered media and the clock at each event (a fetch ending, a timer), so no timer runs per
 * frame.
 *
 * <p>Threading: confined to its shard's event loop.
 */
final class Viewer {

  private static final int HISTORY_LIMIT = 8;

  private enum State { LOADING, STARTING, PLAYING, STALLED, ENDED }

  final LoadShard shard;
  final int index;
  final ViewerLink linkOrNull;
  final double vodStartFraction;
  private final EwmaBandwidthEstimator estimator = EwmaBandwidthEstimator.create();
  private final ThroughputSample[] history = new ThroughputSample[HISTORY_LIMIT];
  private int historyCount;
  private int historyNext;

  private MasterPlaylist master;
  private List<Long> bitratesBps;
  private List<Variant> variants;
  private Track video;
  private Track audio;
  private int masterAttempts;
  private State state = State.LOADING;
  private long startNanos;
  // The playhead: at anchorNanos it stood at anchorPosUs (media time since the viewer's start).
  private long anchorNanos;
  private long anchorPosUs;
  private long accountedPosUs;
  private long stallStartNanos;
  private long endTimerId = -1;
  private Transfer masterTransfer;

  Viewer(LoadShard shard, int index, RateSchedule scheduleOrNull, double vodStartFraction) {
    this.shard = shard;
    this.index = index;
    this.vodStartFraction = vodStartFraction;
    this.linkOrNull = scheduleOrNull == null ? null : new ViewerLink(scheduleOrNull,
        shard.nanoTime());
  }

  LoadMetrics metrics() {
    return shard.metricsForRecording();
  }

  void start() {
    startNanos = shard.nanoTime();
    metrics().recordViewerStarted(System.currentTimeMillis());
    loadMaster();
  }

  private void loadMaster() {
    masterTransfer = new Transfer(shard, RequestType.MASTER, 0, true, linkOrNull)
        .start(shard.masterUrl(), null, this::onMaster);
  }

  private void onMaster(Transfer transfer) {
    masterTransfer = null;
    if (state == State.ENDED) {
      return;
    }
    if (!transfer.failed()) {
      try {
        master = shard.playlists().master(URI.create(shard.masterUrl()), transfer.body);
      } catch (PlaylistException | IllegalArgumentException e) {
        shard.metricsForRecording().recordError(RequestType.MASTER, "playlist", 0, 0,
            System.currentTimeMillis());
      }
    }
    if (master == null) {
      if (++masterAttempts >= shard.options().maxAttempts()) {
        fail();
        return;
      }
      long delayMs = retryDelayMs(masterAttempts);
      long planned = shard.nanoTime() + delayMs * 1_000_000;
      endTimerId = shard.vertx().setTimer(Math.max(1, delayMs), id -> {
        endTimerId = -1;
        shard.recordLag(shard.nanoTime() - planned);
        loadMaster();
      });
      return;
    }
    variants = master.ladder().variants();
    bitratesBps = new ArrayList<>(variants.size());
    long previous = 0;
    for (Variant variant : variants) {
      // AbrView wants a strictly ascending ladder: nudge equal bandwidths up by 1 bit/s.
      long bps = Math.max(variant.bandwidthBps(), previous + 1);
      bitratesBps.add(bps);
      previous = bps;
    }
    bitratesBps = List.copyOf(bitratesBps);
    int initial = 0;
    long estimateBps = estimator.estimateBps();
    for (int i = 0; i < bitratesBps.size(); i++) {
      if (bitratesBps.get(i) <= estimateBps) {
        initial = i;
      }
    }
    state = State.STARTING;
    video = new Track(this, false);
    video.switchTo(initial, variants.get(initial).uri());
    Rendition audioRendition = audioRendition(variants.get(initial));
    if (audioRendition != null) {
      audio = new Track(this, true);
      audio.switchTo(0, audioRendition.uri());
    }
  }

  private Rendition audioRendition(Variant variant) {
    if (variant.audioGroupId() == null) {
      return null;
    }
    Rendition chosen = null;
    for (Rendition rendition : master.renditions(Rendition.Type.AUDIO, variant.audioGroupId())) {
      if (rendition.uri() == null) {
        continue;
      }
      if (chosen == null || rendition.isDefault()) {
        chosen = rendition;
        if (rendition.isDefault()) {
          break;
        }
      }
    }
    return chosen;
  }

  long retryDelayMs(int attempt) {
    return shard.options().retryDelayMs() << Math.min(10, attempt - 1);
  }

  // ---- ABR ----

  long bitrateBps(int variantIndex) {
    return bitratesBps.get(variantIndex);
  }

  URI variantUri(int variantIndex) {
    return variants.get(variantIndex).uri();
  }

  /** Feeds one finished segment transfer into this viewer's own estimate. */
  void onSegmentTransfer(Transfer transfer) {
    if (transfer.bytes <= 0) {
      return;
    }
    long transferNanos = Math.max(1, transfer.transferNanos());
    estimator.addSample(transfer.bytes, transferNanos, transfer.endNanos);
    double durationMs = Math.max(0.001, (transfer.endNanos - transfer.startNanos) / 1e6);
    double latencyMs = Math.min((transfer.firstByteNanos - transfer.startNanos) / 1e6,
        durationMs * 0.999);
    addHistory(new ThroughputSample(transfer.bytes, durationMs, Math.max(0, latencyMs),
        historyCount == 0));
  }

  /**
   * Feeds what an abandoned download received into the estimate (as players do), so the next
   * decision knows the link dropped.
   */
  void onAbandonedTransfer(Transfer transfer) {
    long now = shard.nanoTime();
    if (transfer.firstByteNanos == 0 || transfer.bytes <= 0) {
      return;
    }
    estimator.addSample(transfer.bytes, Math.max(1, now - transfer.firstByteNanos), now);
    double durationMs = Math.max(0.001, (now - transfer.startNanos) / 1e6);
    double latencyMs = Math.min((transfer.firstByteNanos - transfer.startNanos) / 1e6,
        durationMs * 0.999);
    addHistory(new ThroughputSample(transfer.bytes, durationMs, Math.max(0, latencyMs),
        historyCount == 0));
  }

  private void addHistory(ThroughputSample sample) {
    history[historyNext] = sample;
    historyNext = (historyNext + 1) % HISTORY_LIMIT;
    historyCount = Math.min(HISTORY_LIMIT, historyCount + 1);
  }

  private List<ThroughputSample> historyList() {
    List<ThroughputSample> list = new ArrayList<>(historyCount);
    for (int i = 0; i < historyCount; i++) {
      list.add(history[(historyNext - historyCount + i + HISTORY_LIMIT) % HISTORY_LIMIT]);
    }
    return list;
  }

  private AbrView view(int currentIndex, long nowNanos, long segmentDurationUs,
      int nextSegmentIndex, int segmentsRemaining, DownloadProgress download) {
    return new AbrView(bitratesBps, null, currentIndex, bufferedAheadUs(nowNanos) / 1000.0,
        shard.options().targetBufferUs() / 1000.0, Math.max(1, segmentDurationUs),
        Math.max(0, nextSegmentIndex), segmentsRemaining, historyList(),
        estimator.hasEstimate() ? estimator.estimateBps() : 0, nowNanos, download);
  }

  /** The variant of the next video segment, per the policy. */
  int chooseVariant(int currentIndex, long segmentDurationUs, int nextSegmentIndex,
      int segmentsRemaining) {
    long now = shard.nanoTime();
    AbrDecision decision = shard.policy().chooseNext(
        view(currentIndex, now, segmentDurationUs, nextSegmentIndex, segmentsRemaining, null));
    int target = decision.targetIndex();
    if (target != currentIndex) {
      metrics().recordSwitch(target > currentIndex, false);
    }
    return target;
  }

  /** Asks the policy whether to abandon a slow download; returns the lower variant or -1. */
  int abandonTarget(int currentIndex, Transfer transfer, long segmentDurationUs,
      int segmentIndex) {
    if (transfer.contentLength <= 0 || transfer.bytes >= transfer.contentLength) {
      return -1;
    }
    long now = shard.nanoTime();
    DownloadProgress progress = new DownloadProgress(currentIndex, transfer.bytes,
        transfer.contentLength, (now - transfer.startNanos) / 1000);
    AbrDecision decision = shard.policy().decide(
        view(currentIndex, now, segmentDurationUs, segmentIndex, -1, progress));
    if (decision instanceof AbrDecision.Abandon abandon && abandon.targetIndex() < currentIndex) {
      metrics().recordSwitch(false, true);
      return abandon.targetIndex();
    }
    return -1;
  }

  // ---- playhead ----

  /** Media buffered by both tracks, from the viewer's start position. */
  private long bufferedEndUs() {
    long end = video == null ? 0 : video.endUs;
    if (audio != null) {
      end = Math.min(end, audio.endUs);
    }
    return end;
  }

  long positionUs(long nowNanos) {
    return switch (state) {
      case PLAYING -> Math.min(bufferedEndUs(), anchorPosUs + (nowNanos - anchorNanos) / 1000);
      case STALLED -> anchorPosUs;
      default -> 0;
    };
  }

  /**
   * Whether playback has begun. Abandonment is judged only from then on: during startup there is
   * no buffer to protect, and the rule (finish within the buffer) would abandon every first
   * segment that takes longer than its minimum measuring time.
   */
  boolean hasStarted() {
    return state == State.PLAYING || state == State.STALLED;
  }

  boolean isPlaying() {
    return state == State.PLAYING;
  }

  long bufferedAheadUs(long nowNanos) {
    return Math.max(0, bufferedEndUs() - positionUs(nowNanos));
  }

  /** A track's buffer grew (or a segment was given up): update the playhead, wake both tracks. */
  void onBufferChanged(long nowNanos) {
    advance(nowNanos);
    if (state == State.ENDED) {
      return;
    }
    video.fetchNext();
    if (audio != null) {
      audio.fetchNext();
    }
  }

  /** Brings the playhead up to now: played time, stall start, startup, resume. */
  void advance(long nowNanos) {
    long bufferEnd = bufferedEndUs();
    switch (state) {
      case STARTING -> {
        if (bufferEnd > 0 && (audio == null || audio.endUs > 0)) {
          state = State.PLAYING;
          anchorNanos = nowNanos;
          anchorPosUs = 0;
          metrics().recordStartup((nowNanos - startNanos) / 1000);
        }
      }
      case PLAYING -> {
        long pos = anchorPosUs + (nowNanos - anchorNanos) / 1000;
        if (pos >= bufferEnd) {
          account(bufferEnd);
          if (video.ended && (audio == null || audio.ended)) {
            end(false);
            return;
          }
          state = State.STALLED;
          stallStartNanos = anchorNanos + (bufferEnd - anchorPosUs) * 1000;
          anchorPosUs = bufferEnd;
          shard.stalledViewers++;
          metrics().recordStallStarted();
        } else {
          account(pos);
        }
      }
      case STALLED -> {
        if (bufferEnd > anchorPosUs) {
          metrics().recordStalled((nowNanos - stallStartNanos) / 1000);
          shard.stalledViewers--;
          state = State.PLAYING;
          anchorNanos = nowNanos;
        }
      }
      default -> { }
    }
  }

  private void account(long posUs) {
    if (posUs > accountedPosUs) {
      metrics().recordPlayed(posUs - accountedPosUs);
      accountedPosUs = posUs;
    }
  }

  /**
   * Called when a track has nothing left to fetch (VOD end): ends the viewer when the playhead
   * reaches the end of what is buffered.
   */
  void onTrackEnded(long nowNanos) {
    if (!video.ended || (audio != null && !audio.ended) || endTimerId >= 0) {
      return;
    }
    advance(nowNanos);
    if (state == State.ENDED) {
      return;
    }
    long remainingUs = state == State.PLAYING ? bufferedAheadUs(nowNanos) : 0;
    endTimerId = shard.vertx().setTimer(Math.max(1, remainingUs / 1000 + 1), id -> {
      endTimerId = -1;
      advance(shard.nanoTime());
      if (state != State.ENDED) {
        end(false);
      }
    });
  }

  /** Gave up (the master or a first media playlist never loaded). */
  void fail() {
    end(true);
  }

  private void end(boolean failed) {
    if (state == State.ENDED) {
      return;
    }
    long now = shard.nanoTime();
    if (state == State.STALLED) {
      metrics().recordStalled((now - stallStartNanos) / 1000);
      shard.stalledViewers--;
    }
    state = State.ENDED;
    if (endTimerId >= 0) {
      shard.vertx().cancelTimer(endTimerId);
      endTimerId = -1;
    }
    if (masterTransfer != null) {
      masterTransfer.cancel();
    }
    if (video != null) {
      video.close();
    }
    if (audio != null) {
      audio.close();
    }
    metrics().recordViewerEnded(failed, System.currentTimeMillis());
    shard.viewerEnded(this);
  }

  boolean isEnded() {
    return state == State.ENDED;
  }

  /** The run is over: accounts up to now and ends. */
  void stop(long nowNanos) {
    if (state == State.ENDED) {
      return;
    }
    advance(nowNanos);
    end(false);
  }
}
