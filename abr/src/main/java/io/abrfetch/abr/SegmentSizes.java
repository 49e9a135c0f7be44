package io.abrfetch.abr;

/**
 * Sizes of the upcoming segments of each variant, when the player knows them (byte ranges, a
 * size index, or the trace benchmark's chunk tables).
 *
 * <p>Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface SegmentSizes {

  /**
   * The size of segment {@code segmentIndex} of variant {@code variantIndex} in bytes, 0 past the
   * end of the media, or -1 when unknown.
   */
  long sizeBytes(int variantIndex, int segmentIndex);
}
