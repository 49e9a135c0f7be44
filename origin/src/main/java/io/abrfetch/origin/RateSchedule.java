package io.abrfetch.origin;

/**
 * A link's rate over time, measured in body bits: a {@link FixedRate} or a replayed
 * {@link BandwidthTrace}. Pure and immutable; times are nanoseconds since the link's epoch.
 */
public sealed interface RateSchedule permits FixedRate, BandwidthTrace {

  /**
   * When a transmission of {@code sizeBytes} that starts at {@code startNanos} ends, in nanoseconds
   * since the link's epoch; at least {@code startNanos}.
   */
  long transmitEndNanos(long startNanos, long sizeBytes);
}
