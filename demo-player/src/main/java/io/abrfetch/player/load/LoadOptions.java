package io.abrfetch.player.load;

import io.abrfetch.abr.AbrPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a load run does: how many viewers, when they start, how they play, how their links are
 * shaped and how requests time out. Immutable; validated in the constructor; build with
 * {@link #builder()}; travels between cluster members as {@link #toJson()}.
 *
 * @param viewers viewers of the whole run (all processes together), {@code >= 1}
 * @param rampUpMs viewer {@code i} starts at {@code i * rampUpMs / viewers} after the run's start
 * @param durationMs the run lasts this long after its start; viewers still playing are then stopped
 * @param startSpreadMs each viewer's start is delayed by a further uniform random 0..this (think
 *     time); 0 for an exact ramp
 * @param vodStartSpread a VOD viewer starts at a uniform random position in the first {@code
 *     vodStartSpread} fraction of the stream (0 = everyone from the start, 1 = anywhere)
 * @param liveEdgeStart true: a live viewer starts 3 target durations from the playlist's end (RFC
 *     8216 6.3.3); false: at the first segment of the window
 * @param targetBufferUs a viewer fetches until this much media is buffered, then one segment per
 *     segment duration (the buffer target of a player)
 * @param policy the ABR policy name (one of {@link AbrPolicy#NAMES}); each viewer has its own
 *     bandwidth estimate
 * @param profiles the client population: viewer links drawn by weight
 * @param requestTimeoutMs a request with no response headers, or no body bytes, for this long fails
 *     with kind {@code timeout}
 * @param maxAttempts a failed segment or playlist request is tried this many times in all before
 *     the viewer skips the segment (or, for the master playlist, gives up)
 * @param retryDelayMs the delay before a retry, doubled per attempt
 * @param abandonment true to let the policy abandon a slow segment download and refetch it lower
 * @param maxConnectionsPerLoop the HTTP connection pool of each event loop (viewers on one loop
 *     share it; a connection carries one request at a time)
 * @param eventLoops event loops (shards) to spread viewers across, 0 for one per core
 * @param seed seeds start spreads, VOD positions and profile draws (viewer {@code i} draws the
 *     same in every process)
 */
public record LoadOptions(
    int viewers,
    long rampUpMs,
    long durationMs,
    long startSpreadMs,
    double vodStartSpread,
    boolean liveEdgeStart,
    long targetBufferUs,
    String policy,
    List<BandwidthProfile> profiles,
    long requestTimeoutMs,
    int maxAttempts,
    long retryDelayMs,
    boolean abandonment,
    int maxConnectionsPerLoop,
    int eventLoops,
    long seed) {

  public static final long DEFAULT_RAMP_UP_MS = 0;
  public static final long DEFAULT_DURATION_MS = 60_000;
  public static final long DEFAULT_TARGET_BUFFER_US = 30_000_000;
  /** Cheap per decision; the project's default ({@code HorizonPlanPolicy}) plans for ~0.3 ms. */
  public static final String DEFAULT_POLICY = "hybrid";
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final long DEFAULT_RETRY_DELAY_MS = 500;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_LOOP = 512;
  public static final long DEFAULT_SEED = 1;

  public LoadOptions {
    check(viewers >= 1, "viewers", viewers, ">= 1");
    check(rampUpMs >= 0, "rampUpMs", rampUpMs, ">= 0");
    check(durationMs >= 1, "durationMs", durationMs, ">= 1");
    check(startSpreadMs >= 0, "startSpreadMs", startSpreadMs, ">= 0");
    check(vodStartSpread >= 0 && vodStartSpread <= 1, "vodStartSpread", vodStartSpread, "0..1");
    check(targetBufferUs >= 100_000, "targetBufferUs", targetBufferUs, ">= 100000");
    Objects.requireNonNull(policy, "policy");
    AbrPolicy.named(policy); // throws naming the valid ones
    profiles = List.copyOf(profiles);
    check(!profiles.isEmpty(), "profiles", profiles, "at least one");
    check(requestTimeoutMs >= 1, "requestTimeoutMs", requestTimeoutMs, ">= 1");
    check(maxAttempts >= 1, "maxAttempts", maxAttempts, ">= 1");
    check(retryDelayMs >= 0, "retryDelayMs", retryDelayMs, ">= 0");
    check(maxConnectionsPerLoop >= 1, "maxConnectionsPerLoop", maxConnectionsPerLoop, ">= 1");
    check(eventLoops >= 0 && eventLoops <= 1024, "eventLoops", eventLoops, "0..1024");
  }

  private static void check(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }
  }

  /** Event loops actually used: {@link #eventLoops()} or the number of cores. */
  public int effectiveEventLoops() {
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().viewers(viewers).rampUpMs(rampUpMs).durationMs(durationMs)
        .startSpreadMs(startSpreadMs).vodStartSpread(vodStartSpread).liveEdgeStart(liveEdgeStart)
        .targetBufferUs(targetBufferUs).policy(policy).profiles(profiles)
        .requestTimeoutMs(requestTimeoutMs).maxAttempts(maxAttempts).retryDelayMs(retryDelayMs)
        .abandonment(abandonment).maxConnectionsPerLoop(maxConnectionsPerLoop)
        .eventLoops(eventLoops).seed(seed);
  }

  /** Every field, by its name; {@link #fromJson} reads it back. */
  public JsonObject toJson() {
    JsonArray profileArray = new JsonArray();
    profiles.forEach(profile -> profileArray.add(profile.toJson()));
    return new JsonObject()
        .put("viewers", viewers)
        .put("rampUpMs", rampUpMs)
        .put("durationMs", durationMs)
        .put("startSpreadMs", startSpreadMs)
        .put("vodStartSpread", vodStartSpread)
        .put("liveEdgeStart", liveEdgeStart)
        .put("targetBufferUs", targetBufferUs)
        .put("policy", policy)
        .put("profiles", profileArray)
        .put("requestTimeoutMs", requestTimeoutMs)
        .put("maxAttempts", maxAttempts)
        .put("retryDelayMs", retryDelayMs)
        .put("abandonment", abandonment)
        .put("maxConnectionsPerLoop", maxConnectionsPerLoop)
        .put("eventLoops", eventLoops)
        .put("seed", seed);
  }

  /**
   * Reads {@link #toJson()}; absent fields take their defaults.
   *
   * @throws IllegalArgumentException when a field is out of range
   */
  public static LoadOptions fromJson(JsonObject json) {
    Builder builder = builder();
    LoadOptions defaults = builder.build();
    List<BandwidthProfile> profiles = new ArrayList<>();
    JsonArray profileArray = json.getJsonArray("profiles");
    if (profileArray != null) {
      for (int i = 0; i < profileArray.size(); i++) {
        profiles.add(BandwidthProfile.fromJson(profileArray.getJsonObject(i)));
      }
    } else {
      profiles.addAll(defaults.profiles());
    }
    return builder
        .viewers(json.getInteger("viewers", defaults.viewers()))
        .rampUpMs(json.getLong("rampUpMs", defaults.rampUpMs()))
        .durationMs(json.getLong("durationMs", defaults.durationMs()))
        .startSpreadMs(json.getLong("startSpreadMs", defaults.startSpreadMs()))
        .vodStartSpread(json.getDouble("vodStartSpread", defaults.vodStartSpread()))
        .liveEdgeStart(json.getBoolean("liveEdgeStart", defaults.liveEdgeStart()))
        .targetBufferUs(json.getLong("targetBufferUs", defaults.targetBufferUs()))
        .policy(json.getString("policy", defaults.policy()))
        .profiles(profiles)
        .requestTimeoutMs(json.getLong("requestTimeoutMs", defaults.requestTimeoutMs()))
        .maxAttempts(json.getInteger("maxAttempts", defaults.maxAttempts()))
        .retryDelayMs(json.getLong("retryDelayMs", defaults.retryDelayMs()))
        .abandonment(json.getBoolean("abandonment", defaults.abandonment()))
        .maxConnectionsPerLoop(
            json.getInteger("maxConnectionsPerLoop", defaults.maxConnectionsPerLoop()))
        .eventLoops(json.getInteger("eventLoops", defaults.eventLoops()))
        .seed(json.getLong("seed", defaults.seed()))
        .build();
  }

  /** Builds {@link LoadOptions}; starts from the {@code DEFAULT_*} constants and one viewer. */
  public static final class Builder {
    private int viewers = 1;
    private long rampUpMs = DEFAULT_RAMP_UP_MS;
    private long durationMs = DEFAULT_DURATION_MS;
    private long startSpreadMs;
    private double vodStartSpread;
    private boolean liveEdgeStart = true;
    private long targetBufferUs = DEFAULT_TARGET_BUFFER_US;
    private String policy = DEFAULT_POLICY;
    private List<BandwidthProfile> profiles = List.of(BandwidthProfile.unlimited());
    private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private long retryDelayMs = DEFAULT_RETRY_DELAY_MS;
    private boolean abandonment = true;
    private int maxConnectionsPerLoop = DEFAULT_MAX_CONNECTIONS_PER_LOOP;
    private int eventLoops;
    private long seed = DEFAULT_SEED;

    private Builder() {}

    public Builder viewers(int value) {
      viewers = value;
      return this;
    }

    public Builder rampUpMs(long value) {
      rampUpMs = value;
      return this;
    }

    public Builder durationMs(long value) {
      durationMs = value;
      return this;
    }

    public Builder startSpreadMs(long value) {
      startSpreadMs = value;
      return this;
    }

    public Builder vodStartSpread(double value) {
      vodStartSpread = value;
      return this;
    }

    public Builder liveEdgeStart(boolean value) {
      liveEdgeStart = value;
      return this;
    }

    public Builder targetBufferUs(long value) {
      targetBufferUs = value;
      return this;
    }

    public Builder policy(String value) {
      policy = Objects.requireNonNull(value, "policy");
      return this;
    }

    public Builder profiles(List<BandwidthProfile> value) {
      profiles = Objects.requireNonNull(value, "profiles");
      return this;
    }

    public Builder requestTimeoutMs(long value) {
      requestTimeoutMs = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder retryDelayMs(long value) {
      retryDelayMs = value;
      return this;
    }

    public Builder abandonment(boolean value) {
      abandonment = value;
      return this;
    }

    public Builder maxConnectionsPerLoop(int value) {
      maxConnectionsPerLoop = value;
      return this;
    }

    public Builder eventLoops(int value) {
      eventLoops = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public LoadOptions build() {
      return new LoadOptions(viewers, rampUpMs, durationMs, startSpreadMs, vodStartSpread,
          liveEdgeStart, targetBufferUs, policy, profiles, requestTimeoutMs, maxAttempts,
          retryDelayMs, abandonment, maxConnectionsPerLoop, eventLoops, seed);
    }
  }
}
