package io.abrfetch.origin;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the gRPC range-read front end served: streams, reads and data bytes, so tests check on the
 * server side that a cancelled read stopped and that a reopen happened once.
 *
 * <p>Thread-safe: updated on the server's event loop, read from any thread. Each counter is
 * consistent on its own; two reads are not a snapshot of the same instant.
 */
public final class RangeReadStats {

  private final AtomicLong streamsOpened = new AtomicLong();
  private final AtomicLong activeStreams = new AtomicLong();
  private final AtomicLong readsStarted = new AtomicLong();
  private final AtomicLong readsCompleted = new AtomicLong();
  private final AtomicLong readsCancelled = new AtomicLong();
  private final AtomicLong readsFailed = new AtomicLong();
  private final AtomicLong dataBytesSent = new AtomicLong();
  private final AtomicLong dataMessagesSent = new AtomicLong();
  private final AtomicLong streamsDropped = new AtomicLong();

  RangeReadStats() {}

  /** Bidi streams opened (calls received). */
  public long streamsOpened() {
    return streamsOpened.get();
  }

  /** Bidi streams not yet ended, cancelled or broken. */
  public long activeStreams() {
    return activeStreams.get();
  }

  /** Reads accepted (including resumed reads on a reopened stream). */
  public long readsStarted() {
    return readsStarted.get();
  }

  /** Reads whose last message ({@code range_end}) was sent. */
  public long readsCompleted() {
    return readsCompleted.get();
  }

  /** Reads the client cancelled before their end. */
  public long readsCancelled() {
    return readsCancelled.get();
  }

  /** Reads answered with a non-OK {@code ReadStatus}. */
  public long readsFailed() {
    return readsFailed.get();
  }

  /** Data bytes sent in {@code RangeData} messages, counted as each message is written. */
  public long dataBytesSent() {
    return dataBytesSent.get();
  }

  /** {@code RangeData} messages written. */
  public long dataMessagesSent() {
    return dataMessagesSent.get();
  }

  /** Streams reset by a {@link GrpcFault.DropStreamAfterBytes} or an HTTP reset fault. */
  public long streamsDropped() {
    return streamsDropped.get();
  }

  void streamOpened() {
    streamsOpened.incrementAndGet();
    activeStreams.incrementAndGet();
  }

  void streamClosed() {
    activeStreams.decrementAndGet();
  }

  void streamDropped() {
    streamsDropped.incrementAndGet();
  }

  void readStarted() {
    readsStarted.incrementAndGet();
  }

  void readCompleted() {
    readsCompleted.incrementAndGet();
  }

  void readCancelled() {
    readsCancelled.incrementAndGet();
  }

  void readFailed() {
    readsFailed.incrementAndGet();
  }

  void dataSent(long bytes) {
    dataBytesSent.addAndGet(bytes);
    dataMessagesSent.incrementAndGet();
  }
}
