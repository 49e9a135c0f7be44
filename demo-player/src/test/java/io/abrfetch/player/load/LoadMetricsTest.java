package io.abrfetch.player.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Metrics merge exactly, survive JSON, and summarize what was recorded. */
class LoadMetricsTest {

  /** Records sample {@code i} of a reproducible stream into {@code metrics}. */
  private static void record(LoadMetrics metrics, int i) {
    SplittableRandom random = new SplittableRandom(i);
    RequestType type = RequestType.values()[random.nextInt(RequestType.values().length)];
    long epochMs = 1_700_000_000_000L + i;
    if (random.nextInt(10) == 0) {
      metrics.recordError(type, random.nextBoolean() ? "http" : "timeout",
          random.nextBoolean() ? 503 : 0, random.nextInt(1000), epochMs);
    } else {
      long ttfbUs = 100 + random.nextLong(5_000_000);
      long bitrate = type == RequestType.SEGMENT ? 100_000L * (1 + random.nextInt(3)) : 0;
      metrics.recordRequest(type, bitrate, ttfbUs, ttfbUs + random.nextLong(60_000_000),
          random.nextInt(2_000_000), epochMs);
    }
    metrics.recordSchedulingLag(random.nextLong(200_000));
    switch (i % 7) {
      case 0 -> metrics.recordViewerStarted(epochMs);
      case 1 -> metrics.recordStartup(random.nextLong(3_000_000));
      case 2 -> metrics.recordStallStarted();
      case 3 -> metrics.recordStalled(random.nextLong(1_000_000));
      case 4 -> metrics.recordPlayed(random.nextLong(4_000_000));
      case 5 -> metrics.recordMediaFetched(4_000_000, 300_000);
      default -> metrics.recordSwitch(random.nextBoolean(), random.nextBoolean());
    }
  }

  @Test
  void merge_ofAnySplit_equalsOneProcessRecordingEverySample() {
    LoadMetrics single = new LoadMetrics();
    LoadMetrics[] workers = {new LoadMetrics(), new LoadMetrics(), new LoadMetrics()};
    for (int i = 0; i < 30_000; i++) {
      record(single, i);
      record(workers[(i * 7919) % 3], i);
    }
    LoadMetrics merged = new LoadMetrics();
    for (LoadMetrics worker : workers) {
      merged.merge(worker);
    }
    assertEquals(single, merged);
    assertEquals(single.summary(), merged.summary());
    assertEquals(single.ttfbUs(RequestType.SEGMENT), merged.ttfbUs(RequestType.SEGMENT));
    // And through JSON, as workers send it to the coordinator.
    LoadMetrics viaJson = new LoadMetrics();
    for (LoadMetrics worker : workers) {
      viaJson.merge(LoadMetrics.fromJson(new JsonObject(worker.toJson().encode())));
    }
    assertEquals(single, viaJson);
    assertEquals(single.summary(), viaJson.summary());
    // One sample fewer is not equal: the comparison can fail.
    LoadMetrics fewer = new LoadMetrics();
    for (int i = 0; i < 29_999; i++) {
      record(fewer, i);
    }
    assertNotEquals(single, fewer);
  }

  @Test
  void summary_reportsWhatWasRecorded() {
    LoadMetrics metrics = new LoadMetrics();
    for (int i = 1; i <= 100; i++) {
      metrics.recordRequest(RequestType.SEGMENT, 300_000, i * 1_000, i * 10_000, 1_000, 1_000L * i);
    }
    metrics.recordError(RequestType.SEGMENT, "http", 503, 0, 100_000);
    metrics.recordPlayed(9_000_000);
    metrics.recordStalled(1_000_000);
    metrics.recordMediaFetched(2_000_000, 300_000);
    metrics.recordMediaFetched(2_000_000, 100_000);
    LoadSummary summary = metrics.summary();
    assertEquals(101, summary.requests());
    assertEquals(1, summary.errors());
    assertEquals(100_000, summary.bytes());
    assertEquals(0.1, summary.stallRatio(), 1e-12);
    assertEquals(200, summary.meanBitrateKbps(), 1e-9);
    assertEquals(500, summary.segmentMsP50(), 0.5);
    assertEquals(990, summary.segmentMsP99(), 1);
    assertEquals(50, summary.ttfbMsP50(), 0.05);
    assertEquals(1, metrics.errorsByStatus().get(503));
    assertEquals(99_000, summary.spanMs());
  }

  @Test
  void fromJson_rejectsMissingFieldsAndBadHistograms() {
    JsonObject good = new LoadMetrics().toJson();
    JsonObject missing = good.copy();
    missing.remove("viewersStarted");
    assertThrows(IllegalArgumentException.class, () -> LoadMetrics.fromJson(missing));
    JsonObject bad = good.copy().put("startupUs", "bm90IGEgaGlzdG9ncmFt");
    assertThrows(IllegalArgumentException.class, () -> LoadMetrics.fromJson(bad));
  }

  @Test
  void options_roundTripThroughJson_andRejectBadValues() {
    LoadOptions options = LoadOptions.builder()
        .viewers(10_000).rampUpMs(60_000).durationMs(600_000).startSpreadMs(500)
        .vodStartSpread(0.5).liveEdgeStart(false).targetBufferUs(12_000_000).policy("bola")
        .profiles(List.of(BandwidthProfile.parse("3g=1.5M@2"), BandwidthProfile.parse("cable=20M"),
            BandwidthProfile.parse("lte=trace:traces/lte.log@3")))
        .requestTimeoutMs(4_000).maxAttempts(5).retryDelayMs(250).abandonment(false)
        .maxConnectionsPerLoop(64).eventLoops(3).seed(99).build();
    assertEquals(options, LoadOptions.fromJson(new JsonObject(options.toJson().encode())));
    assertEquals(1_500_000, options.profiles().get(0).rateBps());
    assertEquals(2.0, options.profiles().get(0).weight());
    assertEquals("traces/lte.log", options.profiles().get(2).traceFileOrNull());
    assertThrows(IllegalArgumentException.class, () -> LoadOptions.builder().viewers(0).build());
    assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.builder().vodStartSpread(1.5).build());
    assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.builder().policy("nope").build());
    assertThrows(IllegalArgumentException.class, () -> BandwidthProfile.parse("3g"));
    assertThrows(IllegalArgumentException.class, () -> BandwidthProfile.parse("3g=fast"));
    assertThrows(IllegalArgumentException.class, () -> BandwidthProfile.parse("3g=1M@-1"));
  }
}
