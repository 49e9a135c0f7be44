package io.abrfetch.player.load;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Everything a load run measured, as exact HdrHistograms and counters that merge without loss:
 * the sum of the metrics of any split of the viewers (per event loop, per cluster worker) equals
 * what one process recording every sample would hold, histogram bucket for bucket.
 *
 * <p>Times are recorded in microseconds (3 significant digits) and reported in milliseconds.
 * Histograms: time to first byte and download time (request sent to last byte) per
 * {@link RequestType} and, for video segments, per variant bitrate; startup time; scheduling lag
 * (how late a request was issued versus the viewer's plan). Counters: requests, bytes and errors
 * per type, errors by kind and by HTTP status, viewers, stalls, stalled and played time, played
 * bits, switches, abandonments, and the time span.
 *
 * <p>Threading: thread-safe; every method locks this object (a shard records on its event loop
 * while the progress timer snapshots from another).
 */
public final class LoadMetrics {

  private static final int SIGNIFICANT_DIGITS = 3;

  private static final class TypeStats {
    final Histogram ttfbUs = newHistogram();
    final Histogram totalUs = newHistogram();
    long requests;
    long bytes;
    long errors;
  }

  private static final class VariantStats {
    final Histogram ttfbUs = newHistogram();
    final Histogram totalUs = newHistogram();
  }

  // Guarded by this.
  private final EnumMap<RequestType, TypeStats> types = new EnumMap<>(RequestType.class);
  private final TreeMap<Long, VariantStats> variants = new TreeMap<>();
  private final TreeMap<String, Long> errorsByKind = new TreeMap<>();
  private final TreeMap<Integer, Long> errorsByStatus = new TreeMap<>();
  private final Histogram startupUs = newHistogram();
  private final Histogram schedulingLagUs = newHistogram();
  private long viewersStarted;
  private long viewersEnded;
  private long viewersFailed;
  private long viewersLost;
  private long stalls;
  private long stalledUs;
  private long playedUs;
  private long fetchedMediaUs;
  private long fetchedBits;
  private long upSwitches;
  private long downSwitches;
  private long abandonments;
  private long firstEpochMs = Long.MAX_VALUE;
  private long lastEpochMs = Long.MIN_VALUE;

  public LoadMetrics() {
    for (RequestType type : RequestType.values()) {
      types.put(type, new TypeStats());
    }
  }

  static Histogram newHistogram() {
    Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
    histogram.setAutoResize(true);
    return histogram;
  }

  // ---- recording (from a shard's event loop) ----

  /**
   * One request that got its whole body.
   *
   * @param variantBitrateBps the variant's bitrate for a video segment, else 0
   */
  public synchronized void recordRequest(RequestType type, long variantBitrateBps, long ttfbUs,
      long totalUs, long bytes, long endEpochMs) {
    TypeStats stats = types.get(type);
    stats.requests++;
    stats.bytes += bytes;
    stats.ttfbUs.recordValue(Math.max(0, ttfbUs));
    stats.totalUs.recordValue(Math.max(0, totalUs));
    if (variantBitrateBps > 0) {
      VariantStats variant = variants.computeIfAbsent(variantBitrateBps, k -> new VariantStats());
      variant.ttfbUs.recordValue(Math.max(0, ttfbUs));
      variant.totalUs.recordValue(Math.max(0, totalUs));
    }
    span(endEpochMs);
  }

  /**
   * One request that failed.
   *
   * @param kind {@code http}, {@code timeout}, {@code connect}, {@code reset}, {@code playlist}...
   * @param status the HTTP status when the server answered with an error, else 0
   * @param bytes body bytes received before it failed
   */
  public synchronized void recordError(RequestType type, String kind, int status, long bytes,
      long endEpochMs) {
    TypeStats stats = types.get(type);
    stats.requests++;
    stats.errors++;
    stats.bytes += bytes;
    errorsByKind.merge(kind, 1L, Long::sum);
    if (status > 0) {
      errorsByStatus.merge(status, 1L, Long::sum);
    }
    span(endEpochMs);
  }

  /** A request issued {@code lagUs} after its planned time (0 when on time). */
  public synchronized void recordSchedulingLag(long lagUs) {
    schedulingLagUs.recordValue(Math.max(0, lagUs));
  }

  /** A viewer began playing {@code startupUs} after its first request. */
  public synchronized void recordStartup(long durationUs) {
    startupUs.recordValue(Math.max(0, durationUs));
  }

  /** A viewer ran out of buffer after startup. */
  public synchronized void recordStallStarted() {
    stalls++;
  }

  /** Stalled time, added when a stall ends (or the viewer stops while stalled). */
  public synchronized void recordStalled(long durationUs) {
    stalledUs += durationUs;
  }

  /** The playhead advanced by {@code durationUs} (stalls excluded). */
  public synchronized void recordPlayed(long durationUs) {
    playedUs += durationUs;
  }

  /** A video segment of {@code durationUs} media at {@code bitrateBps} was fetched. */
  public synchronized void recordMediaFetched(long durationUs, long bitrateBps) {
    fetchedMediaUs += durationUs;
    fetchedBits += Math.round(durationUs * (bitrateBps / 1e6));
  }

  /** A variant switch; {@code abandoned} when a download in flight was abandoned for it. */
  public synchronized void recordSwitch(boolean up, boolean abandoned) {
    if (up) {
      upSwitches++;
    } else {
      downSwitches++;
    }
    if (abandoned) {
      abandonments++;
    }
  }

  public synchronized void recordViewerStarted(long epochMs) {
    viewersStarted++;
    span(epochMs);
  }

  /** A viewer ended; {@code failed} when it gave up rather than played to the end of the run. */
  public synchronized void recordViewerEnded(boolean failed, long epochMs) {
    viewersEnded++;
    if (failed) {
      viewersFailed++;
    }
    span(epochMs);
  }

  /** Viewers of a process that died mid-run (cluster mode): counted, never measured. */
  public synchronized void recordViewersLost(long count) {
    viewersLost += count;
  }

  private void span(long epochMs) {
    firstEpochMs = Math.min(firstEpochMs, epochMs);
    lastEpochMs = Math.max(lastEpochMs, epochMs);
  }

  // ---- reading ----

  /** Viewers started and not ended. */
  public synchronized long activeViewers() {
    return viewersStarted - viewersEnded;
  }

  public synchronized long requests() {
    long sum = 0;
    for (TypeStats stats : types.values()) {
      sum += stats.requests;
    }
    return sum;
  }

  public synchronized long requests(RequestType type) {
    return types.get(type).requests;
  }

  public synchronized long errors() {
    long sum = 0;
    for (TypeStats stats : types.values()) {
      sum += stats.errors;
    }
    return sum;
  }

  public synchronized long errors(RequestType type) {
    return types.get(type).errors;
  }

  public synchronized long bytes() {
    long sum = 0;
    for (TypeStats stats : types.values()) {
      sum += stats.bytes;
    }
    return sum;
  }

  public synchronized long stalls() {
    return stalls;
  }

  public synchronized Map<String, Long> errorsByKind() {
    return Map.copyOf(errorsByKind);
  }

  public synchronized Map<Integer, Long> errorsByStatus() {
    return Map.copyOf(errorsByStatus);
  }

  public synchronized long upSwitches() {
    return upSwitches;
  }

  public synchronized long downSwitches() {
    return downSwitches;
  }

  public synchronized long abandonments() {
    return abandonments;
  }

  /** A copy of the download-time histogram of {@code type}, in microseconds. */
  public synchronized Histogram downloadUs(RequestType type) {
    return types.get(type).totalUs.copy();
  }

  /** A copy of the time-to-first-byte histogram of {@code type}, in microseconds. */
  public synchronized Histogram ttfbUs(RequestType type) {
    return types.get(type).ttfbUs.copy();
  }

  /** A copy of the scheduling-lag histogram, in microseconds. */
  public synchronized Histogram schedulingLagUs() {
    return schedulingLagUs.copy();
  }

  /** Video segment download-time histograms per variant bitrate, in microseconds (copies). */
  public synchronized Map<Long, Histogram> segmentUsByVariant() {
    Map<Long, Histogram> copy = new TreeMap<>();
    variants.forEach((bitrate, stats) -> copy.put(bitrate, stats.totalUs.copy()));
    return copy;
  }

  /** Adds {@code other} into this one: histograms bucket by bucket, counters summed. */
  public void merge(LoadMetrics other) {
    if (other == this) {
      throw new IllegalArgumentException("merge: a metrics object into itself");
    }
    LoadMetrics copy = other.copy(); // never hold both locks
    synchronized (this) {
      for (RequestType type : RequestType.values()) {
        TypeStats mine = types.get(type);
        TypeStats theirs = copy.types.get(type);
        mine.ttfbUs.add(theirs.ttfbUs);
        mine.totalUs.add(theirs.totalUs);
        mine.requests += theirs.requests;
        mine.bytes += theirs.bytes;
        mine.errors += theirs.errors;
      }
      copy.variants.forEach((bitrate, theirs) -> {
        VariantStats mine = variants.computeIfAbsent(bitrate, k -> new VariantStats());
        mine.ttfbUs.add(theirs.ttfbUs);
        mine.totalUs.add(theirs.totalUs);
      });
      copy.errorsByKind.forEach((kind, count) -> errorsByKind.merge(kind, count, Long::sum));
      copy.errorsByStatus.forEach((status, count) -> errorsByStatus.merge(status, count, Long::sum));
      startupUs.add(copy.startupUs);
      schedulingLagUs.add(copy.schedulingLagUs);
      viewersStarted += copy.viewersStarted;
      viewersEnded += copy.viewersEnded;
      viewersFailed += copy.viewersFailed;
      viewersLost += copy.viewersLost;
      stalls += copy.stalls;
      stalledUs += copy.stalledUs;
      playedUs += copy.playedUs;
      fetchedMediaUs += copy.fetchedMediaUs;
      fetchedBits += copy.fetchedBits;
      upSwitches += copy.upSwitches;
      downSwitches += copy.downSwitches;
      abandonments += copy.abandonments;
      firstEpochMs = Math.min(firstEpochMs, copy.firstEpochMs);
      lastEpochMs = Math.max(lastEpochMs, copy.lastEpochMs);
    }
  }

  /** A deep copy. */
  public LoadMetrics copy() {
    LoadMetrics copy = new LoadMetrics();
    synchronized (this) {
      for (RequestType type : RequestType.values()) {
        TypeStats mine = types.get(type);
        TypeStats theirs = copy.types.get(type);
        theirs.ttfbUs.add(mine.ttfbUs);
        theirs.totalUs.add(mine.totalUs);
        theirs.requests = mine.requests;
        theirs.bytes = mine.bytes;
        theirs.errors = mine.errors;
      }
      variants.forEach((bitrate, mine) -> {
        VariantStats theirs = new VariantStats();
        theirs.ttfbUs.add(mine.ttfbUs);
        theirs.totalUs.add(mine.totalUs);
        copy.variants.put(bitrate, theirs);
      });
      copy.errorsByKind.putAll(errorsByKind);
      copy.errorsByStatus.putAll(errorsByStatus);
      copy.startupUs.add(startupUs);
      copy.schedulingLagUs.add(schedulingLagUs);
      copy.viewersStarted = viewersStarted;
      copy.viewersEnded = viewersEnded;
      copy.viewersFailed = viewersFailed;
      copy.viewersLost = viewersLost;
      copy.stalls = stalls;
      copy.stalledUs = stalledUs;
      copy.playedUs = playedUs;
      copy.fetchedMediaUs = fetchedMediaUs;
      copy.fetchedBits = fetchedBits;
      copy.upSwitches = upSwitches;
      copy.downSwitches = downSwitches;
      copy.abandonments = abandonments;
      copy.firstEpochMs = firstEpochMs;
      copy.lastEpochMs = lastEpochMs;
    }
    return copy;
  }

  // ---- JSON ----

  /**
   * Everything, exactly: counters as numbers, histograms as base64 of HdrHistogram's compressed
   * encoding; {@link #fromJson} restores an equal object.
   */
  public synchronized JsonObject toJson() {
    JsonObject typeJson = new JsonObject();
    types.forEach((type, stats) -> typeJson.put(type.label(), new JsonObject()
        .put("requests", stats.requests)
        .put("bytes", stats.bytes)
        .put("errors", stats.errors)
        .put("ttfbUs", encode(stats.ttfbUs))
        .put("totalUs", encode(stats.totalUs))));
    JsonObject variantJson = new JsonObject();
    variants.forEach((bitrate, stats) -> variantJson.put(Long.toString(bitrate), new JsonObject()
        .put("ttfbUs", encode(stats.ttfbUs))
        .put("totalUs", encode(stats.totalUs))));
    JsonObject kinds = new JsonObject();
    errorsByKind.forEach(kinds::put);
    JsonObject statuses = new JsonObject();
    errorsByStatus.forEach((status, count) -> statuses.put(Integer.toString(status), count));
    return new JsonObject()
        .put("types", typeJson)
        .put("variants", variantJson)
        .put("errorsByKind", kinds)
        .put("errorsByStatus", statuses)
        .put("startupUs", encode(startupUs))
        .put("schedulingLagUs", encode(schedulingLagUs))
        .put("viewersStarted", viewersStarted)
        .put("viewersEnded", viewersEnded)
        .put("viewersFailed", viewersFailed)
        .put("viewersLost", viewersLost)
        .put("stalls", stalls)
        .put("stalledUs", stalledUs)
        .put("playedUs", playedUs)
        .put("fetchedMediaUs", fetchedMediaUs)
        .put("fetchedBits", fetchedBits)
        .put("upSwitches", upSwitches)
        .put("downSwitches", downSwitches)
        .put("abandonments", abandonments)
        .put("firstEpochMs", firstEpochMs)
        .put("lastEpochMs", lastEpochMs);
  }

  /**
   * Reads {@link #toJson()}.
   *
   * @throws IllegalArgumentException when a field is missing or a histogram does not decode
   */
  public static LoadMetrics fromJson(JsonObject json) {
    try {
      LoadMetrics metrics = new LoadMetrics();
      JsonObject typeJson = json.getJsonObject("types");
      for (RequestType type : RequestType.values()) {
        JsonObject entry = typeJson.getJsonObject(type.label());
        TypeStats stats = metrics.types.get(type);
        stats.requests = entry.getLong("requests");
        stats.bytes = entry.getLong("bytes");
        stats.errors = entry.getLong("errors");
        stats.ttfbUs.add(decode(entry.getString("ttfbUs")));
        stats.totalUs.add(decode(entry.getString("totalUs")));
      }
      json.getJsonObject("variants").forEach(entry -> {
        JsonObject value = (JsonObject) entry.getValue();
        VariantStats stats = new VariantStats();
        stats.ttfbUs.add(decode(value.getString("ttfbUs")));
        stats.totalUs.add(decode(value.getString("totalUs")));
        metrics.variants.put(Long.parseLong(entry.getKey()), stats);
      });
      json.getJsonObject("errorsByKind").forEach(entry ->
          metrics.errorsByKind.put(entry.getKey(), ((Number) entry.getValue()).longValue()));
      json.getJsonObject("errorsByStatus").forEach(entry -> metrics.errorsByStatus.put(
          Integer.parseInt(entry.getKey()), ((Number) entry.getValue()).longValue()));
      metrics.startupUs.add(decode(json.getString("startupUs")));
      metrics.schedulingLagUs.add(decode(json.getString("schedulingLagUs")));
      metrics.viewersStarted = json.getLong("viewersStarted");
      metrics.viewersEnded = json.getLong("viewersEnded");
      metrics.viewersFailed = json.getLong("viewersFailed");
      metrics.viewersLost = json.getLong("viewersLost");
      metrics.stalls = json.getLong("stalls");
      metrics.stalledUs = json.getLong("stalledUs");
      metrics.playedUs = json.getLong("playedUs");
      metrics.fetchedMediaUs = json.getLong("fetchedMediaUs");
      metrics.fetchedBits = json.getLong("fetchedBits");
      metrics.upSwitches = json.getLong("upSwitches");
      metrics.downSwitches = json.getLong("downSwitches");
      metrics.abandonments = json.getLong("abandonments");
      metrics.firstEpochMs = json.getLong("firstEpochMs");
      metrics.lastEpochMs = json.getLong("lastEpochMs");
      return metrics;
    } catch (NullPointerException | ClassCastException | IllegalStateException e) {
      throw new IllegalArgumentException("load metrics JSON: missing or mistyped field (" + e
          + ")", e);
    }
  }

  private static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  private static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (DataFormatException | IllegalArgumentException e) {
      throw new IllegalStateException("histogram does not decode: " + e.getMessage(), e);
    }
  }

  // ---- summary ----

  /** The headline figures. */
  public synchronized LoadSummary summary() {
    Histogram ttfb = newHistogram();
    long requests = 0;
    long errors = 0;
    long bytes = 0;
    for (TypeStats stats : types.values()) {
      ttfb.add(stats.ttfbUs);
      requests += stats.requests;
      errors += stats.errors;
      bytes += stats.bytes;
    }
    Histogram segment = types.get(RequestType.SEGMENT).totalUs;
    long spanMs = lastEpochMs >= firstEpochMs ? lastEpochMs - firstEpochMs : 0;
    long watchedUs = playedUs + stalledUs;
    return new LoadSummary(
        viewersStarted,
        viewersFailed,
        viewersLost,
        requests,
        errors,
        bytes,
        spanMs,
        spanMs > 0 ? requests * 1000.0 / spanMs : 0,
        watchedUs > 0 ? (double) stalledUs / watchedUs : 0,
        stalls,
        fetchedMediaUs > 0 ? fetchedBits * 1000.0 / fetchedMediaUs : 0,
        upSwitches + downSwitches,
        abandonments,
        ms(startupUs, 50),
        ms(startupUs, 95),
        ms(ttfb, 50),
        ms(ttfb, 99),
        ms(segment, 50),
        ms(segment, 95),
        ms(segment, 99),
        ms(schedulingLagUs, 50),
        ms(schedulingLagUs, 99),
        schedulingLagUs.getTotalCount() == 0 ? 0 : schedulingLagUs.getMaxValue() / 1000.0);
  }

  /** A percentile of a microsecond histogram in milliseconds, 0 when empty. */
  static double ms(Histogram histogramUs, double percentile) {
    return histogramUs.getTotalCount() == 0
        ? 0
        : histogramUs.getValueAtPercentile(percentile) / 1000.0;
  }

  /**
   * Equal when every counter is equal and every histogram holds the same count in every bucket
   * (whatever range each histogram grew to).
   */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof LoadMetrics that)) {
      return false;
    }
    return canonical().equals(that.canonical());
  }

  @Override
  public int hashCode() {
    return canonical().hashCode();
  }

  /** {@link #toJson()} with each histogram written as its recorded buckets, for comparison. */
  private JsonObject canonical() {
    JsonObject json = copy().toJson(); // copy: the replace below must not race recording
    replaceHistograms(json);
    return json;
  }

  private static void replaceHistograms(JsonObject json) {
    for (String key : json.fieldNames().toArray(new String[0])) {
      Object value = json.getValue(key);
      if (value instanceof JsonObject nested) {
        replaceHistograms(nested);
      } else if (key.endsWith("Us") && value instanceof String base64) {
        StringBuilder buckets = new StringBuilder();
        decode(base64).recordedValues().forEach(v -> buckets.append(v.getValueIteratedTo())
            .append(':').append(v.getCountAtValueIteratedTo()).append(','));
        json.put(key, buckets.toString());
      }
    }
  }
}
