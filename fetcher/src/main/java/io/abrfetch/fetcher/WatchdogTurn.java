package io.abrfetch.fetcher;

/** The class of one hang-watchdog turn; see {@link Downloader#runWatchdogTick()}. */
public enum WatchdogTurn {
  /** Something progressed since the previous turn (a dispatch, a response head, a body byte, an ending). */
  ADVANCED,
  /** Nothing to do: no attempt on the wire; idle time never counts towards a hang. */
  IDLE,
  /** Attempts are on the wire and none progressed since the previous turn. */
  STALLED
}
