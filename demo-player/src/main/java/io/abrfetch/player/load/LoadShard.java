package io.abrfetch.player.load;

import io.abrfetch.abr.AbrPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The viewers of one event loop: their HTTP client (one connection pool per loop), their start
 * and end timers, and their metrics.
 *
 * <p>Threading: a verticle; viewers, transfers and the client are confined to its event loop.
 * {@link #metrics()} and {@link #takeInterval()} are thread-safe (read by the run's timeline).
 */
final class LoadShard extends VerticleBase {

  /** Per-interval figures the timeline reads and resets every second. Guarded by itself. */
  static final class Interval {
    final Histogram segmentUs = LoadMetrics.newHistogram();
    final Histogram lagUs = LoadMetrics.newHistogram();
  }

  private final LoadRun run;
  private final int[] viewerIndexes;
  private final LoadMetrics metrics = new LoadMetrics();
  private Interval interval = new Interval();
  private final LongSupplier nanoClock = System::nanoTime;
  private final Promise<Void> finished = Promise.promise();
  // Confined to the event loop.
  private final List<Viewer> viewers = new ArrayList<>();
  private HttpClientAgent client;
  private long endTimerId = -1;
  private final List<Long> startTimerIds = new ArrayList<>();
  private boolean stopped;
  volatile int stalledViewers;

  LoadShard(LoadRun run, int[] viewerIndexes) {
    this.run = run;
    this.viewerIndexes = viewerIndexes;
  }

  @Override
  public Future<?> start() {
    LoadOptions options = run.options();
    client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setDecompressionSupported(false)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.requestTimeoutMs())))
        .with(new PoolOptions().setHttp1MaxSize(options.maxConnectionsPerLoop())
            .setMaxWaitQueueSize(-1))
        .build();
    long nowNanos = nanoTime();
    long nowEpochMs = System.currentTimeMillis();
    for (int index : viewerIndexes) {
      long plannedNanos = nowNanos + (run.plannedStartEpochMs(index) - nowEpochMs) * 1_000_000;
      long delayMs = Math.max(1, (plannedNanos - nowNanos) / 1_000_000);
      startTimerIds.add(vertx.setTimer(delayMs, id -> startViewer(index, plannedNanos)));
    }
    long endDelayMs = Math.max(1, run.endEpochMs() - nowEpochMs);
    endTimerId = vertx.setTimer(endDelayMs, id -> stopAll());
    return Future.succeededFuture();
  }

  private void startViewer(int index, long plannedNanos) {
    if (stopped) {
      return;
    }
    recordLag(nanoTime() - plannedNanos);
    Viewer viewer = new Viewer(this, index, run.profileSchedule(index), run.vodStartFraction(index));
    viewers.add(viewer);
    viewer.start();
  }

  /** Ends every viewer (run over or stopped); idempotent; runs on the event loop. */
  void stopAll() {
    if (stopped) {
      return;
    }
    stopped = true;
    vertx.cancelTimer(endTimerId);
    startTimerIds.forEach(vertx::cancelTimer);
    long now = nanoTime();
    for (Viewer viewer : viewers) {
      viewer.stop(now);
    }
    viewers.clear();
    // Closing a pool with thousands of connections can take a while; the run does not wait for
    // more than a second for it.
    client.close().onComplete(ar -> finished.tryComplete());
    vertx.setTimer(1_000, id -> finished.tryComplete());
  }

  /** Completes when every viewer ended and the client closed. */
  Future<Void> finished() {
    return finished.future();
  }

  @Override
  public Future<?> stop() {
    if (!stopped) {
      stopAll();
    }
    return finished.future();
  }

  // ---- for viewers and transfers (event loop) ----

  long nanoTime() {
    return nanoClock.getAsLong();
  }

  LoadOptions options() {
    return run.options();
  }

  AbrPolicy policy() {
    return run.policy();
  }

  PlaylistCache playlists() {
    return run.playlists();
  }

  String masterUrl() {
    return run.url();
  }

  HttpClientAgent client() {
    return client;
  }

  /** The shard's event-loop context (set once deployed). */
  io.vertx.core.Context shardContext() {
    return context;
  }

  io.vertx.core.Vertx vertx() {
    return vertx;
  }

  LoadMetrics metricsForRecording() {
    return metrics;
  }

  boolean isStopped() {
    return stopped;
  }

  void recordSuccess(Transfer transfer) {
    long ttfbUs = transfer.ttfbUs();
    long totalUs = transfer.totalUs();
    metrics.recordRequest(transfer.type, transfer.variantBitrateBps, ttfbUs, totalUs,
        transfer.bytes, System.currentTimeMillis());
    if (transfer.type == RequestType.SEGMENT) {
      synchronized (this) {
        interval.segmentUs.recordValue(Math.max(0, totalUs));
      }
    }
  }

  void recordFailure(Transfer transfer) {
    metrics.recordError(transfer.type, transfer.errorKind(), transfer.status, transfer.bytes,
        System.currentTimeMillis());
  }

  void recordLag(long lagNanos) {
    long lagUs = Math.max(0, lagNanos / 1000);
    metrics.recordSchedulingLag(lagUs);
    synchronized (this) {
      interval.lagUs.recordValue(lagUs);
    }
  }

  void viewerEnded(Viewer viewer) {
    if (!stopped) {
      viewers.remove(viewer);
    }
  }

  // ---- for the run's timeline (any thread) ----

  /** Cumulative metrics of this shard (recorded live: copy or merge to read consistently). */
  LoadMetrics metrics() {
    return metrics;
  }

  /** The figures since the last call, and a fresh interval. */
  synchronized Interval takeInterval() {
    Interval taken = interval;
    interval = new Interval();
    return taken;
  }

}
