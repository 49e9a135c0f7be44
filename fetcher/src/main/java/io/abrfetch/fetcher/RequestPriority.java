package io.abrfetch.fetcher;

/**
 * Request axis of the 2x2 priority map: is a reader blocked on this request right now?
 *
 * <p>The other axis is the peer's: is its track playing ({@link PeerHandle#setPlaying})?
 */
public enum RequestPriority {
  /** A reader waits for these bytes (the segment being played next, an init segment, a key). */
  BLOCKING,
  /** Look-ahead work: nobody waits for it yet; it may be preempted by blocking work. */
  PREFETCH
}
