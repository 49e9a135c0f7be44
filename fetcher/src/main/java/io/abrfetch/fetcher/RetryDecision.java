package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;
import static io.abrfetch.fetcher.Checks.checkNotNull;

import java.time.Duration;

/** What a {@link RetryPolicy} decided about one failed attempt: retry after a delay, or give up. */
public sealed interface RetryDecision permits RetryDecision.Retry, RetryDecision.GiveUp {

  /** Try again (resuming from the bytes already received) after {@code delay}. */
  record Retry(Duration delay) implements RetryDecision {
    public Retry {
      checkNotNull(delay, "delay");
      checkArgument(!delay.isNegative(), "delay: %s (expected: >= 0)", delay);
    }
  }

  /** Stop: the request fails with the attempt's error. */
  record GiveUp(String reason) implements RetryDecision {
    public GiveUp {
      checkNotNull(reason, "reason");
    }
  }
}
