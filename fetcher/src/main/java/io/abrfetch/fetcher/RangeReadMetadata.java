package io.abrfetch.fetcher;

import java.util.Objects;

/**
 * The object a {@link MultiRangeReader} reads, as its server described it in the stream's first
 * response.
 *
 * @param sizeBytes the object's length in bytes
 * @param generation changes whenever the object's bytes change (the HTTP side's ETag)
 */
public record RangeReadMetadata(long sizeBytes, String generation) {
  public RangeReadMetadata {
    Checks.checkArgument(sizeBytes >= 0, "sizeBytes: %s (expected: >= 0)", sizeBytes);
    Objects.requireNonNull(generation, "generation");
  }
}
