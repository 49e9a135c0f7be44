package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.abrfetch.fetcher.FetchException.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static ExponentialBackoffPolicy noJitter() {
    return ExponentialBackoffPolicy.builder().jitter(0).maxAttempts(4)
        .baseDelay(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(350)).build();
  }

  private static Duration delayOf(RetryDecision d) {
    return assertInstanceOf(RetryDecision.Retry.class, d).delay();
  }

  @Test
  void transientFailures_backOffExponentially_cappedAtMaxDelay() {
    ExponentialBackoffPolicy p = noJitter();
    FetchException stall = FetchException.of(Kind.STALLED, "x");
    assertEquals(Duration.ofMillis(100), delayOf(p.decide(1, stall)));
    assertEquals(Duration.ofMillis(200), delayOf(p.decide(2, stall)));
    assertEquals(Duration.ofMillis(350), delayOf(p.decide(3, stall)));
  }

  @Test
  void attemptsAreBounded_giveUpAtMaxAttempts_notOneBefore() {
    ExponentialBackoffPolicy p = noJitter();
    FetchException reset = FetchException.of(Kind.RESET, "x");
    assertInstanceOf(RetryDecision.Retry.class, p.decide(3, reset));
    assertInstanceOf(RetryDecision.GiveUp.class, p.decide(4, reset));
  }

  @Test
  void transientStatuses_are5xx408And429_otherStatusesAreFatal() {
    ExponentialBackoffPolicy p = noJitter();
    for (int status : new int[] {500, 502, 503, 504, 408, 429}) {
      assertInstanceOf(RetryDecision.Retry.class,
          p.decide(1, FetchException.httpStatus(status, "u", null)), "status " + status);
    }
    for (int status : new int[] {400, 401, 403, 404, 410, 412}) {
      assertInstanceOf(RetryDecision.GiveUp.class,
          p.decide(1, FetchException.httpStatus(status, "u", null)), "status " + status);
    }
  }

  @Test
  void fatalKinds_giveUpOnTheFirstFailure() {
    ExponentialBackoffPolicy p = noJitter();
    for (Kind kind : new Kind[] {Kind.VALIDATION, Kind.RANGE, Kind.CHANGED, Kind.OVERLONG,
        Kind.SIZE, Kind.REDIRECT, Kind.TOO_LARGE}) {
      assertInstanceOf(RetryDecision.GiveUp.class, p.decide(1, FetchException.of(kind, "x")),
          kind.toString());
    }
    for (Kind kind : new Kind[] {Kind.CONNECT, Kind.TIMEOUT, Kind.STALLED, Kind.RESET,
        Kind.TRUNCATED}) {
      assertInstanceOf(RetryDecision.Retry.class, p.decide(1, FetchException.of(kind, "x")),
          kind.toString());
    }
  }

  @Test
  void retryAfter_isHonoured_whenLongerThanBackoff_andGivesUpBeyondMaxRetryAfter() {
    ExponentialBackoffPolicy p = ExponentialBackoffPolicy.builder().jitter(0)
        .maxRetryAfter(Duration.ofSeconds(10)).build();
    assertEquals(Duration.ofSeconds(3),
        delayOf(p.decide(1, FetchException.httpStatus(503, "u", Duration.ofSeconds(3)))));
    assertEquals(Duration.ofSeconds(10),
        delayOf(p.decide(1, FetchException.httpStatus(503, "u", Duration.ofSeconds(10)))));
    assertInstanceOf(RetryDecision.GiveUp.class,
        p.decide(1, FetchException.httpStatus(503, "u", Duration.ofSeconds(11))));
    assertEquals(Duration.ofMillis(100),
        delayOf(p.decide(1, FetchException.httpStatus(429, "u", Duration.ZERO))),
        "a zero Retry-After does not shorten the backoff");
  }

  @Test
  void jitter_isDrawnFromTheInjectedRandom_reproducibly() {
    ExponentialBackoffPolicy a = ExponentialBackoffPolicy.builder().jitter(0.5)
        .random(new Random(42)::nextDouble).build();
    ExponentialBackoffPolicy b = ExponentialBackoffPolicy.builder().jitter(0.5)
        .random(new Random(42)::nextDouble).build();
    FetchException reset = FetchException.of(Kind.RESET, "x");
    for (int attempt = 1; attempt < 4; attempt++) {
      Duration da = delayOf(a.decide(attempt, reset));
      assertEquals(da, delayOf(b.decide(attempt, reset)));
      long full = 100L << (attempt - 1);
      long ms = da.toMillis();
      org.junit.jupiter.api.Assertions.assertTrue(ms >= full / 2 && ms <= full,
          "attempt " + attempt + ": " + ms + " ms within [" + full / 2 + ", " + full + "]");
    }
  }

  @Test
  void options_rejectNonsense_withTypedErrors() {
    assertThrows(IllegalArgumentException.class,
        () -> ExponentialBackoffPolicy.builder().maxAttempts(0).build());
    assertThrows(IllegalArgumentException.class,
        () -> ExponentialBackoffPolicy.builder().jitter(1.5).build());
    assertThrows(IllegalArgumentException.class, () -> ExponentialBackoffPolicy.builder()
        .baseDelay(Duration.ofSeconds(10)).maxDelay(Duration.ofSeconds(1)).build());
  }

  @Test
  void retryAfterHeader_parsesSecondsAndHttpDates_andIgnoresGarbage() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T16:00:00Z"), ZoneOffset.UTC);
    assertEquals(Duration.ofSeconds(7), RetryAfter.parse("7", clock));
    assertEquals(Duration.ofSeconds(30),
        RetryAfter.parse("Mon, 23 Nov 2026 16:00:30 GMT", clock));
    assertEquals(Duration.ZERO, RetryAfter.parse("Mon, 23 Nov 2026 15:59:00 GMT", clock));
    assertNull(RetryAfter.parse("soon", clock));
    assertNull(RetryAfter.parse(null, clock));
    assertNull(RetryAfter.parse("-3", clock));
  }
}
