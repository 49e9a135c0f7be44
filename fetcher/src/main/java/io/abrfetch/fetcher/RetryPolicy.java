package io.abrfetch.fetcher;

/**
 * Decides, as a value, what happens after a failed attempt: retry after a delay, or give up.
 *
 * <p>An attempt that received body bytes resets the count: {@code failedAttempts} counts the
 * consecutive attempts that failed without delivering a byte, so a long body broken by occasional
 * resets keeps resuming while an origin that answers nothing useful is given up on.
 *
 * <p>Threading: called on the downloader's event loop; implementations must not block and, when
 * shared by several downloaders, must be thread-safe.
 */
@FunctionalInterface
public interface RetryPolicy {

  /**
   * What to do after the {@code failedAttempts}-th consecutive failed attempt (1 after the first
   * failure) ended with {@code failure}.
   */
  RetryDecision decide(int failedAttempts, FetchException failure);

  /** Exponential backoff with the defaults of {@link ExponentialBackoffPolicy}. */
  static RetryPolicy exponentialBackoff() {
    return ExponentialBackoffPolicy.builder().build();
  }

  /** Never retries. */
  static RetryPolicy never() {
    return (failedAttempts, failure) -> new RetryDecision.GiveUp("retries disabled");
  }
}
