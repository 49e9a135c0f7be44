package io.abrfetch.abr.sim;

import io.abrfetch.abr.SegmentSizes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark video: the byte size of every chunk of every quality ({@code video_size_<q>}
 * files, one integer a line).
 *
 * <p>Immutable and thread-safe. Past the last chunk, sizes are 0, as in the reference code's
 * {@code get_chunk_size} (robust MPC's off-by-one look-ahead relies on it).
 */
public final class ChunkSizes implements SegmentSizes {
  private final long[][] sizesBytes;

  private ChunkSizes(long[][] sizesBytes) {
    this.sizesBytes = sizesBytes;
  }

  /** Builds from {@code sizesBytes[quality][chunk]} (deep-copied); every quality equally long. */
  public static ChunkSizes of(long[][] sizesBytes) {
    if (sizesBytes.length == 0) {
      throw new IllegalArgumentException("sizesBytes: no quality (expected: at least one)");
    }
    long[][] copy = new long[sizesBytes.length][];
    for (int q = 0; q < sizesBytes.length; q++) {
      if (sizesBytes[q].length != sizesBytes[0].length || sizesBytes[q].length == 0) {
        throw new IllegalArgumentException(
            "sizesBytes[" + q + "]: " + sizesBytes[q].length
                + " chunks (expected: > 0 and as many as quality 0)");
      }
      for (long size : sizesBytes[q]) {
        if (size <= 0) {
          throw new IllegalArgumentException(
              "sizesBytes[" + q + "]: size " + size + " (expected: > 0)");
        }
      }
      copy[q] = sizesBytes[q].clone();
    }
    return new ChunkSizes(copy);
  }

  /** Reads {@code video_size_0}, {@code video_size_1}, ... from {@code folder} until one is missing. */
  public static ChunkSizes load(Path folder) {
    List<long[]> qualities = new ArrayList<>();
    for (int q = 0; ; q++) {
      Path file = folder.resolve("video_size_" + q);
      if (!Files.isRegularFile(file)) {
        break;
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new TraceException(TraceException.Kind.IO, file, 0, "cannot read: " + e, e);
      }
      long[] sizes = new long[lines.size()];
      int count = 0;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty()) {
          continue;
        }
        try {
          sizes[count] = Long.parseLong(line);
        } catch (NumberFormatException e) {
          throw new TraceException(
              TraceException.Kind.MALFORMED_LINE, file, i + 1,
              "'" + line + "' (expected: a size in bytes)", e);
        }
        if (sizes[count] <= 0) {
          throw new TraceException(
              TraceException.Kind.OUT_OF_RANGE, file, i + 1,
              "size " + sizes[count] + " (expected: > 0)", null);
        }
        count++;
      }
      qualities.add(java.util.Arrays.copyOf(sizes, count));
    }
    if (qualities.isEmpty()) {
      throw new TraceException(
          TraceException.Kind.IO, folder.resolve("video_size_0"), 0, "missing", null);
    }
    try {
      return of(qualities.toArray(new long[0][]));
    } catch (IllegalArgumentException e) {
      throw new TraceException(TraceException.Kind.OUT_OF_RANGE, folder, 0, e.getMessage(), e);
    }
  }

  /** Number of qualities. */
  public int qualityCount() {
    return sizesBytes.length;
  }

  /** Number of chunks per quality. */
  public int chunkCount() {
    return sizesBytes[0].length;
  }

  /** The size of chunk {@code chunk} of quality {@code quality}, 0 outside the video. */
  @Override
  public long sizeBytes(int quality, int chunk) {
    if (chunk < 0 || chunk >= sizesBytes[quality].length) {
      return 0;
    }
    return sizesBytes[quality][chunk];
  }
}
