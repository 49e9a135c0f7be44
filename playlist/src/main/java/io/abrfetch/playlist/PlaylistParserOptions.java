package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;

/**
 * Limits of a {@link PlaylistParser}, so a hostile or broken origin cannot make it use unbounded
 * memory or time.
 *
 * @param maxSizeBytes the largest accepted playlist in bytes (UTF-8), {@code > 0}
 * @param maxSegments the most segments accepted in one media playlist, {@code > 0}
 */
public record PlaylistParserOptions(long maxSizeBytes, int maxSegments) {

  /** 8 MiB: far above any real playlist (100,000 segments of ~80 bytes each). */
  public static final long DEFAULT_MAX_SIZE_BYTES = 8L * 1024 * 1024;

  /** 100,000 segments: a day of 1-second segments. */
  public static final int DEFAULT_MAX_SEGMENTS = 100_000;

  public PlaylistParserOptions {
    checkArgument(maxSizeBytes > 0, "maxSizeBytes: %s (expected: > 0)", maxSizeBytes);
    checkArgument(maxSegments > 0, "maxSegments: %s (expected: > 0)", maxSegments);
  }

  /** The default limits. */
  public static PlaylistParserOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link PlaylistParserOptions}; starts from the {@code DEFAULT_*} values. */
  public static final class Builder {
    private long maxSizeBytes = DEFAULT_MAX_SIZE_BYTES;
    private int maxSegments = DEFAULT_MAX_SEGMENTS;

    private Builder() {}

    /** Sets the largest accepted playlist in bytes. */
    public Builder maxSizeBytes(long maxSizeBytes) {
      this.maxSizeBytes = maxSizeBytes;
      return this;
    }

    /** Sets the most segments accepted in one media playlist. */
    public Builder maxSegments(int maxSegments) {
      this.maxSegments = maxSegments;
      return this;
    }

    /** The validated options. */
    public PlaylistParserOptions build() {
      return new PlaylistParserOptions(maxSizeBytes, maxSegments);
    }
  }
}
