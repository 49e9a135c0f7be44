package io.abrfetch.player.serve;

import io.abrfetch.abr.AbrControllerOptions;
import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.abr.BandwidthEstimator;
import io.abrfetch.abr.EwmaBandwidthEstimator;
import io.abrfetch.abr.SlidingPercentileBandwidthEstimator;
import io.abrfetch.fetcher.DownloaderOptions;
import io.abrfetch.fetcher.hls.HlsSessionOptions;
import io.abrfetch.player.PlaybackClockOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The configuration of a {@link FetcherVerticle}, read from its deployment JSON by
 * {@link #fromJson}: the shared downloader's options, the ABR settings each session's controller
 * starts from, the HLS and player options every session starts from, and the HTTP and event-bus
 * front ends. SERVE.md lists every key with its default.
 *
 * @param downloader the one downloader all sessions share
 * @param abr the ABR controller settings of each session (the policy may be overridden per open)
 * @param hls the HLS session options every session starts from (target buffer, audio, ...)
 * @param player the playback clock and limits of every session
 * @param sessions how many sessions may be open and where their output files may go
 * @param http the HTTP API
 * @param eventBus the event-bus API
 * @param shutdownTimeoutMs how long undeploying waits for the sessions to close before it
 *     completes anyway, milliseconds
 */
public record ServeConfig(DownloaderOptions downloader, Abr abr, HlsSessionOptions hls,
    Player player, Sessions sessions, Http http, EventBus eventBus, long shutdownTimeoutMs) {

  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  public ServeConfig {
    Objects.requireNonNull(downloader, "downloader");
    Objects.requireNonNull(abr, "abr");
    Objects.requireNonNull(hls, "hls");
    Objects.requireNonNull(player, "player");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(eventBus, "eventBus");
    if (shutdownTimeoutMs <= 0) {
      throw new IllegalArgumentException(
          "shutdownTimeoutMs: " + shutdownTimeoutMs + " (expected: > 0)");
    }
  }

  /**
   * Reads a deployment config; {@code null} or {@code {}} gives the defaults.
   *
   * @throws ServeConfigException naming the first unknown key or bad value
   */
  public static ServeConfig fromJson(JsonObject json) {
    return ServeConfigParser.parse(json);
  }

  /** Every default: HTTP on 127.0.0.1:8080 without a token, event-bus prefix {@code abrfetch}. */
  public static ServeConfig defaults() {
    return fromJson(new JsonObject());
  }

  /**
   * ABR settings of each session's own controller.
   *
   * @param policy the policy name (one of {@link AbrPolicy#NAMES}) used when an open request
   *     names none
   * @param estimator {@code ewma} (dual half-life, the default) or {@code sliding-percentile}
   * @param historyLimit link samples kept for the policy, {@code >= 1}
   * @param minSampleBytes smaller transfers are ignored by the policy's history, {@code >= 0}
   */
  public record Abr(String policy, String estimator, int historyLimit, long minSampleBytes) {
    public static final List<String> ESTIMATORS = List.of("ewma", "sliding-percentile");

    public Abr {
      AbrPolicy.named(policy);
      if (!ESTIMATORS.contains(estimator)) {
        throw new IllegalArgumentException(
            "estimator: " + estimator + " (expected: one of " + ESTIMATORS + ")");
      }
    }

    /**
     * The options of one session's controller.
     *
     * @param policyName the policy, or null for {@link #policy()}
     * @param targetBufferUs the session's buffer target, given to the policy as its maximum buffer
     */
    public AbrControllerOptions controllerOptions(String policyName, long targetBufferUs) {
      Supplier<BandwidthEstimator> estimatorFactory = estimator.equals("ewma")
          ? EwmaBandwidthEstimator::create : SlidingPercentileBandwidthEstimator::create;
      return AbrControllerOptions.builder()
          .policy(AbrPolicy.named(policyName == null ? policy : policyName))
          .estimatorFactory(estimatorFactory)
          .maxBufferMs(targetBufferUs / 1_000.0)
          .historyLimit(historyLimit)
          .minSampleBytes(minSampleBytes)
          .build();
    }
  }

  /**
   * How every session plays.
   *
   * @param clock startup and rebuffer thresholds, playback rate, history caps
   * @param maxPlayDurationUs a session ends after playing this much media, microseconds; 0 plays
   *     to the end of a VOD stream, or until closed for live
   * @param statusIntervalMs how often a session reports its progress, milliseconds
   */
  public record Player(PlaybackClockOptions clock, long maxPlayDurationUs, long statusIntervalMs) {
    public Player {
      Objects.requireNonNull(clock, "clock");
      if (maxPlayDurationUs < 0) {
        throw new IllegalArgumentException(
            "maxPlayDurationUs: " + maxPlayDurationUs + " (expected: >= 0)");
      }
      if (statusIntervalMs <= 0) {
        throw new IllegalArgumentException(
            "statusIntervalMs: " + statusIntervalMs + " (expected: > 0)");
      }
    }
  }

  /**
   * Limits on sessions.
   *
   * @param maxSessions sessions open at once; more opens are refused with 429
   * @param outputDirectory where an open request's {@code output} file name is created, or null
   *     when sessions may not write their media anywhere (it is discarded)
   */
  public record Sessions(int maxSessions, String outputDirectory) {
    public Sessions {
      if (maxSessions <= 0) {
        throw new IllegalArgumentException("maxSessions: " + maxSessions + " (expected: > 0)");
      }
    }
  }

  /**
   * The HTTP API.
   *
   * @param enabled whether to listen at all
   * @param host the address to bind; anything but a loopback address needs {@code token}
   * @param port the port, 0 for any free one
   * @param token the bearer token every request but {@code /health} must present, or null for
   *     none (allowed on loopback only)
   * @param maxBodyBytes larger request bodies are refused with 413
   */
  public record Http(boolean enabled, String host, int port, String token, int maxBodyBytes) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** Shortest accepted token: 16 characters. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public Http {
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      if (maxBodyBytes <= 0) {
        throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: > 0)");
      }
      if (enabled && token == null && !isLoopback(host)) {
        throw new IllegalArgumentException("token: null (expected: a token when binding the "
            + "non-loopback address " + host + ")");
      }
    }

    /**
     * Whether {@code host} is a loopback literal: {@code localhost}, {@code 127.x.y.z} or
     * {@code ::1}. Names are not resolved, so any other name counts as non-loopback.
     */
    public static boolean isLoopback(String host) {
      String h = host.startsWith("[") && host.endsWith("]")
          ? host.substring(1, host.length() - 1) : host;
      if (h.equalsIgnoreCase("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
        return true;
      }
      String[] parts = h.split("\\.", -1);
      if (parts.length != 4 || !parts[0].equals("127")) {
        return false;
      }
      for (String part : parts) {
        if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
            || Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The event-bus API.
   *
   * @param enabled whether to register the consumers
   * @param addressPrefix the first part of every address ({@code <prefix>.open}, ...)
   * @param progressIntervalMs at most one progress event per session is published per interval,
   *     milliseconds; 0 publishes every one
   */
  public record EventBus(boolean enabled, String addressPrefix, long progressIntervalMs) {
    public static final String DEFAULT_ADDRESS_PREFIX = "abrfetch";

    public EventBus {
      Objects.requireNonNull(addressPrefix, "addressPrefix");
      if (progressIntervalMs < 0) {
        throw new IllegalArgumentException(
            "progressIntervalMs: " + progressIntervalMs + " (expected: >= 0)");
      }
    }

    /** The address of an API operation: {@code <prefix>.<operation>}. */
    public String address(String operation) {
      return addressPrefix + "." + operation;
    }

    /** Where the events of session {@code sessionId} are published. */
    public String eventsAddress(String sessionId) {
      return addressPrefix + ".session." + sessionId + ".events";
    }
  }
}
