package io.abrfetch.player.serve;

import io.abrfetch.abr.AbrControllerOptions;
import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.fetcher.DownloaderOptions;
import io.abrfetch.fetcher.ExponentialBackoffPolicy;
import io.abrfetch.fetcher.hls.HlsSessionOptions;
import io.abrfetch.player.PlaybackClockOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Maps the deployment JSON onto {@link ServeConfig} and the library's options records. Every value
 * is checked here with its key path; the records' own checks (which use the records' field names)
 * are the safety net for anything this misses.
 */
final class ServeConfigParser {

  private ServeConfigParser() {}

  static ServeConfig parse(JsonObject json) {
    JsonConfigReader root = JsonConfigReader.root(json);
    DownloaderOptions downloader = downloader(root.section("downloader"));
    ServeConfig.Abr abr = abr(root.section("abr"));
    HlsSessionOptions hls = hls(root.section("hls"));
    ServeConfig.Player player = player(root.section("player"));
    ServeConfig.Sessions sessions = sessions(root.section("sessions"));
    ServeConfig.Http http = http(root.section("http"));
    ServeConfig.EventBus eventBus = eventBus(root.section("eventBus"));
    long shutdownTimeoutMs = root.longAtLeast("shutdownTimeoutMs", 1,
        ServeConfig.DEFAULT_SHUTDOWN_TIMEOUT_MS);
    root.finish();
    return build("", () -> new ServeConfig(downloader, abr, hls, player, sessions, http, eventBus,
        shutdownTimeoutMs));
  }

  private static DownloaderOptions downloader(JsonConfigReader r) {
    DownloaderOptions.Builder b = DownloaderOptions.builder()
        .name(r.string("name", DownloaderOptions.DEFAULT_NAME))
        .maxInFlight(r.intAtLeast("maxInFlight", 1, DownloaderOptions.DEFAULT_MAX_IN_FLIGHT))
        .maxInFlightPerOrigin(r.intAtLeast("maxInFlightPerOrigin", 1,
            DownloaderOptions.DEFAULT_MAX_IN_FLIGHT_PER_ORIGIN))
        .maxQueuedPerPeer(r.intAtLeast("maxQueuedPerPeer", 1,
            DownloaderOptions.DEFAULT_MAX_QUEUED_PER_PEER))
        .minSoftTimeout(ms(r.longAtLeast("minSoftTimeoutMs", 1,
            DownloaderOptions.DEFAULT_MIN_SOFT_TIMEOUT.toMillis())))
        .softTimeoutMediaFraction(r.positiveNumber("softTimeoutMediaFraction",
            DownloaderOptions.DEFAULT_SOFT_TIMEOUT_MEDIA_FRACTION))
        .inactivityTimeout(ms(r.longAtLeast("inactivityTimeoutMs", 1,
            DownloaderOptions.DEFAULT_INACTIVITY_TIMEOUT.toMillis())))
        .maxRedirects(r.intAtLeast("maxRedirects", 0, DownloaderOptions.DEFAULT_MAX_REDIRECTS))
        .maxAttemptsPerRequest(r.intAtLeast("maxAttemptsPerRequest", 1,
            DownloaderOptions.DEFAULT_MAX_ATTEMPTS_PER_REQUEST));
    long requestTimeoutMs = r.longAtLeast("requestTimeoutMs", 0, 0);
    b.requestTimeout(requestTimeoutMs == 0 ? null : ms(requestTimeoutMs));
    long watchdogWindowMs = r.longAtLeast("watchdogWindowMs", 1,
        DownloaderOptions.DEFAULT_WATCHDOG_WINDOW.toMillis());
    long watchdogTickIntervalMs = r.longAtLeast("watchdogTickIntervalMs", 0,
        DownloaderOptions.DEFAULT_WATCHDOG_TICK_INTERVAL.toMillis());
    if (watchdogTickIntervalMs > watchdogWindowMs) {
      throw r.error("watchdogTickIntervalMs", "expected at most " + r.pathOf("watchdogWindowMs")
          + " (" + watchdogWindowMs + "), got " + watchdogTickIntervalMs);
    }
    b.watchdogWindow(ms(watchdogWindowMs)).watchdogTickInterval(ms(watchdogTickIntervalMs));
    b.retryPolicy(retry(r.section("retry")));
    r.finish();
    return build(r.path(), b::build);
  }

  private static ExponentialBackoffPolicy retry(JsonConfigReader r) {
    ExponentialBackoffPolicy.Builder b = ExponentialBackoffPolicy.builder()
        .maxAttempts(r.intAtLeast("maxAttempts", 1, ExponentialBackoffPolicy.DEFAULT_MAX_ATTEMPTS))
        .jitter(r.numberBetween("jitter", 0, 1, ExponentialBackoffPolicy.DEFAULT_JITTER))
        .maxRetryAfter(ms(r.longAtLeast("maxRetryAfterMs", 0,
            ExponentialBackoffPolicy.DEFAULT_MAX_RETRY_AFTER.toMillis())));
    long baseDelayMs = r.longAtLeast("baseDelayMs", 0,
        ExponentialBackoffPolicy.DEFAULT_BASE_DELAY.toMillis());
    long maxDelayMs = r.longAtLeast("maxDelayMs", 0,
        Math.max(baseDelayMs, ExponentialBackoffPolicy.DEFAULT_MAX_DELAY.toMillis()));
    if (maxDelayMs < baseDelayMs) {
      throw r.error("maxDelayMs", "expected at least " + r.pathOf("baseDelayMs") + " ("
          + baseDelayMs + "), got " + maxDelayMs);
    }
    b.baseDelay(ms(baseDelayMs)).maxDelay(ms(maxDelayMs));
    r.finish();
    return build(r.path(), b::build);
  }

  private static ServeConfig.Abr abr(JsonConfigReader r) {
    String policy = r.oneOf("policy", AbrPolicy.NAMES, "default");
    String estimator = r.oneOf("estimator", ServeConfig.Abr.ESTIMATORS, "ewma");
    int historyLimit = r.intAtLeast("historyLimit", 1, AbrControllerOptions.DEFAULT_HISTORY_LIMIT);
    long minSampleBytes = r.longAtLeast("minSampleBytes", 0,
        AbrControllerOptions.DEFAULT_MIN_SAMPLE_BYTES);
    r.finish();
    return build(r.path(), () -> new ServeConfig.Abr(policy, estimator, historyLimit,
        minSampleBytes));
  }

  private static HlsSessionOptions hls(JsonConfigReader r) {
    HlsSessionOptions.Builder b = HlsSessionOptions.builder()
        .targetBufferUs(r.longAtLeast("targetBufferMs", 1,
            HlsSessionOptions.DEFAULT_TARGET_BUFFER_US / 1_000) * 1_000)
        .initialVariantIndex(r.intAtLeast("initialVariantIndex", -1, -1))
        .audioEnabled(r.bool("audio", true))
        .audioLanguage(r.string("audioLanguage", null))
        .subtitlesLanguage(r.string("subtitlesLanguage", null))
        .audioBitrateBps(r.longAtLeast("audioBitrateBps", 1,
            HlsSessionOptions.DEFAULT_AUDIO_BITRATE_BPS))
        .maxSegmentBytes(r.intAtLeast("maxSegmentBytes", 1,
            HlsSessionOptions.DEFAULT_MAX_SEGMENT_BYTES))
        .maxSegmentAttempts(r.intAtLeast("maxSegmentAttempts", 1,
            HlsSessionOptions.DEFAULT_MAX_SEGMENT_ATTEMPTS))
        .segmentRetryDelay(ms(r.longAtLeast("segmentRetryDelayMs", 0,
            HlsSessionOptions.DEFAULT_SEGMENT_RETRY_DELAY.toMillis())))
        .reloadFailureTolerance(ms(r.longAtLeast("reloadFailureToleranceMs", 1,
            HlsSessionOptions.DEFAULT_RELOAD_FAILURE_TOLERANCE.toMillis())))
        .liveEdgeTargetDurations(r.intAtLeast("liveEdgeTargetDurations", 0,
            HlsSessionOptions.DEFAULT_LIVE_EDGE_TARGET_DURATIONS))
        .decryptOffLoopThresholdBytes(r.intAtLeast("decryptOffLoopThresholdBytes", 0,
            HlsSessionOptions.DEFAULT_DECRYPT_OFF_LOOP_THRESHOLD_BYTES));
    r.finish();
    return build(r.path(), b::build);
  }

  private static ServeConfig.Player player(JsonConfigReader r) {
    PlaybackClockOptions.Builder clock = PlaybackClockOptions.builder()
        .startupThresholdUs(r.longAtLeast("startupThresholdMs", 1,
            PlaybackClockOptions.DEFAULT_STARTUP_THRESHOLD_US / 1_000) * 1_000)
        .rebufferThresholdUs(r.longAtLeast("rebufferThresholdMs", 1,
            PlaybackClockOptions.DEFAULT_REBUFFER_THRESHOLD_US / 1_000) * 1_000)
        .playbackRate(r.positiveNumber("playbackRate", PlaybackClockOptions.DEFAULT_PLAYBACK_RATE))
        .maxTimelineSamples(r.intAtLeast("maxTimelineSamples", 2,
            PlaybackClockOptions.DEFAULT_MAX_TIMELINE_SAMPLES))
        .maxMarkers(r.intAtLeast("maxMarkers", 0, PlaybackClockOptions.DEFAULT_MAX_MARKERS))
        .maxChunkRecords(r.intAtLeast("maxChunkRecords", 0,
            PlaybackClockOptions.DEFAULT_MAX_CHUNK_RECORDS));
    long maxPlayDurationMs = r.longAtLeast("maxPlayDurationMs", 0, 0);
    long statusIntervalMs = r.longAtLeast("statusIntervalMs", 1, 1_000);
    r.finish();
    return build(r.path(), () -> new ServeConfig.Player(clock.build(),
        maxPlayDurationMs * 1_000, statusIntervalMs));
  }

  private static ServeConfig.Sessions sessions(JsonConfigReader r) {
    int maxSessions = r.intAtLeast("max", 1, 16);
    String outputDirectory = r.string("outputDirectory", null);
    r.finish();
    return build(r.path(), () -> new ServeConfig.Sessions(maxSessions, outputDirectory));
  }

  private static ServeConfig.Http http(JsonConfigReader r) {
    boolean enabled = r.bool("enabled", true);
    String host = r.string("host", ServeConfig.Http.DEFAULT_HOST);
    int port = r.intBetween("port", 0, 65_535, ServeConfig.Http.DEFAULT_PORT);
    String token = r.string("token", null);
    if (token != null && (token.length() < ServeConfig.Http.MIN_TOKEN_LENGTH
        || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw r.error("token", "expected at least " + ServeConfig.Http.MIN_TOKEN_LENGTH
          + " visible ASCII characters without spaces, got " + token.length() + " characters");
    }
    if (enabled && token == null && !ServeConfig.Http.isLoopback(host)) {
      throw r.error("token", "required when " + r.pathOf("host")
          + " is not a loopback address (got \"" + host + "\"): every request must then present"
          + " 'Authorization: Bearer <token>'");
    }
    int maxBodyBytes = r.intAtLeast("maxBodyBytes", 1, ServeConfig.Http.DEFAULT_MAX_BODY_BYTES);
    r.finish();
    return build(r.path(), () -> new ServeConfig.Http(enabled, host, port, token,
        maxBodyBytes));
  }

  private static ServeConfig.EventBus eventBus(JsonConfigReader r) {
    boolean enabled = r.bool("enabled", true);
    String prefix = r.string("addressPrefix", ServeConfig.EventBus.DEFAULT_ADDRESS_PREFIX);
    if (prefix.chars().anyMatch(Character::isWhitespace) || prefix.endsWith(".")) {
      throw r.error("addressPrefix", "expected no spaces and no trailing '.', got \""
          + prefix + "\"");
    }
    long progressIntervalMs = r.longAtLeast("progressIntervalMs", 0, 1_000);
    r.finish();
    return build(r.path(), () -> new ServeConfig.EventBus(enabled, prefix,
        progressIntervalMs));
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** Runs a record constructor; its own check failure becomes an error naming the section. */
  private static <T> T build(String sectionPath, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      if (e instanceof ServeConfigException config) {
        throw config;
      }
      throw new ServeConfigException(sectionPath, e.getMessage());
    }
  }
}
