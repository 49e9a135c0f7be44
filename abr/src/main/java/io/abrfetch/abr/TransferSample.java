package io.abrfetch.abr;

/**
 * One finished transfer as the downloader saw it: the bandwidth feed of the {@link AbrController}.
 *
 * @param bytes body bytes received
 * @param transferNanos time from the first body byte to the last (time to first byte excluded)
 * @param overlappingTransfers how many transfers (this one included, so at least 1) were in flight
 *     on the same link at any point during this one; the controller aggregates them so N parallel
 *     fetches do not each see 1/N of the link
 * @param endNanos when the transfer ended, on the controller's nano clock
 */
public record TransferSample(long bytes, long transferNanos, int overlappingTransfers, long endNanos) {
  public TransferSample {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    if (transferNanos < 0) {
      throw new IllegalArgumentException("transferNanos: " + transferNanos + " (expected: >= 0)");
    }
    if (overlappingTransfers < 1) {
      throw new IllegalArgumentException(
          "overlappingTransfers: " + overlappingTransfers + " (expected: >= 1)");
    }
  }
}
