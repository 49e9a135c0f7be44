package io.abrfetch.fetcher;

/**
 * The fair share of the link each body transfer had, time-weighted: a clock that runs at
 * {@code 1/n} speed while {@code n} transfers are receiving bodies (full speed when one or none
 * is). A transfer's share is the clock's advance from its first body byte to its end, so a
 * transfer that ran alone for 900 ms and beside one other for 100 ms had the link for 950 ms, and
 * its rate scaled to the link is {@code bytes / 950 ms} (a transfer count taken at its peak
 * would say 2 and double the rate).
 *
 * <p>O(1) per transfer start and end, whatever the number in flight.
 *
 * <p>Threading: not thread-safe; the downloader confines it to its event loop.
 */
final class LinkShareClock {

  private long lastNanos;
  private int transfers;
  private double shareNanos;

  /** A transfer starts receiving its body at {@code nowNanos}; returns the clock's reading. */
  double join(long nowNanos) {
    double reading = advance(nowNanos);
    transfers++;
    return reading;
  }

  /** A transfer that {@link #join joined} ends at {@code nowNanos}; returns the clock's reading. */
  double leave(long nowNanos) {
    if (transfers == 0) {
      throw new IllegalStateException("leave without join");
    }
    double reading = advance(nowNanos);
    transfers--;
    return reading;
  }

  /** How many transfers are receiving bodies now. */
  int transfers() {
    return transfers;
  }

  private double advance(long nowNanos) {
    long elapsedNanos = Math.max(0, nowNanos - lastNanos);
    shareNanos += transfers <= 1 ? elapsedNanos : (double) elapsedNanos / transfers;
    lastNanos = Math.max(lastNanos, nowNanos);
    return shareNanos;
  }
}
