package io.abrfetch.abr;

/**
 * One finished transfer as the downloader saw it: the bandwidth feed of the {@link AbrController}.
 *
 * @param bytes body bytes received
 * @param transferNanos time from the first body byte to the last (time to first byte excluded)
 * @param overlappingTransfers how many transfers (this one included, so at least 1) shared the
 *     link during this one, as a time-weighted mean: {@code transferNanos} over this transfer's
 *     fair share of the link (2 when one other ran throughout, 1.1 when one other ran for a tenth
 *     of the time); the controller scales by it so N parallel fetches do not each see 1/N of the
 *     link
 * @param endNanos when the transfer ended, on the controller's nano clock
 */
public record TransferSample(
    long bytes, long transferNanos, double overlappingTransfers, long endNanos) {
  public TransferSample {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    if (transferNanos < 0) {
      throw new IllegalArgumentException("transferNanos: " + transferNanos + " (expected: >= 0)");
    }
    if (!(overlappingTransfers >= 1) || Double.isInfinite(overlappingTransfers)) {
      throw new IllegalArgumentException(
          "overlappingTransfers: " + overlappingTransfers + " (expected: >= 1)");
    }
  }
}
