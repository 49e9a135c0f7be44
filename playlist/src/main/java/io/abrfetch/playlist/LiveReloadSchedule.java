package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The reload timing and segment bookkeeping of one live media playlist, after RFC 8216 section
 * 6.3.4: after a load that changed the playlist, reload one target duration after that load
 * began; after a load that did not, half a target duration after it began.
 *
 * <p>Each loaded playlist is merged into the known segments by media sequence number: segments
 * already known are not added again, and the known segments never have a gap (when the window
 * slid past segments we never saw, the known segments restart at the new window and the outcome
 * says how many were missed). A media sequence lower than the last one is reported and not
 * merged. No new segment for {@value #STUCK_TARGET_DURATIONS} target durations is reported as
 * {@link ReloadOutcome.Stuck}.
 *
 * <p>Known segments are re-timed onto one continuous timeline ({@link Segment#startUs()} counts
 * from the first known segment). The owner removes played segments with
 * {@link #discardBefore(long)} to bound memory.
 *
 * <p>Not thread-safe: confine an instance to one thread (the event loop of its peer). Time comes
 * only from the injected nano clock.
 */
public final class LiveReloadSchedule {

  /** How many target durations without a new segment make a playlist stuck. */
  public static final int STUCK_TARGET_DURATIONS = 3;

  private final LongSupplier nanoClock;
  private final Deque<Segment> known = new ArrayDeque<>();
  private MediaPlaylist last;
  private long lastNewSegmentAtNanos;
  private long nextReloadAtNanos;
  private long timelineEndUs;
  private long knownNext = -1; // survives discardBefore, so played segments are not added again
  private boolean ended;

  /**
   * A schedule reading time from {@code nanoClock} (monotonic nanoseconds, like
   * {@link System#nanoTime()}).
   */
  public LiveReloadSchedule(LongSupplier nanoClock) {
    this.nanoClock = checkNotNull(nanoClock, "nanoClock");
  }

  /**
   * Merges a loaded playlist and decides when to load it next.
   *
   * @param playlist the playlist just loaded
   * @param loadStartedAtNanos when the load that returned it began, on the nano clock
   */
  public ReloadOutcome onPlaylist(MediaPlaylist playlist, long loadStartedAtNanos) {
    checkNotNull(playlist, "playlist");
    long nowNanos = nanoClock.getAsLong();
    checkArgument(loadStartedAtNanos - nowNanos <= 0,
        "loadStartedAtNanos: %s (expected: not after now, %s)", loadStartedAtNanos, nowNanos);
    long targetDurationNanos = Math.max(1, playlist.targetDurationUs()) * 1_000L;

    if (last == null) {
      lastNewSegmentAtNanos = nowNanos;
    } else if (playlist.mediaSequence() < last.mediaSequence()) {
      nextReloadAtNanos = loadStartedAtNanos + targetDurationNanos / 2;
      return new ReloadOutcome.WentBackwards(last.mediaSequence(), playlist.mediaSequence(),
          nextReloadAtNanos);
    }

    boolean changed = last == null
        || playlist.mediaSequence() != last.mediaSequence()
        || playlist.nextMediaSequence() != last.nextMediaSequence()
        || playlist.hasEndList() != last.hasEndList();
    long missed = 0;
    List<Segment> added = new ArrayList<>();
    for (Segment segment : playlist.segments()) {
      if (knownNext >= 0 && segment.mediaSequence() < knownNext) {
        continue; // already known
      }
      if (knownNext >= 0 && segment.mediaSequence() > knownNext) {
        missed = segment.mediaSequence() - knownNext;
        known.clear(); // keep the known segments contiguous: restart at the new window
      }
      Segment retimed = retime(segment, timelineEndUs);
      known.addLast(retimed);
      added.add(retimed);
      timelineEndUs = retimed.endUs();
      knownNext = segment.mediaSequence() + 1;
    }
    last = playlist;

    if (!added.isEmpty()) {
      lastNewSegmentAtNanos = nowNanos;
    }
    if (playlist.hasEndList()) {
      ended = true;
      nextReloadAtNanos = Long.MAX_VALUE;
      return new ReloadOutcome.Ended(added);
    }
    ended = false;
    if (!added.isEmpty()) {
      nextReloadAtNanos = loadStartedAtNanos + targetDurationNanos;
      return new ReloadOutcome.Advanced(added, missed, nextReloadAtNanos);
    }
    nextReloadAtNanos = loadStartedAtNanos + (changed ? targetDurationNanos : targetDurationNanos / 2);
    long sinceNewNanos = nowNanos - lastNewSegmentAtNanos;
    if (sinceNewNanos >= STUCK_TARGET_DURATIONS * targetDurationNanos) {
      return new ReloadOutcome.Stuck(sinceNewNanos, nextReloadAtNanos);
    }
    return new ReloadOutcome.Unchanged(nextReloadAtNanos);
  }

  private static Segment retime(Segment s, long startUs) {
    if (s.startUs() == startUs) {
      return s;
    }
    return new Segment(s.mediaSequence(), s.discontinuitySequence(), s.uri(), s.durationUs(), startUs,
        s.title(), s.byteRange(), s.key(), s.map(), s.discontinuity(), s.programDateTime(), s.gap(),
        s.parts());
  }

  /** When to begin the next load on the nano clock; {@link Long#MAX_VALUE} after the end list. */
  public long nextReloadAtNanos() {
    checkArgument(last != null, "no playlist yet (expected: onPlaylist first)");
    return nextReloadAtNanos;
  }

  /** How long to wait from now until the next load, never negative. */
  public long delayUntilNextReloadNanos() {
    long next = nextReloadAtNanos();
    if (next == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, next - nanoClock.getAsLong());
  }

  /**
   * How long, on the nano clock, since a load last brought a new segment (or since the first load).
   * Lets the owner notice a stuck playlist even while its reloads fail.
   */
  public long nanosSinceLastNewSegment() {
    checkArgument(last != null, "no playlist yet (expected: onPlaylist first)");
    return nanoClock.getAsLong() - lastNewSegmentAtNanos;
  }

  /** The known segments, contiguous by media sequence, oldest first (a copy). */
  public List<Segment> segments() {
    return List.copyOf(known);
  }

  /** The media sequence number the next new segment will have, or -1 before any segment. */
  public long nextMediaSequence() {
    return knownNext;
  }

  /** Whether the last playlist had {@code EXT-X-ENDLIST}. */
  public boolean hasEnded() {
    return ended;
  }

  /** Forgets the known segments with a media sequence below {@code mediaSequence}. */
  public void discardBefore(long mediaSequence) {
    while (!known.isEmpty() && known.peekFirst().mediaSequence() < mediaSequence) {
      known.removeFirst();
    }
  }
}
