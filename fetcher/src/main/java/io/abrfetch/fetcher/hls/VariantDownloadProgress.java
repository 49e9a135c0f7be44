package io.abrfetch.fetcher.hls;

/**
 * A snapshot of a {@link VariantDownload}'s progress; an immutable value, safe on any thread.
 *
 * @param segmentsDone segments written to the sink, in order (gap segments count, with no bytes)
 * @param segmentsTotal segments in the variant, 0 until its playlist is loaded
 * @param bytesWritten bytes handed to the sink (init sections included)
 * @param elapsedNanos time since the download started
 * @param heldBytes fetched bytes waiting in the reorder window for the segments before them
 */
public record VariantDownloadProgress(int segmentsDone, int segmentsTotal, long bytesWritten,
    long elapsedNanos, long heldBytes) {

  /** The average rate so far in bit/s, 0 before any time passed. */
  public long rateBps() {
    return elapsedNanos <= 0 ? 0 : (long) (bytesWritten * 8e9 / elapsedNanos);
  }

  /** Whether every segment was written. */
  public boolean isComplete() {
    return segmentsTotal > 0 && segmentsDone == segmentsTotal;
  }
}
