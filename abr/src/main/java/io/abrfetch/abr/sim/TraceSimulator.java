package io.abrfetch.abr.sim;

/**
 * The deterministic chunk-level simulator of the trace benchmark: a port of Pensieve's
 * {@code fixed_env.Environment.get_video_chunk} that reproduces its IEEE-double arithmetic
 * operation for operation (see {@code abr-traces/README.md}, section 3).
 *
 * <p>One instance plays one video over one trace. Not thread-safe: confined to its caller.
 */
public final class TraceSimulator {
  /** Media duration of a chunk, ms. */
  public static final double CHUNK_DURATION_MS = 4000.0;
  /** The client stops downloading above this buffer level, ms. */
  public static final double BUFFER_THRESHOLD_MS = 60000.0;
  /** Sleep quantum while the buffer is above the threshold, ms. */
  public static final double DRAIN_BUFFER_SLEEP_MS = 500.0;
  /** Fraction of the link rate that carries payload. */
  public static final double PACKET_PAYLOAD_PORTION = 0.95;
  /** Round-trip time added once per chunk, ms. */
  public static final double LINK_RTT_MS = 80;
  /** Chunks played per session. */
  public static final int TOTAL_CHUNKS = 48;

  private static final double B_IN_MB = 1000000.0;
  private static final double BITS_IN_BYTE = 8.0;
  private static final double MILLISECONDS_IN_SECOND = 1000.0;

  private final Trace trace;
  private final ChunkSizes sizes;
  private int pointer = 1;
  private double lastTimeS;
  private double bufferMs;
  private int chunkIndex;
  private boolean ended;

  /** A simulator at the start of {@code trace}, with an empty buffer. */
  public TraceSimulator(Trace trace, ChunkSizes sizes) {
    if (sizes.chunkCount() < TOTAL_CHUNKS) {
      throw new IllegalArgumentException(
          "sizes: " + sizes.chunkCount() + " chunks (expected: >= " + TOTAL_CHUNKS + ")");
    }
    this.trace = trace;
    this.sizes = sizes;
    this.lastTimeS = trace.timeS(0);
  }

  /**
   * An independent simulator in exactly this state: for offline look-ahead, such as searching
   * the clairvoyant optimum of a trace.
   */
  public TraceSimulator copy() {
    TraceSimulator copy = new TraceSimulator(trace, sizes);
    copy.pointer = pointer;
    copy.lastTimeS = lastTimeS;
    copy.bufferMs = bufferMs;
    copy.chunkIndex = chunkIndex;
    copy.ended = ended;
    return copy;
  }

  /** The index of the next chunk to download. */
  public int chunkIndex() {
    return chunkIndex;
  }

  /** Whether all {@link #TOTAL_CHUNKS} chunks have been downloaded. */
  public boolean hasEnded() {
    return ended;
  }

  /**
   * Downloads the next chunk at {@code quality} and plays the buffer down meanwhile.
   *
   * @throws IllegalStateException after the last chunk
   */
  public ChunkDownload download(int quality) {
    if (ended) {
      throw new IllegalStateException("the video has ended after " + TOTAL_CHUNKS + " chunks");
    }
    if (quality < 0 || quality >= sizes.qualityCount()) {
      throw new IllegalArgumentException(
          "quality: " + quality + " (expected: 0.." + (sizes.qualityCount() - 1) + ")");
    }
    long sizeBytes = sizes.sizeBytes(quality, chunkIndex);
    double sent = 0.0;
    double delay = 0.0;
    int n = trace.size();
    while (true) {
      double throughput = trace.throughputMbps(pointer) * B_IN_MB / BITS_IN_BYTE;
      double duration = trace.timeS(pointer) - lastTimeS;
      double packetPayload = throughput * duration * PACKET_PAYLOAD_PORTION;
      if (sent + packetPayload > sizeBytes) {
        double fractionalTime = (sizeBytes - sent) / throughput / PACKET_PAYLOAD_PORTION;
        delay += fractionalTime;
        lastTimeS += fractionalTime;
        break;
      }
      sent += packetPayload;
      delay += duration;
      lastTimeS = trace.timeS(pointer);
      pointer += 1;
      if (pointer >= n) {
        pointer = 1;
        lastTimeS = 0;
      }
    }
    delay *= MILLISECONDS_IN_SECOND;
    delay += LINK_RTT_MS;

    double rebufferMs = Math.max(delay - bufferMs, 0.0);
    bufferMs = Math.max(bufferMs - delay, 0.0);
    bufferMs += CHUNK_DURATION_MS;

    double sleepMs = 0;
    if (bufferMs > BUFFER_THRESHOLD_MS) {
      double drainMs = bufferMs - BUFFER_THRESHOLD_MS;
      sleepMs = Math.ceil(drainMs / DRAIN_BUFFER_SLEEP_MS) * DRAIN_BUFFER_SLEEP_MS;
      bufferMs -= sleepMs;
      double remainingMs = sleepMs;
      while (true) {
        double duration = trace.timeS(pointer) - lastTimeS;
        if (duration > remainingMs / MILLISECONDS_IN_SECOND) {
          lastTimeS += remainingMs / MILLISECONDS_IN_SECOND;
          break;
        }
        remainingMs -= duration * MILLISECONDS_IN_SECOND;
        lastTimeS = trace.timeS(pointer);
        pointer += 1;
        if (pointer >= n) {
          pointer = 1;
          lastTimeS = 0;
        }
      }
    }
    double returnedBufferMs = bufferMs;
    chunkIndex += 1;
    int remaining = TOTAL_CHUNKS - chunkIndex;
    ended = chunkIndex >= TOTAL_CHUNKS;
    return new ChunkDownload(
        quality, sizeBytes, delay, sleepMs, returnedBufferMs, rebufferMs, remaining, ended);
  }

  /**
   * The outcome of one chunk download.
   *
   * @param quality the quality downloaded
   * @param sizeBytes the chunk's size
   * @param delayMs download time, the RTT included
   * @param sleepMs time slept afterwards because the buffer was over the threshold
   * @param bufferMs buffer level after the download and the sleep
   * @param rebufferMs playback stall during the download
   * @param chunksRemaining chunks still to download
   * @param endOfVideo whether this was the last chunk
   */
  public record ChunkDownload(
      int quality,
      long sizeBytes,
      double delayMs,
      double sleepMs,
      double bufferMs,
      double rebufferMs,
      int chunksRemaining,
      boolean endOfVideo) {}
}
