package io.abrfetch.player.load;

import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.origin.BandwidthTrace;
import io.abrfetch.origin.FixedRate;
import io.abrfetch.origin.RateSchedule;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * One process's share of a load run: viewers {@code firstViewerIndex ..
 * firstViewerIndex + viewerCount - 1} of {@link LoadOptions#viewers()}, spread round-robin over
 * {@link LoadOptions#effectiveEventLoops()} shards (one per event loop), each starting at its
 * planned time {@code startAtEpochMs + i * rampUpMs / viewers} (plus its seeded start spread), all
 * stopped at {@code startAtEpochMs + durationMs}. A viewer's plan (start time, profile, VOD start)
 * depends only on its index and the options, so any split across processes runs the same viewers.
 *
 * <p>{@link #timeline()} gets one {@link LoadSample} per second of the run.
 *
 * <p>Threading: thread-safe. {@link #snapshot()}, {@link #timeline()} and {@link #stop()} may be
 * called from any thread; viewers run on their shards' event loops.
 */
public final class LoadRun implements LoadExecution {

  private final Vertx vertx;
  private final String url;
  private final LoadOptions options;
  private final int firstViewerIndex;
  private final int viewerCount;
  private final long startAtEpochMs;
  private final AbrPolicy policy;
  private final List<RateSchedule> profileSchedules; // index-aligned with options.profiles()
  private final double[] profileCumulativeWeights;
  private final PlaylistCache playlists = new PlaylistCache();
  private final List<LoadShard> shards = new ArrayList<>();
  private final List<String> deploymentIds = new ArrayList<>();
  private final List<LoadSample> timeline = new ArrayList<>(); // guarded by itself
  private final Promise<LoadMetrics> completion = Promise.promise();
  private final AtomicBoolean stopping = new AtomicBoolean();
  /** Takes the per-second samples off the event loops: merging shard metrics costs a few ms. */
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "loadtest-timeline");
        thread.setDaemon(true);
        return thread;
      });
  // Guarded by timeline: the cumulative figures at the previous sample.
  private long previousRequests;
  private long previousBytes;
  private long previousErrors;
  private long previousStalls;
  private long previousSampleEpochMs;

  private LoadRun(Vertx vertx, String url, LoadOptions options, int firstViewerIndex,
      int viewerCount, long startAtEpochMs, List<RateSchedule> profileSchedules) {
    this.vertx = vertx;
    this.url = url;
    this.options = options;
    this.firstViewerIndex = firstViewerIndex;
    this.viewerCount = viewerCount;
    this.startAtEpochMs = startAtEpochMs;
    this.policy = AbrPolicy.named(options.policy());
    this.profileSchedules = profileSchedules;
    this.profileCumulativeWeights = new double[options.profiles().size()];
    double sum = 0;
    for (int i = 0; i < options.profiles().size(); i++) {
      sum += options.profiles().get(i).weight();
      profileCumulativeWeights[i] = sum;
    }
    this.previousSampleEpochMs = startAtEpochMs;
  }

  /**
   * Starts this process's share of a run; completes once its shards are deployed (viewers start
   * at their planned times). Fails with {@link IllegalArgumentException} for a URL that is not
   * absolute http(s) or an index range outside {@code 0..options.viewers()}, and with the
   * origin module's {@code OriginException} for an unreadable trace file.
   */
  public static Future<LoadRun> start(Vertx vertx, String url, LoadOptions options,
      int firstViewerIndex, int viewerCount, long startAtEpochMs) {
    try {
      checkUrl(url);
      if (firstViewerIndex < 0 || viewerCount < 0
          || (long) firstViewerIndex + viewerCount > options.viewers()) {
        throw new IllegalArgumentException("viewers " + firstViewerIndex + ".."
            + (firstViewerIndex + viewerCount - 1) + " (expected: within 0.."
            + (options.viewers() - 1) + ")");
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> loadSchedules(options), false)
        .compose(schedules -> {
          LoadRun run = new LoadRun(vertx, url, options, firstViewerIndex, viewerCount,
              startAtEpochMs, schedules);
          return run.deploy().map(run);
        });
  }

  static void checkUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("url: '" + url + "' (expected: an absolute http(s) URL)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("url: '" + url + "' (expected: an absolute http(s) URL)");
    }
  }

  private static List<RateSchedule> loadSchedules(LoadOptions options) {
    List<RateSchedule> schedules = new ArrayList<>();
    for (BandwidthProfile profile : options.profiles()) {
      if (profile.traceFileOrNull() != null) {
        schedules.add(BandwidthTrace.load(Path.of(profile.traceFileOrNull())));
      } else if (profile.rateBps() > 0) {
        schedules.add(new FixedRate(profile.rateBps()));
      } else {
        schedules.add(null);
      }
    }
    return schedules;
  }

  private Future<Void> deploy() {
    int shardCount = Math.max(1, Math.min(options.effectiveEventLoops(), Math.max(1, viewerCount)));
    List<List<Integer>> split = new ArrayList<>();
    for (int i = 0; i < shardCount; i++) {
      split.add(new ArrayList<>());
    }
    for (int k = 0; k < viewerCount; k++) {
      split.get(k % shardCount).add(firstViewerIndex + k);
    }
    List<Future<String>> deployed = new ArrayList<>();
    for (List<Integer> indexes : split) {
      LoadShard shard = new LoadShard(this, indexes.stream().mapToInt(Integer::intValue).toArray());
      shards.add(shard);
      deployed.add(vertx.deployVerticle(shard));
    }
    return Future.all(deployed).map(all -> {
      for (Future<String> id : deployed) {
        deploymentIds.add(id.result());
      }
      long firstSampleDelayMs = Math.max(1, startAtEpochMs + 1000 - System.currentTimeMillis());
      sampler.scheduleAtFixedRate(this::takeSample, firstSampleDelayMs, 1000,
          TimeUnit.MILLISECONDS);
      Future.all(shards.stream().map(LoadShard::finished).toList())
          .onComplete(ar -> finish());
      return null;
    });
  }

  private void finish() {
    sampler.shutdownNow();
    takeSample();
    LoadMetrics result = snapshot();
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deploymentIds) {
      undeployed.add(vertx.undeploy(id));
    }
    Future.join(undeployed).onComplete(ar -> completion.tryComplete(result));
  }

  // Runs on the sampler thread, and once more from finish(): synchronized on the timeline.
  private void takeSample() {
    synchronized (timeline) {
      takeSampleLocked();
    }
  }

  private void takeSampleLocked() {
    LoadMetrics now = snapshot();
    Histogram segmentUs = LoadMetrics.newHistogram();
    Histogram lagUs = LoadMetrics.newHistogram();
    long stalledViewers = 0;
    for (LoadShard shard : shards) {
      LoadShard.Interval interval = shard.takeInterval();
      segmentUs.add(interval.segmentUs);
      lagUs.add(interval.lagUs);
      stalledViewers += Math.max(0, shard.stalledViewers);
    }
    long nowEpochMs = System.currentTimeMillis();
    synchronized (timeline) {
      double seconds = Math.max(0.001, (nowEpochMs - previousSampleEpochMs) / 1000.0);
      long requests = now.requests();
      long bytes = now.bytes();
      long errors = now.errors();
      long stalls = now.stalls();
      timeline.add(new LoadSample(
          Math.max(0, nowEpochMs - startAtEpochMs),
          now.activeViewers(),
          (requests - previousRequests) / seconds,
          (bytes - previousBytes) / seconds,
          LoadMetrics.ms(segmentUs, 50),
          LoadMetrics.ms(segmentUs, 95),
          LoadMetrics.ms(segmentUs, 99),
          stalls - previousStalls,
          stalledViewers,
          errors - previousErrors,
          LoadMetrics.ms(lagUs, 99)));
      previousRequests = requests;
      previousBytes = bytes;
      previousErrors = errors;
      previousStalls = stalls;
      previousSampleEpochMs = nowEpochMs;
    }
  }

  /** What this process measured so far (a merged copy of its shards); thread-safe. */
  @Override
  public LoadMetrics snapshot() {
    LoadMetrics merged = new LoadMetrics();
    for (LoadShard shard : shards) {
      merged.merge(shard.metrics());
    }
    return merged;
  }

  /** The per-second samples so far (a copy); thread-safe. */
  @Override
  public List<LoadSample> timeline() {
    synchronized (timeline) {
      return List.copyOf(timeline);
    }
  }

  /** Completes with the final metrics when the duration is over or after {@link #stop()}. */
  @Override
  public Future<LoadMetrics> completion() {
    return completion.future();
  }

  /** Ends every viewer now; completes when the run has completed. Idempotent. */
  @Override
  public Future<Void> stop() {
    if (stopping.compareAndSet(false, true)) {
      for (int i = 0; i < shards.size(); i++) {
        LoadShard shard = shards.get(i);
        shard.shardContext().runOnContext(v -> shard.stopAll());
      }
    }
    return completion.future().mapEmpty();
  }

  // ---- the plan of a viewer: a pure function of its index and the options ----

  /** When viewer {@code index} starts, in epoch milliseconds. */
  long plannedStartEpochMs(int index) {
    long rampMs = options.viewers() <= 1 ? 0 : options.rampUpMs() * index / options.viewers();
    long spreadMs = options.startSpreadMs() == 0 ? 0
        : (long) (random(index, 1).nextDouble() * options.startSpreadMs());
    return startAtEpochMs + rampMs + spreadMs;
  }

  /** Viewer {@code index}'s link schedule, or null when unlimited. */
  RateSchedule profileSchedule(int index) {
    return profileSchedules.get(profileIndex(index));
  }

  /** Which profile viewer {@code index} draws. */
  int profileIndex(int index) {
    double total = profileCumulativeWeights[profileCumulativeWeights.length - 1];
    double draw = random(index, 2).nextDouble() * total;
    for (int i = 0; i < profileCumulativeWeights.length; i++) {
      if (draw < profileCumulativeWeights[i]) {
        return i;
      }
    }
    return profileCumulativeWeights.length - 1;
  }

  /** Viewer {@code index}'s VOD start draw in 0..1 (scaled by {@code vodStartSpread}). */
  double vodStartFraction(int index) {
    return random(index, 3).nextDouble();
  }

  private SplittableRandom random(int index, int stream) {
    return new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + index * 31L + stream);
  }

  long endEpochMs() {
    return startAtEpochMs + options.durationMs();
  }

  LoadOptions options() {
    return options;
  }

  AbrPolicy policy() {
    return policy;
  }

  PlaylistCache playlists() {
    return playlists;
  }

  String url() {
    return url;
  }

  /** The first viewer index of this process's share. */
  public int firstViewerIndex() {
    return firstViewerIndex;
  }

  /** Viewers in this process's share. */
  public int viewerCount() {
    return viewerCount;
  }

  /** When the run started (its ramp's time zero), epoch milliseconds. */
  public long startAtEpochMs() {
    return startAtEpochMs;
  }
}
