package io.abrfetch.player;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The playback side of a player, without the media: a state machine that consumes appended media
 * with the passing of an injected clock, starts, stalls, resumes and ends the way a player does,
 * and scores the session's quality of experience.
 *
 * <p>Media arrives as chunks (segments) with {@link #append}; the clock is told the time on every
 * call ({@code nowUs}, microseconds of any monotonic clock, never decreasing). The rules:
 *
 * <ul>
 *   <li><b>Startup.</b> Playback starts at the first moment the buffer holds at least {@link
 *       PlaybackClockOptions#startupThresholdUs()} of media; the time from {@link #start} to then
 *       is the startup time.
 *   <li><b>Playing.</b> The position advances by {@code playbackRate} media microseconds per clock
 *       microsecond.
 *   <li><b>Stall.</b> When the buffer reaches zero before the end of the stream was signalled, the
 *       clock stalls at that exact microsecond (observed by the next call, whatever its time). A
 *       chunk appended at that very microsecond cancels the stall: a stall that lasts no time is
 *       not counted.
 *   <li><b>Resume.</b> A stall ends at the first moment the buffer holds at least {@link
 *       PlaybackClockOptions#rebufferThresholdUs()}, or any media once the end of the stream was
 *       signalled.
 *   <li><b>End.</b> After {@link #endOfStream}, an empty buffer ends the session instead of
 *       stalling it; {@link #stop} ends it early.
 * </ul>
 *
 * <p>QoE: startup time, stalls (count and clock time), the mean bitrate of the played media
 * weighted by media time, switches, and every chunk's QoE_lin reward ({@link ChunkQoe}), summed up
 * in {@link #summary()}.
 *
 * <p>Timeline, for the report: a {@link TimelineSample} before and after every append, at every
 * state change and at every {@link #sample} call, kept in a {@link DecimatingList} of {@link
 * PlaybackClockOptions#maxTimelineSamples()}; markers (switches, stall start and end) up to {@link
 * PlaybackClockOptions#maxMarkers()}, later ones counted and dropped. Memory is bounded whatever the
 * session's length (chunk records up to {@link PlaybackClockOptions#maxChunkRecords()}; the
 * buffered-chunk queue holds only what is ahead of the position).
 *
 * <p>Not thread-safe: confined to the player that owns it (its event-loop context, or a test).
 */
public final class PlaybackClock {
  private final PlaybackClockOptions options;
  private final long startUs;

  private PlaybackState state = PlaybackState.STARTING;
  private long lastUs;
  private long endedAtUs;
  private boolean endOfStream;

  // Media coordinates: 0 is the start of the first chunk; chunks are contiguous.
  private long positionUs;
  private long bufferedEndUs;
  /** Chunks not yet played to their end, oldest first: only what lies ahead of the position. */
  private final Deque<BufferedChunk> ahead = new ArrayDeque<>();
  private long lastPlayedBitrateBps = TimelineSample.UNKNOWN;
  /** Sum of bitrate x played media time; a double so a day at 100 Mbit/s cannot overflow. */
  private double playedBitrateUsSum;

  // While PLAYING the position is a function of time from this anchor, so a fractional rate
  // does not accumulate rounding from one call to the next.
  private long anchorClockUs;
  private long anchorPositionUs;

  private long startupUs = QoeSummary.NOT_STARTED;
  private int stallCount;
  private long stallUsTotal;
  private long stallStartUs;
  private int stallStartMarkerIndex = -1;

  private int chunkCount;
  private int switches;
  private int lastVariantIndex = -1;
  private long lastBitrateBps = TimelineSample.UNKNOWN;
  private long lastAppendUs;
  private double qoeLinSum;
  private final List<ChunkQoe> chunkRecords = new ArrayList<>();

  private final DecimatingList<TimelineSample> timeline;
  private final List<TimelineMarker> markers = new ArrayList<>();
  private int droppedMarkers;
  private long lastEstimateBps = TimelineSample.UNKNOWN;
  private long lastThroughputBps = TimelineSample.UNKNOWN;

  private PlaybackClock(PlaybackClockOptions options, long startUs) {
    this.options = options;
    this.startUs = startUs;
    this.lastUs = startUs;
    this.timeline = DecimatingList.create(options.maxTimelineSamples());
    recordSample(startUs);
  }

  /** A session that starts now, {@code nowUs}, with nothing buffered. */
  public static PlaybackClock start(PlaybackClockOptions options, long nowUs) {
    Objects.requireNonNull(options, "options");
    return new PlaybackClock(options, nowUs);
  }

  /**
   * Appends the next chunk of media at {@code nowUs} and returns its QoE record.
   *
   * @param durationUs its media duration, {@code > 0}
   * @param bitrateBps its variant's bitrate, {@code > 0}
   * @param variantIndex its variant's ladder index, {@code >= 0}
   * @throws IllegalStateException after {@link #endOfStream} or {@link #stop}
   */
  public ChunkQoe append(long nowUs, long durationUs, long bitrateBps, int variantIndex) {
    if (durationUs <= 0) {
      throw new IllegalArgumentException("durationUs: " + durationUs + " (expected: > 0)");
    }
    if (bitrateBps <= 0) {
      throw new IllegalArgumentException("bitrateBps: " + bitrateBps + " (expected: > 0)");
    }
    if (variantIndex < 0) {
      throw new IllegalArgumentException("variantIndex: " + variantIndex + " (expected: >= 0)");
    }
    if (state.isTerminal() || endOfStream) {
      throw new IllegalStateException(
          "append after " + (endOfStream ? "the end of the stream" : "stop") + " (state: " + state
              + ")");
    }
    advance(nowUs);
    recordSample(nowUs);
    long rebufferUs =
        state == PlaybackState.STALLED ? nowUs - Math.max(stallStartUs, lastAppendUs) : 0;
    long previousBitrateBps = chunkCount == 0 ? bitrateBps : lastBitrateBps;
    if (chunkCount > 0 && variantIndex != lastVariantIndex) {
      switches++;
      addMarker(new TimelineMarker.Switch(
          nowUs - startUs, lastVariantIndex, variantIndex, lastBitrateBps, bitrateBps));
    }
    ChunkQoe chunk = new ChunkQoe(
        chunkCount,
        variantIndex,
        bitrateBps,
        durationUs,
        nowUs - startUs,
        rebufferUs,
        ChunkQoe.reward(bitrateBps, previousBitrateBps, rebufferUs));
    chunkCount++;
    qoeLinSum += chunk.qoeLin();
    if (chunkRecords.size() < options.maxChunkRecords()) {
      chunkRecords.add(chunk);
    }
    bufferedEndUs += durationUs;
    ahead.addLast(new BufferedChunk(bufferedEndUs, bitrateBps));
    lastVariantIndex = variantIndex;
    lastBitrateBps = bitrateBps;
    lastAppendUs = nowUs;
    startIfBuffered(nowUs);
    recordSample(nowUs);
    return chunk;
  }

  /**
   * Brings the clock to {@code nowUs}: plays media, stalls or ends as the buffer allows, and
   * returns the state at {@code nowUs}.
   */
  public PlaybackState advance(long nowUs) {
    if (nowUs < lastUs) {
      throw new IllegalArgumentException(
          "nowUs: " + nowUs + " (expected: >= " + lastUs + ", the latest time seen)");
    }
    if (state == PlaybackState.PLAYING) {
      long dryAtUs = bufferEmptyAtUs();
      if (nowUs >= dryAtUs) {
        playTo(bufferedEndUs);
        if (endOfStream) {
          end(PlaybackState.ENDED, dryAtUs);
        } else {
          state = PlaybackState.STALLED;
          stallCount++;
          stallStartUs = dryAtUs;
          stallStartMarkerIndex =
              addMarker(new TimelineMarker.StallStart(dryAtUs - startUs, positionUs));
          recordSample(dryAtUs);
        }
      } else {
        playTo(positionAt(nowUs));
      }
    }
    lastUs = nowUs;
    return state;
  }

  /**
   * Records a timeline sample at {@code nowUs} with the player's current bandwidth estimate and
   * latest measured throughput ({@link TimelineSample#UNKNOWN} when not known); later automatic
   * samples carry them on. Ignored once the session is over.
   */
  public void sample(long nowUs, long estimateBps, long throughputBps) {
    if (estimateBps < 0 && estimateBps != TimelineSample.UNKNOWN) {
      throw new IllegalArgumentException(
          "estimateBps: " + estimateBps + " (expected: >= 0 or UNKNOWN)");
    }
    if (throughputBps < 0 && throughputBps != TimelineSample.UNKNOWN) {
      throw new IllegalArgumentException(
          "throughputBps: " + throughputBps + " (expected: >= 0 or UNKNOWN)");
    }
    advance(nowUs);
    if (state.isTerminal()) {
      return;
    }
    lastEstimateBps = estimateBps;
    lastThroughputBps = throughputBps;
    recordSample(nowUs);
  }

  /**
   * Signals at {@code nowUs} that no chunk follows: the buffered media plays out (a stall or the
   * startup wait ends if anything is buffered) and the session then ends. Calling it again is a
   * no-op.
   *
   * @throws IllegalStateException after {@link #stop}
   */
  public void endOfStream(long nowUs) {
    if (state == PlaybackState.STOPPED) {
      throw new IllegalStateException("endOfStream after stop");
    }
    advance(nowUs);
    if (endOfStream || state.isTerminal()) {
      return;
    }
    endOfStream = true;
    if (bufferUs() > 0) {
      startIfBuffered(nowUs);
    } else {
      end(PlaybackState.ENDED, nowUs);
    }
  }

  /** Stops the session at {@code nowUs} (a stall in progress ends there); a no-op once over. */
  public void stop(long nowUs) {
    advance(nowUs);
    if (!state.isTerminal()) {
      end(PlaybackState.STOPPED, nowUs);
    }
  }

  /**
   * The clock time at which the buffer runs dry if no chunk arrives, or {@link Long#MAX_VALUE}
   * unless playing; a player can set a timer for it.
   */
  public long bufferEmptyAtUs() {
    return positionReachedAtUs(bufferedEndUs);
  }

  /**
   * The clock time at which the position reaches {@code targetPositionUs} if playback goes on
   * without a stall, or {@link Long#MAX_VALUE} unless playing or when the buffer runs dry before
   * it; a player stopping after a given media time stops there exactly, however late its timer.
   */
  public long positionReachedAtUs(long targetPositionUs) {
    if (state != PlaybackState.PLAYING || targetPositionUs > bufferedEndUs) {
      return Long.MAX_VALUE;
    }
    long remainingUs = targetPositionUs - anchorPositionUs;
    if (options.playbackRate() == 1.0) {
      return anchorClockUs + remainingUs;
    }
    long t = anchorClockUs + (long) Math.ceil(remainingUs / options.playbackRate());
    // The double division may land a microsecond off the first time positionAt reaches it.
    while (positionAt(t) < targetPositionUs) {
      t++;
    }
    while (t > anchorClockUs && positionAt(t - 1) >= targetPositionUs) {
      t--;
    }
    return t;
  }

  /** The state as of the latest call. */
  public PlaybackState state() {
    return state;
  }

  /** Media time played, microseconds, as of the latest call. */
  public long positionUs() {
    return positionUs;
  }

  /** Media buffered ahead of the position, microseconds, as of the latest call. */
  public long bufferUs() {
    return bufferedEndUs - positionUs;
  }

  /** The QoE of the session as of the latest call (a stall in progress counts up to it). */
  public QoeSummary summary() {
    long atUs = state.isTerminal() ? endedAtUs : lastUs;
    long stallUs = stallUsTotal + (state == PlaybackState.STALLED ? atUs - stallStartUs : 0);
    long meanBitrateBps = positionUs == 0 ? 0 : Math.round(playedBitrateUsSum / positionUs);
    return new QoeSummary(
        state,
        atUs - startUs,
        startupUs,
        stallCount,
        stallUs,
        positionUs,
        bufferUs(),
        meanBitrateBps,
        switches,
        chunkCount,
        qoeLinSum,
        droppedMarkers);
  }

  /** The QoE record of every chunk appended, up to {@link PlaybackClockOptions#maxChunkRecords()}. */
  public List<ChunkQoe> chunks() {
    return List.copyOf(chunkRecords);
  }

  /** The timeline samples kept (see {@link DecimatingList}), oldest first. */
  public List<TimelineSample> samples() {
    return timeline.snapshot();
  }

  /** Timeline samples offered since the start, kept or not. */
  public long samplesOffered() {
    return timeline.offered();
  }

  /** The markers kept, in time order. */
  public List<TimelineMarker> markers() {
    return List.copyOf(markers);
  }

  /** The options this clock runs with. */
  public PlaybackClockOptions options() {
    return options;
  }

  private long positionAt(long nowUs) {
    long elapsedUs = nowUs - anchorClockUs;
    long consumedUs = options.playbackRate() == 1.0
        ? elapsedUs
        : (long) Math.floor(elapsedUs * options.playbackRate());
    return Math.min(bufferedEndUs, anchorPositionUs + consumedUs);
  }

  /** Moves the position forward to {@code targetUs}, weighting each chunk's bitrate by its time. */
  private void playTo(long targetUs) {
    while (positionUs < targetUs) {
      BufferedChunk head = ahead.peekFirst();
      long untilUs = Math.min(head.endUs(), targetUs);
      playedBitrateUsSum += (double) (untilUs - positionUs) * head.bitrateBps();
      lastPlayedBitrateBps = head.bitrateBps();
      positionUs = untilUs;
      if (positionUs == head.endUs()) {
        ahead.pollFirst();
      }
    }
  }

  private void startIfBuffered(long nowUs) {
    long bufferUs = bufferUs();
    if (state == PlaybackState.STARTING
        && (bufferUs >= options.startupThresholdUs() || (endOfStream && bufferUs > 0))) {
      startupUs = nowUs - startUs;
      play(nowUs);
    } else if (state == PlaybackState.STALLED
        && (bufferUs >= options.rebufferThresholdUs() || (endOfStream && bufferUs > 0))) {
      endStall(nowUs);
      play(nowUs);
    }
  }

  private void play(long nowUs) {
    state = PlaybackState.PLAYING;
    anchorClockUs = nowUs;
    anchorPositionUs = positionUs;
    recordSample(nowUs);
  }

  private void end(PlaybackState terminal, long atUs) {
    if (state == PlaybackState.STALLED) {
      endStall(atUs);
    }
    state = terminal;
    endedAtUs = atUs;
    recordSample(atUs);
  }

  private void endStall(long nowUs) {
    long stallUs = nowUs - stallStartUs;
    if (stallUs == 0) {
      // A chunk arrived the very microsecond the buffer ran dry: it was in time.
      stallCount--;
      if (stallStartMarkerIndex >= 0) {
        markers.remove(stallStartMarkerIndex);
      } else {
        droppedMarkers--;
      }
    } else {
      stallUsTotal += stallUs;
      addMarker(new TimelineMarker.StallEnd(nowUs - startUs, stallUs));
    }
    stallStartMarkerIndex = -1;
  }

  /** Keeps {@code marker} if under the cap; returns its index, or -1 when dropped. */
  private int addMarker(TimelineMarker marker) {
    if (markers.size() < options.maxMarkers()) {
      markers.add(marker);
      return markers.size() - 1;
    }
    droppedMarkers++;
    return -1;
  }

  private void recordSample(long atUs) {
    BufferedChunk playing = ahead.peekFirst();
    long playingBitrateBps = state == PlaybackState.STARTING
        ? TimelineSample.UNKNOWN
        : playing != null && state != PlaybackState.STALLED
            ? playing.bitrateBps()
            : lastPlayedBitrateBps;
    timeline.add(new TimelineSample(
        atUs - startUs,
        state,
        positionUs,
        bufferUs(),
        lastBitrateBps,
        playingBitrateBps,
        lastEstimateBps,
        lastThroughputBps));
  }

  /** A chunk ahead of the position: where it ends in media time, and its bitrate. */
  private record BufferedChunk(long endUs, long bitrateBps) {}
}
