package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;
import static io.abrfetch.fetcher.Checks.checkNotNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The default {@link RetryPolicy}: transient failures are retried with exponential backoff and
 * jitter, at most {@code maxAttempts} attempts in a row without progress; fatal failures give up at
 * once; a server's {@code Retry-After} is honoured (the delay is never shorter) unless it asks for
 * more than {@code maxRetryAfter}, which gives up.
 *
 * <p>Delay of the n-th failure: {@code min(maxDelay, baseDelay * 2^(n-1)) * (1 - jitter * r)} with
 * {@code r} from the injected {@code random} in [0, 1).
 *
 * <p>Threading: thread-safe when {@code random} is (the default uses {@link ThreadLocalRandom}).
 */
public record ExponentialBackoffPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay,
    double jitter, Duration maxRetryAfter, DoubleSupplier random) implements RetryPolicy {

  public static final int DEFAULT_MAX_ATTEMPTS = 4;
  public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(5);
  public static final double DEFAULT_JITTER = 0.5;
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

  public ExponentialBackoffPolicy {
    checkArgument(maxAttempts >= 1, "maxAttempts: %s (expected: >= 1)", maxAttempts);
    checkNotNull(baseDelay, "baseDelay");
    checkNotNull(maxDelay, "maxDelay");
    checkNotNull(maxRetryAfter, "maxRetryAfter");
    checkNotNull(random, "random");
    checkArgument(!baseDelay.isNegative(), "baseDelay: %s (expected: >= 0)", baseDelay);
    checkArgument(maxDelay.compareTo(baseDelay) >= 0, "maxDelay: %s (expected: >= baseDelay %s)",
        maxDelay, baseDelay);
    checkArgument(jitter >= 0 && jitter <= 1, "jitter: %s (expected: in [0, 1])", jitter);
    checkArgument(!maxRetryAfter.isNegative(), "maxRetryAfter: %s (expected: >= 0)",
        maxRetryAfter);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public RetryDecision decide(int failedAttempts, FetchException failure) {
    checkArgument(failedAttempts >= 1, "failedAttempts: %s (expected: >= 1)", failedAttempts);
    if (!failure.isTransient()) {
      return new RetryDecision.GiveUp("fatal " + failure.kind()
          + (failure.statusCode() != 0 ? " " + failure.statusCode() : ""));
    }
    if (failedAttempts >= maxAttempts) {
      return new RetryDecision.GiveUp(failedAttempts + " attempts failed (max " + maxAttempts + ")");
    }
    long baseNanos = baseDelay.toNanos();
    int shift = Math.min(failedAttempts - 1, 40);
    long backoffNanos = baseNanos > (maxDelay.toNanos() >> shift)
        ? maxDelay.toNanos() : Math.min(maxDelay.toNanos(), baseNanos << shift);
    double r = random.getAsDouble();
    long jitteredNanos = Math.round(backoffNanos * (1 - jitter * Math.min(Math.max(r, 0), 1)));
    Duration delay = Duration.ofNanos(jitteredNanos);
    Duration retryAfter = failure.retryAfter();
    if (retryAfter != null) {
      if (retryAfter.compareTo(maxRetryAfter) > 0) {
        return new RetryDecision.GiveUp(
            "Retry-After " + retryAfter + " exceeds maxRetryAfter " + maxRetryAfter);
      }
      if (retryAfter.compareTo(delay) > 0) {
        delay = retryAfter;
      }
    }
    return new RetryDecision.Retry(delay);
  }

  /** Builds an {@link ExponentialBackoffPolicy}; starts from the {@code DEFAULT_*} values. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration baseDelay = DEFAULT_BASE_DELAY;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private double jitter = DEFAULT_JITTER;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder() {}

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = baseDelay;
      return this;
    }

    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = maxDelay;
      return this;
    }

    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /** The jitter source, values in [0, 1); inject a seeded one for reproducible delays. */
    public Builder random(DoubleSupplier random) {
      this.random = random;
      return this;
    }

    public ExponentialBackoffPolicy build() {
      return new ExponentialBackoffPolicy(maxAttempts, baseDelay, maxDelay, jitter, maxRetryAfter,
          random);
    }
  }
}
