package io.abrfetch.abr.sim;

import io.abrfetch.abr.AbrDecision;
import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.abr.AbrView;
import io.abrfetch.abr.BandwidthEstimator;
import io.abrfetch.abr.EwmaBandwidthEstimator;
import io.abrfetch.abr.ThroughputSample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The trace benchmark: plays the benchmark video over each trace with a policy, through
 * {@link TraceSimulator}, and scores QoE_lin as Pensieve's test harness does
 * ({@code abr-traces/README.md}, section 4).
 *
 * <p>After every chunk the harness turns the simulator's observations into an {@link AbrView}
 * (buffer, the chunk's size and download time, the chunk-size table, the chunks left, and the
 * estimate of an {@link EwmaBandwidthEstimator} fed with every chunk) and asks the policy for the
 * next quality: the policy runs exactly as it runs behind the live controller.
 *
 * <p>Thread-safe: it holds only immutable inputs; {@link #run} may use several threads.
 */
public final class QoeBenchmark {
  /** The benchmark ladder, bps (300 kbps .. 4300 kbps). */
  public static final List<Long> LADDER_BPS =
      List.of(300_000L, 750_000L, 1_200_000L, 1_850_000L, 2_850_000L, 4_300_000L);
  /** QoE_lin penalty per second of stall. */
  public static final double REBUFFER_PENALTY = 4.3;
  /** QoE_lin penalty per Mbit/s of bitrate change. */
  public static final double SMOOTH_PENALTY = 1;
  /** Quality of every session's first chunk, and the "previous quality" of chunk 0. */
  public static final int DEFAULT_QUALITY = 1;

  /** History kept across chunks; robust MPC looks back at most ten samples. */
  private static final int HISTORY_LIMIT = 32;
  private static final double[] RATES_KBPS = {300, 750, 1200, 1850, 2850, 4300};

  private final ChunkSizes sizes;

  private QoeBenchmark(ChunkSizes sizes) {
    if (sizes.qualityCount() != LADDER_BPS.size()) {
      throw new IllegalArgumentException(
          "sizes: " + sizes.qualityCount() + " qualities (expected: " + LADDER_BPS.size() + ")");
    }
    this.sizes = sizes;
  }

  /** A benchmark of the video whose chunk sizes are {@code sizes} (six qualities). */
  public static QoeBenchmark create(ChunkSizes sizes) {
    return new QoeBenchmark(sizes);
  }

  /**
   * Runs {@code policy} over every trace, in order, on up to {@code parallelism} threads; a policy
   * that {@linkplain AbrPolicy#readsEarlierSessions() reads earlier sessions} runs on one thread,
   * carrying its history from trace to trace.
   */
  public PolicyResult run(AbrPolicy policy, List<Trace> traces, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism: " + parallelism + " (expected: >= 1)");
    }
    List<TraceResult> results = new ArrayList<>(traces.size());
    if (policy.readsEarlierSessions() || parallelism == 1 || traces.size() < 2) {
      List<ThroughputSample> history = new ArrayList<>();
      for (Trace trace : traces) {
        if (!policy.readsEarlierSessions()) {
          history.clear();
        }
        results.add(runTrace(policy, trace, history));
      }
      return PolicyResult.of(policy.name(), results);
    }
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, runnable -> {
      Thread thread = new Thread(runnable, "abr-bench");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<TraceResult>> futures = new ArrayList<>(traces.size());
      for (Trace trace : traces) {
        futures.add(pool.submit(() -> runTrace(policy, trace, new ArrayList<>())));
      }
      for (Future<TraceResult> future : futures) {
        results.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while benchmarking " + policy.name(), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return PolicyResult.of(policy.name(), results);
  }

  /**
   * Plays one session over {@code trace}. {@code history} holds earlier sessions' samples (empty
   * for a fresh start) and receives this session's.
   */
  public TraceResult runTrace(AbrPolicy policy, Trace trace, List<ThroughputSample> history) {
    TraceSimulator simulator = new TraceSimulator(trace, sizes);
    BandwidthEstimator estimator = EwmaBandwidthEstimator.create();
    int total = TraceSimulator.TOTAL_CHUNKS;
    int[] qualities = new int[total];
    double[] rewards = new double[total];
    double[] rebuffersS = new double[total];
    int quality = DEFAULT_QUALITY;
    int lastQuality = DEFAULT_QUALITY;
    long nowNanos = 0;
    for (int k = 0; k < total; k++) {
      TraceSimulator.ChunkDownload chunk = simulator.download(quality);
      double rebufferS = chunk.rebufferMs() / 1000.0;
      rewards[k] = RATES_KBPS[quality] / 1000.0 - REBUFFER_PENALTY * rebufferS
          - SMOOTH_PENALTY * Math.abs(RATES_KBPS[quality] - RATES_KBPS[lastQuality]) / 1000.0;
      qualities[k] = quality;
      rebuffersS[k] = rebufferS;
      lastQuality = quality;
      nowNanos += Math.round((chunk.delayMs() + chunk.sleepMs()) * 1e6);
      estimator.addSample(
          chunk.sizeBytes(),
          Math.round((chunk.delayMs() - TraceSimulator.LINK_RTT_MS) * 1e6),
          nowNanos);
      history.add(new ThroughputSample(
          chunk.sizeBytes(), chunk.delayMs(), TraceSimulator.LINK_RTT_MS, k == 0));
      if (history.size() > HISTORY_LIMIT) {
        history.subList(0, history.size() - HISTORY_LIMIT).clear();
      }
      if (chunk.endOfVideo()) {
        break;
      }
      AbrView view = AbrView.builder()
          .bitratesBps(LADDER_BPS)
          .segmentSizes(sizes)
          .currentIndex(quality)
          .bufferMs(chunk.bufferMs())
          .maxBufferMs(TraceSimulator.BUFFER_THRESHOLD_MS)
          .segmentDurationUs(Math.round(TraceSimulator.CHUNK_DURATION_MS * 1000))
          .nextSegmentIndex(simulator.chunkIndex())
          .segmentsRemaining(chunk.chunksRemaining())
          .throughputHistory(history)
          .bandwidthEstimateBps(estimator.hasEstimate() ? estimator.estimateBps() : 0)
          .nowNanos(nowNanos)
          .build();
      AbrDecision decision = policy.decide(view);
      quality = decision.targetIndex();
      if (quality >= LADDER_BPS.size()) {
        throw new IllegalStateException(
            policy.name() + " chose quality " + quality + " (expected: < " + LADDER_BPS.size()
                + ")");
      }
    }
    double qoeSum = 0;
    double bitrateSum = 0;
    double rebufferSum = 0;
    int switches = 0;
    StringBuilder sequence = new StringBuilder(total);
    sequence.append(qualities[0]);
    for (int k = 1; k < total; k++) {
      qoeSum += rewards[k];
      bitrateSum += RATES_KBPS[qualities[k]];
      rebufferSum += rebuffersS[k];
      if (qualities[k] != qualities[k - 1]) {
        switches++;
      }
      sequence.append(qualities[k]);
    }
    return new TraceResult(trace.name(), qoeSum, bitrateSum / (total - 1), rebufferSum, switches,
        sequence.toString());
  }
}
