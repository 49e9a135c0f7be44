package io.abrfetch.abr;

/**
 * Decides whether to abandon a segment download in flight: when finishing it at the rate measured
 * so far would outlast the buffer, while the same segment from a lower variant, fetched afresh at
 * that rate, would not, the download is abandoned for the highest such variant.
 *
 * <p>Immutable and thread-safe. The view's {@link AbrView#nextSegmentIndex()} is the index of the
 * segment in flight.
 */
public final class AbandonRule {
  /** Progress younger than this is too noisy to measure a rate from, µs. */
  public static final long DEFAULT_MIN_ELAPSED_US = 500_000;
  /** Finishing must fit in this fraction of the buffer to count as on track. */
  public static final double DEFAULT_BUFFER_SAFETY = 0.9;

  /** The rule with its default thresholds. */
  public static final AbandonRule DEFAULT =
      new AbandonRule(DEFAULT_MIN_ELAPSED_US, DEFAULT_BUFFER_SAFETY);

  private final long minElapsedUs;
  private final double bufferSafety;

  private AbandonRule(long minElapsedUs, double bufferSafety) {
    if (minElapsedUs < 0) {
      throw new IllegalArgumentException("minElapsedUs: " + minElapsedUs + " (expected: >= 0)");
    }
    if (!(bufferSafety > 0 && bufferSafety <= 1)) {
      throw new IllegalArgumentException("bufferSafety: " + bufferSafety + " (expected: (0, 1])");
    }
    this.minElapsedUs = minElapsedUs;
    this.bufferSafety = bufferSafety;
  }

  /** A rule with other thresholds. */
  public static AbandonRule create(long minElapsedUs, double bufferSafety) {
    return new AbandonRule(minElapsedUs, bufferSafety);
  }

  /**
   * {@link AbrDecision.Abandon} to a lower variant, or {@link AbrDecision.Stay} on the variant in
   * flight.
   *
   * @throws IllegalArgumentException when the view has no download in flight
   */
  public AbrDecision evaluate(AbrView view) {
    DownloadProgress download = view.download();
    if (download == null) {
      throw new IllegalArgumentException("view: no download in flight (expected: download set)");
    }
    int current = download.variantIndex();
    AbrDecision stay = new AbrDecision.Stay(current, AbrDecision.Reason.DOWNLOAD_ON_TRACK);
    if (current == 0 || download.elapsedUs() < minElapsedUs) {
      return stay;
    }
    double budgetUs = view.bufferMs() * 1000.0 * bufferSafety;
    double bytesPerUs = download.loadedBytes() / (double) download.elapsedUs();
    long remainingBytes = download.totalBytes() - download.loadedBytes();
    double finishUs = bytesPerUs > 0 ? remainingBytes / bytesPerUs : Double.POSITIVE_INFINITY;
    if (finishUs <= budgetUs) {
      return stay;
    }
    // A fresh request pays its latency again; the measured rate already includes that of this one.
    int segment = view.nextSegmentIndex();
    for (int lower = current - 1; lower >= 0; lower--) {
      double lowerUs = bytesPerUs > 0
          ? view.segmentSizeBytes(lower, segment) / bytesPerUs
          : Double.POSITIVE_INFINITY;
      if (lowerUs <= budgetUs) {
        return new AbrDecision.Abandon(current, lower, AbrDecision.Reason.DOWNLOAD_TOO_SLOW);
      }
    }
    // No lower variant fits the buffer either: the lowest still shortens the stall when it would
    // finish sooner than the rest of this download, and a stalled transfer (rate 0) is hopeless.
    double lowestUs = bytesPerUs > 0
        ? view.segmentSizeBytes(0, segment) / bytesPerUs
        : Double.POSITIVE_INFINITY;
    if (bytesPerUs == 0 || lowestUs < finishUs) {
      return new AbrDecision.Abandon(current, 0, AbrDecision.Reason.DOWNLOAD_TOO_SLOW);
    }
    return stay;
  }
}
