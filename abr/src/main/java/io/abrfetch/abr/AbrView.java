package io.abrfetch.abr;

import java.util.List;
import java.util.Optional;

/**
 * Everything a policy may look at to decide a peer's next variant: a snapshot, immutable.
 *
 * <p>The live {@link AbrController} and the trace simulator both build views, so one policy code
 * path serves both. Buffer levels are doubles in milliseconds because the simulator's reference
 * arithmetic is; the rest follows the project's units-in-names rule.
 *
 * @param bitratesBps the ladder, strictly ascending, each {@code > 0}
 * @param segmentSizes sizes of upcoming segments when known, else {@code null}
 * @param currentIndex ladder index of the variant the last segment was fetched from
 * @param bufferMs media buffered ahead of the playhead, {@code >= 0}
 * @param maxBufferMs the player's buffer target: it stops fetching above it, {@code > 0}
 * @param segmentDurationUs media duration of one segment, {@code > 0}
 * @param nextSegmentIndex index of the segment to be fetched next, {@code >= 0}
 * @param segmentsRemaining segments left to fetch in this session, or -1 when unknown (live)
 * @param throughputHistory recent downloads, oldest first, possibly spanning sessions (see
 *     {@link ThroughputSample#sessionStart()})
 * @param bandwidthEstimateBps the link estimate of the controller's estimator, 0 when it has none
 * @param nowNanos the controller's clock
 * @param download the download in flight when asking about abandonment, else {@code null}
 */
public record AbrView(
    List<Long> bitratesBps,
    SegmentSizes segmentSizes,
    int currentIndex,
    double bufferMs,
    double maxBufferMs,
    long segmentDurationUs,
    int nextSegmentIndex,
    int segmentsRemaining,
    List<ThroughputSample> throughputHistory,
    long bandwidthEstimateBps,
    long nowNanos,
    DownloadProgress download) {

  public AbrView {
    bitratesBps = Ladder.checkedCopy(bitratesBps);
    Ladder.checkIndex("currentIndex", currentIndex, bitratesBps);
    if (!(bufferMs >= 0) || Double.isInfinite(bufferMs)) {
      throw new IllegalArgumentException("bufferMs: " + bufferMs + " (expected: >= 0)");
    }
    if (!(maxBufferMs > 0) || Double.isInfinite(maxBufferMs)) {
      throw new IllegalArgumentException("maxBufferMs: " + maxBufferMs + " (expected: > 0)");
    }
    if (segmentDurationUs <= 0) {
      throw new IllegalArgumentException(
          "segmentDurationUs: " + segmentDurationUs + " (expected: > 0)");
    }
    if (nextSegmentIndex < 0) {
      throw new IllegalArgumentException(
          "nextSegmentIndex: " + nextSegmentIndex + " (expected: >= 0)");
    }
    if (segmentsRemaining < -1) {
      throw new IllegalArgumentException(
          "segmentsRemaining: " + segmentsRemaining + " (expected: >= 0, or -1 for unknown)");
    }
    throughputHistory = List.copyOf(throughputHistory);
    if (bandwidthEstimateBps < 0) {
      throw new IllegalArgumentException(
          "bandwidthEstimateBps: " + bandwidthEstimateBps + " (expected: >= 0)");
    }
    if (download != null && download.variantIndex() >= bitratesBps.size()) {
      throw new IllegalArgumentException(
          "download.variantIndex: " + download.variantIndex() + " (expected: < ladder size "
              + bitratesBps.size() + ")");
    }
  }

  /** The number of variants. */
  public int variantCount() {
    return bitratesBps.size();
  }

  /** The bitrate of variant {@code index} in kbps, exact for whole-kbps ladders. */
  public double bitrateKbps(int index) {
    return bitratesBps.get(index) / 1000.0;
  }

  /** The download in flight, when this view asks about abandonment. */
  public Optional<DownloadProgress> downloadInFlight() {
    return Optional.ofNullable(download);
  }

  /** Whether the session length is known. */
  public boolean hasKnownEnd() {
    return segmentsRemaining >= 0;
  }

  /**
   * The size of segment {@code segmentIndex} of variant {@code variantIndex} in bytes: the known
   * size when {@link #segmentSizes()} has it, else the nominal {@code bitrate x duration / 8}.
   */
  public long segmentSizeBytes(int variantIndex, int segmentIndex) {
    if (segmentSizes != null) {
      long known = segmentSizes.sizeBytes(variantIndex, segmentIndex);
      if (known >= 0) {
        return known;
      }
    }
    return nominalSegmentSizeBytes(variantIndex);
  }

  /** {@code bitrate x segment duration / 8}, in bytes. */
  public long nominalSegmentSizeBytes(int variantIndex) {
    return Math.round(bitratesBps.get(variantIndex) * (segmentDurationUs / 1e6) / 8.0);
  }

  /**
   * How many of the newest samples belong to the current session: counting back from the newest
   * up to and including the latest {@link ThroughputSample#sessionStart()}.
   */
  public int sessionSampleCount() {
    int count = 0;
    for (int i = throughputHistory.size() - 1; i >= 0; i--) {
      count++;
      if (throughputHistory.get(i).sessionStart()) {
        break;
      }
    }
    return count;
  }

  /** A builder with every field at a neutral default: empty history, buffer 0, index 0. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset from this view, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder()
        .bitratesBps(bitratesBps)
        .segmentSizes(segmentSizes)
        .currentIndex(currentIndex)
        .bufferMs(bufferMs)
        .maxBufferMs(maxBufferMs)
        .segmentDurationUs(segmentDurationUs)
        .nextSegmentIndex(nextSegmentIndex)
        .segmentsRemaining(segmentsRemaining)
        .throughputHistory(throughputHistory)
        .bandwidthEstimateBps(bandwidthEstimateBps)
        .nowNanos(nowNanos)
        .download(download);
  }

  /** Builds {@link AbrView}s. Not thread-safe. */
  public static final class Builder {
    public static final double DEFAULT_MAX_BUFFER_MS = 60_000;
    public static final long DEFAULT_SEGMENT_DURATION_US = 4_000_000;

    private List<Long> bitratesBps = List.of();
    private SegmentSizes segmentSizes;
    private int currentIndex;
    private double bufferMs;
    private double maxBufferMs = DEFAULT_MAX_BUFFER_MS;
    private long segmentDurationUs = DEFAULT_SEGMENT_DURATION_US;
    private int nextSegmentIndex;
    private int segmentsRemaining = -1;
    private List<ThroughputSample> throughputHistory = List.of();
    private long bandwidthEstimateBps;
    private long nowNanos;
    private DownloadProgress download;

    private Builder() {}

    public Builder bitratesBps(List<Long> value) {
      this.bitratesBps = value;
      return this;
    }

    public Builder segmentSizes(SegmentSizes value) {
      this.segmentSizes = value;
      return this;
    }

    public Builder currentIndex(int value) {
      this.currentIndex = value;
      return this;
    }

    public Builder bufferMs(double value) {
      this.bufferMs = value;
      return this;
    }

    public Builder maxBufferMs(double value) {
      this.maxBufferMs = value;
      return this;
    }

    public Builder segmentDurationUs(long value) {
      this.segmentDurationUs = value;
      return this;
    }

    public Builder nextSegmentIndex(int value) {
      this.nextSegmentIndex = value;
      return this;
    }

    public Builder segmentsRemaining(int value) {
      this.segmentsRemaining = value;
      return this;
    }

    public Builder throughputHistory(List<ThroughputSample> value) {
      this.throughputHistory = value;
      return this;
    }

    public Builder bandwidthEstimateBps(long value) {
      this.bandwidthEstimateBps = value;
      return this;
    }

    public Builder nowNanos(long value) {
      this.nowNanos = value;
      return this;
    }

    public Builder download(DownloadProgress value) {
      this.download = value;
      return this;
    }

    public AbrView build() {
      return new AbrView(
          bitratesBps,
          segmentSizes,
          currentIndex,
          bufferMs,
          maxBufferMs,
          segmentDurationUs,
          nextSegmentIndex,
          segmentsRemaining,
          throughputHistory,
          bandwidthEstimateBps,
          nowNanos,
          download);
    }
  }
}
