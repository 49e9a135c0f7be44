package io.abrfetch.player.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.abr.AbrControllerOptions;
import io.abrfetch.fetcher.DownloaderOptions;
import io.abrfetch.fetcher.ExponentialBackoffPolicy;
import io.abrfetch.fetcher.hls.HlsSessionOptions;
import io.abrfetch.player.PlaybackClockOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The deployment JSON maps onto the options records; every bad key or value names its path. */
class ServeConfigTest {

  private static final String TOKEN = "0123456789abcdef-token";

  @Test
  void emptyConfig_givesTheLibraryDefaults() {
    ServeConfig config = ServeConfig.fromJson(new JsonObject());

    DownloaderOptions d = config.downloader();
    assertEquals(DownloaderOptions.DEFAULT_MAX_IN_FLIGHT, d.maxInFlight());
    assertEquals(DownloaderOptions.DEFAULT_INACTIVITY_TIMEOUT, d.inactivityTimeout());
    assertNull(d.requestTimeout());
    assertEquals(ExponentialBackoffPolicy.builder().build().maxAttempts(),
        ((ExponentialBackoffPolicy) d.retryPolicy()).maxAttempts());
    assertEquals("default", config.abr().policy());
    assertEquals(HlsSessionOptions.DEFAULT_TARGET_BUFFER_US, config.hls().targetBufferUs());
    assertTrue(config.hls().audioEnabled());
    assertEquals(PlaybackClockOptions.defaults(), config.player().clock());
    assertEquals(0, config.player().maxPlayDurationUs());
    assertEquals("127.0.0.1", config.http().host());
    assertEquals(8080, config.http().port());
    assertNull(config.http().token());
    assertEquals("abrfetch.open", config.eventBus().address("open"));
    assertEquals("abrfetch.session.s1.events", config.eventBus().eventsAddress("s1"));
    assertEquals(ServeConfig.DEFAULT_SHUTDOWN_TIMEOUT_MS, config.shutdownTimeoutMs());
    assertEquals(config.http(), ServeConfig.fromJson(null).http());
    assertEquals(config.eventBus(), ServeConfig.defaults().eventBus());
  }

  @Test
  void everySection_mapsOntoItsRecord() {
    JsonObject json = new JsonObject("""
        {
          "downloader": {"name": "edge", "maxInFlight": 12, "maxInFlightPerOrigin": 3,
            "maxQueuedPerPeer": 7, "minSoftTimeoutMs": 1500, "softTimeoutMediaFraction": 0.25,
            "inactivityTimeoutMs": 4000, "requestTimeoutMs": 90000, "maxRedirects": 0,
            "maxAttemptsPerRequest": 9, "watchdogWindowMs": 30000, "watchdogTickIntervalMs": 0,
            "retry": {"maxAttempts": 6, "baseDelayMs": 50, "maxDelayMs": 800, "jitter": 0,
              "maxRetryAfterMs": 5000}},
          "abr": {"policy": "BOLA", "estimator": "sliding-percentile", "historyLimit": 8,
            "minSampleBytes": 1024},
          "hls": {"targetBufferMs": 12000, "initialVariantIndex": 1, "audio": false,
            "audioLanguage": "fr", "subtitlesLanguage": "en", "audioBitrateBps": 96000,
            "maxSegmentBytes": 1000000, "maxSegmentAttempts": 2, "segmentRetryDelayMs": 0,
            "reloadFailureToleranceMs": 5000, "liveEdgeTargetDurations": 2,
            "decryptOffLoopThresholdBytes": 0},
          "player": {"startupThresholdMs": 1000, "rebufferThresholdMs": 3000, "playbackRate": 4,
            "maxPlayDurationMs": 60000, "statusIntervalMs": 250, "maxTimelineSamples": 100,
            "maxMarkers": 10, "maxChunkRecords": 0},
          "sessions": {"max": 3, "outputDirectory": "/var/tmp/out"},
          "http": {"host": "0.0.0.0", "port": 9000, "token": "%s", "maxBodyBytes": 1024},
          "eventBus": {"addressPrefix": "edge.abr", "progressIntervalMs": 0},
          "shutdownTimeoutMs": 2500
        }""".formatted(TOKEN));

    ServeConfig config = ServeConfig.fromJson(json);

    DownloaderOptions d = config.downloader();
    assertEquals("edge", d.name());
    assertEquals(12, d.maxInFlight());
    assertEquals(3, d.maxInFlightPerOrigin());
    assertEquals(7, d.maxQueuedPerPeer());
    assertEquals(Duration.ofMillis(1500), d.minSoftTimeout());
    assertEquals(0.25, d.softTimeoutMediaFraction());
    assertEquals(Duration.ofSeconds(4), d.inactivityTimeout());
    assertEquals(Duration.ofSeconds(90), d.requestTimeout());
    assertEquals(0, d.maxRedirects());
    assertEquals(9, d.maxAttemptsPerRequest());
    assertEquals(Duration.ofSeconds(30), d.watchdogWindow());
    assertEquals(Duration.ZERO, d.watchdogTickInterval());
    ExponentialBackoffPolicy retry = (ExponentialBackoffPolicy) d.retryPolicy();
    assertEquals(6, retry.maxAttempts());
    assertEquals(Duration.ofMillis(50), retry.baseDelay());
    assertEquals(Duration.ofMillis(800), retry.maxDelay());
    assertEquals(0.0, retry.jitter());
    assertEquals(Duration.ofSeconds(5), retry.maxRetryAfter());

    assertEquals("bola", config.abr().policy());
    AbrControllerOptions abr = config.abr().controllerOptions(null, 12_000_000);
    assertEquals("bola", abr.policy().name());
    assertEquals(12_000.0, abr.maxBufferMs());
    assertEquals(8, abr.historyLimit());
    assertEquals(1024, abr.minSampleBytes());
    assertEquals("throughput", config.abr().controllerOptions("throughput", 1).policy().name());

    HlsSessionOptions h = config.hls();
    assertEquals(12_000_000, h.targetBufferUs());
    assertEquals(1, h.initialVariantIndex());
    assertFalse(h.audioEnabled());
    assertEquals("fr", h.audioLanguage());
    assertEquals("en", h.subtitlesLanguage());
    assertEquals(96_000, h.audioBitrateBps());
    assertEquals(1_000_000, h.maxSegmentBytes());
    assertEquals(2, h.maxSegmentAttempts());
    assertEquals(Duration.ZERO, h.segmentRetryDelay());
    assertEquals(Duration.ofSeconds(5), h.reloadFailureTolerance());
    assertEquals(2, h.liveEdgeTargetDurations());
    assertEquals(0, h.decryptOffLoopThresholdBytes());

    PlaybackClockOptions clock = config.player().clock();
    assertEquals(1_000_000, clock.startupThresholdUs());
    assertEquals(3_000_000, clock.rebufferThresholdUs());
    assertEquals(4.0, clock.playbackRate());
    assertEquals(100, clock.maxTimelineSamples());
    assertEquals(10, clock.maxMarkers());
    assertEquals(0, clock.maxChunkRecords());
    assertEquals(60_000_000, config.player().maxPlayDurationUs());
    assertEquals(250, config.player().statusIntervalMs());

    assertEquals(3, config.sessions().maxSessions());
    assertEquals("/var/tmp/out", config.sessions().outputDirectory());
    assertEquals(new ServeConfig.Http(true, "0.0.0.0", 9000, TOKEN, 1024), config.http());
    assertEquals(new ServeConfig.EventBus(true, "edge.abr", 0), config.eventBus());
    assertEquals(2500, config.shutdownTimeoutMs());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // unknown keys, at the root and nested
      "{'port': 1}                                | port: unknown key",
      "{'downloader': {'maxInflight': 3}}         | downloader.maxInflight: unknown key",
      "{'downloader': {'retry': {'tries': 3}}}    | downloader.retry.tries: unknown key",
      "{'http': {'bind': '127.0.0.1'}}            | http.bind: unknown key",
      // bad values
      "{'downloader': {'maxInFlight': -3}}        | downloader.maxInFlight: expected a positive integer, got -3",
      "{'downloader': {'maxInFlight': 2.5}}       | downloader.maxInFlight: expected a positive integer, got 2.5",
      "{'downloader': {'maxInFlight': '8'}}       | downloader.maxInFlight: expected a positive integer, got \"8\"",
      "{'downloader': {'maxInFlight': 3000000000}} | downloader.maxInFlight: expected a positive integer up to 2147483647, got 3000000000",
      "{'downloader': {'maxRedirects': -1}}       | downloader.maxRedirects: expected an integer >= 0, got -1",
      "{'downloader': {'softTimeoutMediaFraction': 0}} | downloader.softTimeoutMediaFraction: expected a positive number, got 0",
      "{'downloader': {'retry': {'jitter': 1.5}}} | downloader.retry.jitter: expected a number from 0.0 to 1.0, got 1.5",
      "{'downloader': {'retry': {'baseDelayMs': 500, 'maxDelayMs': 100}}} | downloader.retry.maxDelayMs: expected at least downloader.retry.baseDelayMs (500), got 100",
      "{'downloader': {'watchdogWindowMs': 1000, 'watchdogTickIntervalMs': 2000}} | downloader.watchdogTickIntervalMs: expected at most downloader.watchdogWindowMs (1000), got 2000",
      "{'downloader': 5}                          | downloader: expected an object, got 5",
      "{'downloader': {'name': ''}}               | downloader.name: expected a non-blank string without surrounding spaces, got \"\"",
      "{'abr': {'policy': 'fastest'}}             | abr.policy: expected one of [bb, rb, bola, robust-mpc, robust-mpc-fixed, throughput, hybrid, default], got \"fastest\"",
      "{'abr': {'estimator': 'median'}}           | abr.estimator: expected one of [ewma, sliding-percentile], got \"median\"",
      "{'hls': {'targetBufferMs': 0}}             | hls.targetBufferMs: expected a positive integer, got 0",
      "{'hls': {'audio': 'yes'}}                  | hls.audio: expected true or false, got \"yes\"",
      "{'hls': {'initialVariantIndex': -2}}       | hls.initialVariantIndex: expected an integer >= -1, got -2",
      "{'player': {'playbackRate': -1}}           | player.playbackRate: expected a positive number, got -1",
      "{'player': {'maxTimelineSamples': 1}}      | player.maxTimelineSamples: expected an integer >= 2, got 1",
      "{'sessions': {'max': 0}}                   | sessions.max: expected a positive integer, got 0",
      "{'http': {'port': 70000}}                  | http.port: expected an integer from 0 to 65535, got 70000",
      "{'http': {'maxBodyBytes': 0}}              | http.maxBodyBytes: expected a positive integer, got 0",
      "{'http': {'token': 'short'}}               | http.token: expected at least 16 visible ASCII characters without spaces, got 5 characters",
      "{'eventBus': {'addressPrefix': 'a b'}}     | eventBus.addressPrefix: expected no spaces and no trailing '.', got \"a b\"",
      "{'eventBus': {'progressIntervalMs': -5}}   | eventBus.progressIntervalMs: expected an integer >= 0, got -5",
      "{'shutdownTimeoutMs': 0}                   | shutdownTimeoutMs: expected a positive integer, got 0",
  })
  void badConfig_isRejectedNamingTheKey(String json, String expectedMessage) {
    ServeConfigException e = assertThrows(ServeConfigException.class,
        () -> ServeConfig.fromJson(new JsonObject(json.replace('\'', '"'))));
    assertTrue(e.getMessage().startsWith(expectedMessage),
        () -> "message: " + e.getMessage() + "\nexpected to start with: " + expectedMessage);
    assertEquals(expectedMessage.substring(0, expectedMessage.indexOf(':')), e.path());
  }

  @Test
  void unknownKey_listsTheKnownOnes() {
    ServeConfigException e = assertThrows(ServeConfigException.class,
        () -> ServeConfig.fromJson(new JsonObject().put("eventBus",
            new JsonObject().put("prefix", "x"))));
    assertEquals("eventBus.prefix: unknown key (expected one of [enabled, addressPrefix, "
        + "progressIntervalMs])", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"0.0.0.0", "192.168.1.10", "example.com", "::", "128.0.0.1", "127.0.0.256"})
  void nonLoopbackBind_withoutToken_isRejected(String host) {
    ServeConfigException e = assertThrows(ServeConfigException.class,
        () -> ServeConfig.fromJson(new JsonObject().put("http",
            new JsonObject().put("host", host))));
    assertEquals("http.token", e.path());
    assertTrue(e.getMessage().contains("required when http.host is not a loopback address (got \""
        + host + "\")"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"})
  void loopbackBind_needsNoToken(String host) {
    ServeConfig config = ServeConfig.fromJson(new JsonObject().put("http",
        new JsonObject().put("host", host)));
    assertEquals(host, config.http().host());
    assertNull(config.http().token());
  }

  @Test
  void nonLoopbackBind_withToken_orWithHttpOff_isAccepted() {
    assertEquals(TOKEN, ServeConfig.fromJson(new JsonObject().put("http", new JsonObject()
        .put("host", "0.0.0.0").put("token", TOKEN))).http().token());
    assertFalse(ServeConfig.fromJson(new JsonObject().put("http", new JsonObject()
        .put("host", "0.0.0.0").put("enabled", false))).http().enabled());
  }
}
