package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;

/**
 * Tells a hang from idleness, turn by turn, without I/O.
 *
 * <p>Each turn is {@link WatchdogTurn#ADVANCED} (something progressed since the previous turn),
 * {@link WatchdogTurn#IDLE} (nothing to do: no attempt on the wire, nothing startable queued) or
 * {@link WatchdogTurn#STALLED} (work is on the wire yet nothing progressed). A stalled streak longer
 * than the window is a hang: {@link #turn} returns how long it lasted and the streak restarts, so
 * a hang that healing did not cure fires again one window later, never every turn. Idle time
 * never counts towards a hang.
 *
 * <p>Threading: not thread-safe; the downloader confines it to its event loop.
 */
final class HangWatchdog {

  /** The verdict of a turn that found no hang. */
  static final long NO_HANG = -1;

  private final long windowNanos;
  private long calmSinceNanos;

  HangWatchdog(long windowNanos, long nowNanos) {
    checkArgument(windowNanos > 0, "windowNanos: %s (expected: > 0)", windowNanos);
    this.windowNanos = windowNanos;
    this.calmSinceNanos = nowNanos;
  }

  /** Classifies a turn from what changed since the previous one. */
  static WatchdogTurn classify(long progressSinceLastTurn, int attemptsOnTheWire) {
    if (progressSinceLastTurn > 0) {
      return WatchdogTurn.ADVANCED;
    }
    return attemptsOnTheWire == 0 ? WatchdogTurn.IDLE : WatchdogTurn.STALLED;
  }

  /**
   * Records a turn of class {@code turnClass} at {@code nowNanos}; returns the length of the
   * stalled streak in nanoseconds when it exceeds the window (a hang), else {@link #NO_HANG}.
   */
  long turn(long nowNanos, WatchdogTurn turnClass) {
    if (turnClass != WatchdogTurn.STALLED) {
      calmSinceNanos = nowNanos;
      return NO_HANG;
    }
    long stalledNanos = nowNanos - calmSinceNanos;
    if (stalledNanos > windowNanos) {
      calmSinceNanos = nowNanos;
      return stalledNanos;
    }
    return NO_HANG;
  }
}
