package io.abrfetch.abr;

/**
 * Turns finished transfers into a link bandwidth estimate.
 *
 * <p>Samples are link-level: when transfers overlapped, the {@link AbrController} has already
 * scaled them to the share of the link they had (see {@link TransferSample}). Implementations are
 * not thread-safe; the controller calls them under its lock.
 */
public interface BandwidthEstimator {

  /**
   * Adds one transfer of {@code bytes} that took {@code transferNanos} of link time and ended at
   * {@code endNanos} (on the controller's clock). Implementations may ignore small samples.
   */
  void addSample(long bytes, long transferNanos, long endNanos);

  /** The estimate in bits per second; a configured default until {@link #hasEstimate()}. */
  long estimateBps();

  /** Whether enough data has been sampled for {@link #estimateBps()} to be a measurement. */
  boolean hasEstimate();
}
