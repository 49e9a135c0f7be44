package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The variants of a master playlist sorted by peak bitrate, lowest first: the ladder an ABR
 * controller climbs. Index 0 is the lowest variant.
 *
 * <p>Ties in {@code BANDWIDTH} are broken by resolution (fewer pixels first), then by
 * {@code AVERAGE-BANDWIDTH}, then by URI, so the order is deterministic.
 *
 * @param variants the sorted variants, never empty
 */
public record VariantLadder(List<Variant> variants) {

  private static final Comparator<Variant> ORDER =
      Comparator.comparingLong(Variant::bandwidthBps)
          .thenComparingLong(v -> v.resolution() == null
              ? 0 : (long) v.resolution().widthPx() * v.resolution().heightPx())
          .thenComparingLong(v -> v.averageBandwidthBps() == null ? 0 : v.averageBandwidthBps())
          .thenComparing(v -> v.uri().toString());

  public VariantLadder {
    variants = List.copyOf(checkNotNull(variants, "variants"));
    checkArgument(!variants.isEmpty(), "variants: [] (expected: at least one)");
    for (int i = 1; i < variants.size(); i++) {
      checkArgument(ORDER.compare(variants.get(i - 1), variants.get(i)) <= 0,
          "variants: not sorted at index %s (expected: ascending bitrate)", i);
    }
  }

  /** The ladder of {@code variants} in any order. */
  public static VariantLadder of(List<Variant> variants) {
    List<Variant> sorted = new ArrayList<>(checkNotNull(variants, "variants"));
    sorted.sort(ORDER);
    return new VariantLadder(sorted);
  }

  /** The number of rungs. */
  public int size() {
    return variants.size();
  }

  /** The variant at {@code index}, 0 being the lowest bitrate. */
  public Variant get(int index) {
    return variants.get(index);
  }

  /** The lowest-bitrate variant. */
  public Variant lowest() {
    return variants.get(0);
  }

  /** The highest-bitrate variant. */
  public Variant highest() {
    return variants.get(variants.size() - 1);
  }

  /** The peak bitrate of the variant at {@code index} in bits per second. */
  public long bitrateBps(int index) {
    return variants.get(index).bandwidthBps();
  }

  /**
   * The index of the highest variant whose peak bitrate is at most {@code bitrateBps}; 0 when even
   * the lowest one is above it (playback needs some variant).
   */
  public int highestIndexAtOrBelow(long bitrateBps) {
    int best = 0;
    for (int i = 0; i < variants.size(); i++) {
      if (variants.get(i).bandwidthBps() <= bitrateBps) {
        best = i;
      }
    }
    return best;
  }

  /** The index of {@code variant} in this ladder, or -1 when it is not a rung. */
  public int indexOf(Variant variant) {
    return variants.indexOf(variant);
  }
}
