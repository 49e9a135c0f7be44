package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;
import static io.abrfetch.fetcher.Checks.checkNotNull;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Configuration of one {@link Downloader}; build it with {@link #builder()}.
 *
 * @param name tag {@code downloader} on every meter, so several downloaders share a registry
 * @param maxInFlight requests running at once over all origins
 * @param maxInFlightPerOrigin requests running at once against one scheme://host:port
 * @param maxQueuedPerPeer requests a peer may have queued (not yet started); more are refused
 *     with {@link FetchException.Kind#QUEUE_FULL}
 * @param minSoftTimeout floor of the soft deadline after which a request emits {@code LoadSlow}
 * @param softTimeoutMediaFraction soft deadline as a fraction of the request's media duration
 *     (the deadline is {@code max(minSoftTimeout, fraction * mediaDuration)})
 * @param inactivityTimeout longest time without progress (connecting, waiting for the response
 *     head, and between body chunks) before the attempt is abandoned and resumed
 * @param requestTimeout overall cap of one request including retries, or null for none; a
 *     request's own {@link FetchRequest#totalTimeout()} wins
 * @param maxRedirects redirects followed per attempt
 * @param retryPolicy decides retries after failed attempts
 * @param maxAttemptsPerRequest hard cap on attempts of one request, whatever the policy says; it
 *     bounds an origin that breaks every body after a few bytes (each such attempt is progress,
 *     which resets the policy's count)
 * @param watchdogWindow how long a stalled streak may last before the hang watchdog fires
 * @param watchdogTickInterval period of the watchdog's turns; {@link Duration#ZERO} disables the
 *     timer (tests then drive {@link Downloader#runWatchdogTick()})
 * @param nanoClock monotonic clock for every measured time (TTFB, transfer time, watchdog)
 * @param wallClock wall clock for {@code Retry-After} HTTP-dates
 */
public record DownloaderOptions(String name, int maxInFlight, int maxInFlightPerOrigin,
    int maxQueuedPerPeer, Duration minSoftTimeout, double softTimeoutMediaFraction,
    Duration inactivityTimeout, Duration requestTimeout, int maxRedirects, RetryPolicy retryPolicy,
    int maxAttemptsPerRequest, Duration watchdogWindow, Duration watchdogTickInterval, LongSupplier nanoClock,
    Clock wallClock) {

  public static final String DEFAULT_NAME = "downloader";
  public static final int DEFAULT_MAX_IN_FLIGHT = 8;
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_ORIGIN = 6;
  public static final int DEFAULT_MAX_QUEUED_PER_PEER = 32;
  public static final Duration DEFAULT_MIN_SOFT_TIMEOUT = Duration.ofSeconds(2);
  public static final double DEFAULT_SOFT_TIMEOUT_MEDIA_FRACTION = 0.5;
  public static final Duration DEFAULT_INACTIVITY_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_REDIRECTS = 5;
  public static final int DEFAULT_MAX_ATTEMPTS_PER_REQUEST = 32;
  public static final Duration DEFAULT_WATCHDOG_WINDOW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_WATCHDOG_TICK_INTERVAL = Duration.ofSeconds(1);

  public DownloaderOptions {
    checkNotNull(name, "name");
    checkArgument(maxInFlight > 0, "maxInFlight: %s (expected: > 0)", maxInFlight);
    checkArgument(maxInFlightPerOrigin > 0, "maxInFlightPerOrigin: %s (expected: > 0)",
        maxInFlightPerOrigin);
    checkArgument(maxQueuedPerPeer > 0, "maxQueuedPerPeer: %s (expected: > 0)", maxQueuedPerPeer);
    checkNotNull(minSoftTimeout, "minSoftTimeout");
    checkArgument(minSoftTimeout.toMillis() > 0, "minSoftTimeout: %s (expected: >= 1 ms)",
        minSoftTimeout);
    checkArgument(softTimeoutMediaFraction > 0, "softTimeoutMediaFraction: %s (expected: > 0)",
        softTimeoutMediaFraction);
    checkNotNull(inactivityTimeout, "inactivityTimeout");
    checkArgument(inactivityTimeout.toMillis() > 0, "inactivityTimeout: %s (expected: >= 1 ms)",
        inactivityTimeout);
    checkArgument(requestTimeout == null || requestTimeout.toMillis() > 0,
        "requestTimeout: %s (expected: null or >= 1 ms)", requestTimeout);
    checkArgument(maxRedirects >= 0, "maxRedirects: %s (expected: >= 0)", maxRedirects);
    checkNotNull(retryPolicy, "retryPolicy");
    checkArgument(maxAttemptsPerRequest >= 1, "maxAttemptsPerRequest: %s (expected: >= 1)",
        maxAttemptsPerRequest);
    checkNotNull(watchdogWindow, "watchdogWindow");
    checkArgument(watchdogWindow.toMillis() > 0, "watchdogWindow: %s (expected: >= 1 ms)",
        watchdogWindow);
    checkNotNull(watchdogTickInterval, "watchdogTickInterval");
    checkArgument(watchdogTickInterval.isZero() || watchdogTickInterval.toMillis() > 0,
        "watchdogTickInterval: %s (expected: ZERO or >= 1 ms)", watchdogTickInterval);
    checkArgument(watchdogTickInterval.compareTo(watchdogWindow) <= 0,
        "watchdogTickInterval: %s (expected: <= watchdogWindow %s)", watchdogTickInterval,
        watchdogWindow);
    checkNotNull(nanoClock, "nanoClock");
    checkNotNull(wallClock, "wallClock");
  }

  /** The defaults: 8 in flight, 6 per origin, 32 queued per peer, 2 s / 10 s / 60 s timeouts. */
  public static DownloaderOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this instance's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.maxInFlight = maxInFlight;
    b.maxInFlightPerOrigin = maxInFlightPerOrigin;
    b.maxQueuedPerPeer = maxQueuedPerPeer;
    b.minSoftTimeout = minSoftTimeout;
    b.softTimeoutMediaFraction = softTimeoutMediaFraction;
    b.inactivityTimeout = inactivityTimeout;
    b.requestTimeout = requestTimeout;
    b.maxRedirects = maxRedirects;
    b.retryPolicy = retryPolicy;
    b.maxAttemptsPerRequest = maxAttemptsPerRequest;
    b.watchdogWindow = watchdogWindow;
    b.watchdogTickInterval = watchdogTickInterval;
    b.nanoClock = nanoClock;
    b.wallClock = wallClock;
    return b;
  }

  /** The soft deadline of a request of {@code mediaDurationUs} (0 when unknown). */
  Duration softTimeoutFor(long mediaDurationUs) {
    long fractionNanos = Math.round(mediaDurationUs * 1_000.0 * softTimeoutMediaFraction);
    return fractionNanos > minSoftTimeout.toNanos() ? Duration.ofNanos(fractionNanos)
        : minSoftTimeout;
  }

  /** Builds {@link DownloaderOptions}; starts from the {@code DEFAULT_*} values. */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private int maxInFlightPerOrigin = DEFAULT_MAX_IN_FLIGHT_PER_ORIGIN;
    private int maxQueuedPerPeer = DEFAULT_MAX_QUEUED_PER_PEER;
    private Duration minSoftTimeout = DEFAULT_MIN_SOFT_TIMEOUT;
    private double softTimeoutMediaFraction = DEFAULT_SOFT_TIMEOUT_MEDIA_FRACTION;
    private Duration inactivityTimeout = DEFAULT_INACTIVITY_TIMEOUT;
    private Duration requestTimeout;
    private int maxRedirects = DEFAULT_MAX_REDIRECTS;
    private RetryPolicy retryPolicy = RetryPolicy.exponentialBackoff();
    private int maxAttemptsPerRequest = DEFAULT_MAX_ATTEMPTS_PER_REQUEST;
    private Duration watchdogWindow = DEFAULT_WATCHDOG_WINDOW;
    private Duration watchdogTickInterval = DEFAULT_WATCHDOG_TICK_INTERVAL;
    private LongSupplier nanoClock = System::nanoTime;
    private Clock wallClock = Clock.systemUTC();

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder maxInFlightPerOrigin(int maxInFlightPerOrigin) {
      this.maxInFlightPerOrigin = maxInFlightPerOrigin;
      return this;
    }

    public Builder maxQueuedPerPeer(int maxQueuedPerPeer) {
      this.maxQueuedPerPeer = maxQueuedPerPeer;
      return this;
    }

    public Builder minSoftTimeout(Duration minSoftTimeout) {
      this.minSoftTimeout = minSoftTimeout;
      return this;
    }

    public Builder softTimeoutMediaFraction(double softTimeoutMediaFraction) {
      this.softTimeoutMediaFraction = softTimeoutMediaFraction;
      return this;
    }

    public Builder inactivityTimeout(Duration inactivityTimeout) {
      this.inactivityTimeout = inactivityTimeout;
      return this;
    }

    /** Overall cap of one request, retries included; null (the default) for none. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder maxRedirects(int maxRedirects) {
      this.maxRedirects = maxRedirects;
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    public Builder maxAttemptsPerRequest(int maxAttemptsPerRequest) {
      this.maxAttemptsPerRequest = maxAttemptsPerRequest;
      return this;
    }

    public Builder watchdogWindow(Duration watchdogWindow) {
      this.watchdogWindow = watchdogWindow;
      return this;
    }

    public Builder watchdogTickInterval(Duration watchdogTickInterval) {
      this.watchdogTickInterval = watchdogTickInterval;
      return this;
    }

    public Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    public Builder wallClock(Clock wallClock) {
      this.wallClock = wallClock;
      return this;
    }

    public DownloaderOptions build() {
      return new DownloaderOptions(name, maxInFlight, maxInFlightPerOrigin, maxQueuedPerPeer,
          minSoftTimeout, softTimeoutMediaFraction, inactivityTimeout, requestTimeout, maxRedirects,
          retryPolicy, maxAttemptsPerRequest, watchdogWindow, watchdogTickInterval, nanoClock,
          wallClock);
    }
  }
}
