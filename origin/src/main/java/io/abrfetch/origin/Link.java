package io.abrfetch.origin;

/**
 * A shaped link as a virtual-clock token bucket: each chunk reserves the link from when it is free
 * (or now) until its bits have gone at the scheduled rate, and may be written at that time.
 *
 * <p>The bucket holds at most {@link #BURST_NANOS} of unused link time, so timer lateness on a
 * busy event loop does not lower the long-run rate, while an idle link cannot save up a burst.
 * Confined to the origin's event loop (not thread-safe).
 */
final class Link {

  /** How much unused link time may be spent late: covers timer granularity and loop hiccups. */
  static final long BURST_NANOS = 20_000_000L;

  private final RateSchedule schedule;
  private final long epochNanos;
  // Confined to the origin's event loop.
  private long busyUntilNanos;

  Link(RateSchedule schedule, long epochNanos) {
    this.schedule = schedule;
    this.epochNanos = epochNanos;
    this.busyUntilNanos = epochNanos;
  }

  /** Reserves the link for {@code sizeBytes}; returns when they have been sent, on the nano clock. */
  long reserve(long nowNanos, long sizeBytes) {
    long startNanos = Math.max(busyUntilNanos, nowNanos - BURST_NANOS);
    long endNanos = epochNanos + schedule.transmitEndNanos(startNanos - epochNanos, sizeBytes);
    busyUntilNanos = endNanos;
    return endNanos;
  }
}
