package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;
import static io.abrfetch.fetcher.Checks.checkNotNull;

import java.time.Duration;

/**
 * How a {@link MultiRangeReader} runs its stream.
 *
 * @param creditWindowBytes per read: the most bytes the server may send ahead of what the caller
 *     consumed; bounds the memory a paused or never-reading caller holds, and is the read's
 *     throughput window (one window per round trip)
 * @param maxReopenAttempts reopens tried in a row without the new stream delivering data before the
 *     unfinished reads fail with {@code STREAM_BROKEN}
 * @param initialBackoff the wait before the first reopen after a break; doubled per failed attempt
 * @param maxBackoff the longest wait between reopen attempts
 * @param maxRangesPerMessage at most this many new ranges in one request message
 */
public record MultiRangeReaderOptions(
    long creditWindowBytes,
    int maxReopenAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxRangesPerMessage) {

  public static final long DEFAULT_CREDIT_WINDOW_BYTES = 512 * 1024;
  public static final int DEFAULT_MAX_REOPEN_ATTEMPTS = 4;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(50);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_RANGES_PER_MESSAGE = 100;

  public MultiRangeReaderOptions {
    checkArgument(creditWindowBytes >= 4096 && creditWindowBytes <= (1L << 30),
        "creditWindowBytes: %s (expected: 4096..1073741824)", creditWindowBytes);
    checkArgument(maxReopenAttempts >= 0, "maxReopenAttempts: %s (expected: >= 0)",
        maxReopenAttempts);
    checkNotNull(initialBackoff, "initialBackoff");
    checkNotNull(maxBackoff, "maxBackoff");
    checkArgument(!initialBackoff.isNegative(), "initialBackoff: %s (expected: >= 0)",
        initialBackoff);
    checkArgument(maxBackoff.compareTo(initialBackoff) >= 0,
        "maxBackoff: %s (expected: >= initialBackoff %s)", maxBackoff, initialBackoff);
    checkArgument(maxRangesPerMessage >= 1 && maxRangesPerMessage <= 1000,
        "maxRangesPerMessage: %s (expected: 1..1000)", maxRangesPerMessage);
  }

  /** The {@code DEFAULT_*} values. */
  public static MultiRangeReaderOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder()
        .creditWindowBytes(creditWindowBytes)
        .maxReopenAttempts(maxReopenAttempts)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .maxRangesPerMessage(maxRangesPerMessage);
  }

  /** The wait before reopen attempt {@code attempt} (1-based): doubling, capped. */
  Duration backoff(int attempt) {
    Duration delay = initialBackoff;
    for (int i = 1; i < attempt && delay.compareTo(maxBackoff) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
  }

  /** Builds {@link MultiRangeReaderOptions}; starts from the {@code DEFAULT_*} constants. */
  public static final class Builder {
    private long creditWindowBytes = DEFAULT_CREDIT_WINDOW_BYTES;
    private int maxReopenAttempts = DEFAULT_MAX_REOPEN_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private int maxRangesPerMessage = DEFAULT_MAX_RANGES_PER_MESSAGE;

    private Builder() {}

    public Builder creditWindowBytes(long creditWindowBytes) {
      this.creditWindowBytes = creditWindowBytes;
      return this;
    }

    public Builder maxReopenAttempts(int maxReopenAttempts) {
      this.maxReopenAttempts = maxReopenAttempts;
      return this;
    }

    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    public Builder maxRangesPerMessage(int maxRangesPerMessage) {
      this.maxRangesPerMessage = maxRangesPerMessage;
      return this;
    }

    public MultiRangeReaderOptions build() {
      return new MultiRangeReaderOptions(creditWindowBytes, maxReopenAttempts, initialBackoff,
          maxBackoff, maxRangesPerMessage);
    }
  }
}
