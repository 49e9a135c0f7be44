package io.abrfetch.player.load;

import io.abrfetch.origin.RateSchedule;

/**
 * A viewer's simulated access link (its bandwidth profile), enforced on the client side: every
 * body chunk received reserves its transmission time on the link's schedule, and when the link is
 * busy further ahead than now, the transfer pauses its response until then (TCP flow control then
 * slows the origin). Audio and video of one viewer share the link.
 *
 * <p>Threading: confined to the viewer's event loop.
 */
final class ViewerLink {

  private final RateSchedule schedule;
  private final long epochNanos;
  private long freeAtNanos;

  ViewerLink(RateSchedule schedule, long epochNanos) {
    this.schedule = schedule;
    this.epochNanos = epochNanos;
    this.freeAtNanos = epochNanos;
  }

  /** Reserves {@code bytes} from now or from when the link is free; returns how long to wait. */
  long transmit(long bytes, long nowNanos) {
    long start = Math.max(freeAtNanos, nowNanos);
    freeAtNanos = epochNanos + schedule.transmitEndNanos(start - epochNanos, bytes);
    return freeAtNanos - nowNanos;
  }

  /** When the bytes reserved so far have all crossed the link. */
  long freeAtNanos() {
    return freeAtNanos;
  }
}
