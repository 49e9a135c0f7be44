package io.abrfetch.origin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the origin served: requests (in total and per path), body bytes, connections and requests
 * open at once with their peaks, and a bounded request log.
 *
 * <p>Thread-safe: the server updates it on its event loop while tests read it from their own
 * thread. Each counter is consistent on its own; two reads are not a snapshot of the same instant.
 */
public final class OriginStats {

  private final int maxLogEntries;
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, LongAdder> requestsByPath = new ConcurrentHashMap<>();
  private final AtomicLong bodyBytesServed = new AtomicLong();
  private final Object gaugeLock = new Object();
  // Guarded by gaugeLock.
  private int openConnections;
  private int maxOpenConnections;
  private int activeRequests;
  private int maxActiveRequests;
  private final List<ServedRequest> log = new ArrayList<>();
  private long droppedLogEntries;

  OriginStats(int maxLogEntries) {
    this.maxLogEntries = maxLogEntries;
  }

  /** Requests received since start or the last {@link #reset()}. */
  public long requests() {
    return requests.get();
  }

  /** Requests received for exactly {@code path} (as sent, without the query). */
  public long requests(String path) {
    LongAdder adder = requestsByPath.get(path);
    return adder == null ? 0 : adder.sum();
  }

  /** Every path requested, with its request count. */
  public Map<String, Long> requestsByPath() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    requestsByPath.forEach((path, adder) -> copy.put(path, adder.sum()));
    return copy;
  }

  /** Body bytes written to connections, counted chunk by chunk as they are written. */
  public long bodyBytesServed() {
    return bodyBytesServed.get();
  }

  /** TCP connections open now. */
  public int openConnections() {
    synchronized (gaugeLock) {
      return openConnections;
    }
  }

  /** The most TCP connections open at once. */
  public int maxOpenConnections() {
    synchronized (gaugeLock) {
      return maxOpenConnections;
    }
  }

  /** Requests received whose response has not ended and whose connection is still open. */
  public int activeRequests() {
    synchronized (gaugeLock) {
      return activeRequests;
    }
  }

  /** The most requests in flight at once: the server-side check of a client's concurrency caps. */
  public int maxActiveRequests() {
    synchronized (gaugeLock) {
      return maxActiveRequests;
    }
  }

  /** The logged requests, oldest first; at most {@link OriginOptions#maxLogEntries()} are kept. */
  public List<ServedRequest> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** Requests that ended after the log was full and were counted but not logged. */
  public long droppedLogEntries() {
    synchronized (log) {
      return droppedLogEntries;
    }
  }

  /**
   * Zeroes the counters and empties the log; the peaks restart from what is open now, so a test
   * can measure one phase.
   */
  public void reset() {
    requests.set(0);
    requestsByPath.clear();
    bodyBytesServed.set(0);
    synchronized (gaugeLock) {
      maxOpenConnections = openConnections;
      maxActiveRequests = activeRequests;
    }
    synchronized (log) {
      log.clear();
      droppedLogEntries = 0;
    }
  }

  void connectionOpened() {
    synchronized (gaugeLock) {
      openConnections++;
      maxOpenConnections = Math.max(maxOpenConnections, openConnections);
    }
  }

  void connectionClosed() {
    synchronized (gaugeLock) {
      openConnections--;
    }
  }

  void requestStarted(String path) {
    requests.incrementAndGet();
    requestsByPath.computeIfAbsent(path, unused -> new LongAdder()).increment();
    synchronized (gaugeLock) {
      activeRequests++;
      maxActiveRequests = Math.max(maxActiveRequests, activeRequests);
    }
  }

  void bodyBytesWritten(long bytes) {
    bodyBytesServed.addAndGet(bytes);
  }

  void requestEnded(ServedRequest served) {
    synchronized (gaugeLock) {
      activeRequests--;
    }
    synchronized (log) {
      if (log.size() < maxLogEntries) {
        log.add(served);
      } else {
        droppedLogEntries++;
      }
    }
  }
}
