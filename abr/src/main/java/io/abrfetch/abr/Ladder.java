package io.abrfetch.abr;

import java.util.List;

/** Argument checks shared by the records that carry a variant ladder. */
final class Ladder {

  private Ladder() {}

  /** Copies {@code bitratesBps}, which must be non-empty, positive and strictly ascending. */
  static List<Long> checkedCopy(List<Long> bitratesBps) {
    List<Long> copy = List.copyOf(bitratesBps);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("bitratesBps: empty (expected: at least one variant)");
    }
    long previous = 0;
    for (long bitrate : copy) {
      if (bitrate <= previous) {
        throw new IllegalArgumentException(
            "bitratesBps: " + copy + " (expected: > 0 and strictly ascending)");
      }
      previous = bitrate;
    }
    return copy;
  }

  /** Checks that {@code index}, named {@code name} in the message, is a variant of the ladder. */
  static void checkIndex(String name, int index, List<Long> bitratesBps) {
    if (index < 0 || index >= bitratesBps.size()) {
      throw new IllegalArgumentException(
          name + ": " + index + " (expected: 0.." + (bitratesBps.size() - 1) + ")");
    }
  }
}
