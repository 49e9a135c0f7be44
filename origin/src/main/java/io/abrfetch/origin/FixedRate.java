package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

/** A constant link rate in bits per second of HTTP body (headers and TCP overhead are free). */
public record FixedRate(long rateBps) implements RateSchedule {

  public FixedRate {
    checkArgument(rateBps > 0, "rateBps: %s (expected: > 0)", rateBps);
  }

  @Override
  public long transmitEndNanos(long startNanos, long sizeBytes) {
    return startNanos + (long) Math.ceil(sizeBytes * 8.0 * 1e9 / rateBps);
  }
}
