package io.abrfetch.fetcher;

import java.time.Duration;
import java.util.List;

/**
 * What happened to one request, keyed by its {@link #requestId()} (monotonic per downloader).
 *
 * <p>Every accepted request sees exactly one {@link Enqueued} first and exactly one ending last:
 * {@link Completed}, {@link Failed} or {@link Cancelled}. Events are delivered on the downloader's
 * event loop, to the peer's listeners and to the downloader's global listeners; a listener must not
 * block. Times are on the downloader's {@link DownloaderOptions#nanoClock()}.
 */
public sealed interface FetchEvent {

  long requestId();

  String peerId();

  /** Accepted into the peer's queue. */
  record Enqueued(long requestId, String peerId, String url, RequestPriority priority,
      boolean peerPlaying) implements FetchEvent {}

  /** An attempt was dispatched ({@code attempt} 1 is the first); {@code queuedNanos} waited. */
  record Started(long requestId, String peerId, int attempt, long queuedNanos)
      implements FetchEvent {}

  /** The response head of an attempt arrived and was accepted. */
  record FirstByte(long requestId, String peerId, int attempt, int statusCode,
      long timeToFirstByteNanos, boolean partial) implements FetchEvent {}

  /**
   * The request passed its soft deadline and keeps running; emitted at most once.
   * {@code expectedSizeBytes} is the request's stated size, else the body size its response headers
   * promise, else -1.
   */
  record LoadSlow(long requestId, String peerId, long elapsedNanos, long receivedBytes,
      long expectedSizeBytes) implements FetchEvent {}

  /** No progress for the inactivity timeout; the attempt is abandoned and will be resumed. */
  record Stalled(long requestId, String peerId, int attempt, long receivedBytes,
      Duration inactivity) implements FetchEvent {}

  /**
   * An attempt continued a partly received body from {@code fromOffsetBytes} (relative to the
   * requested range); {@code rangeHonoured} is false when the origin answered 200 and the
   * downloader skipped what it already had.
   */
  record Resumed(long requestId, String peerId, int attempt, long fromOffsetBytes,
      boolean rangeHonoured) implements FetchEvent {}

  /** An attempt failed with {@code cause}; the next one starts after {@code delay}. */
  record Retrying(long requestId, String peerId, int failedAttempt, Duration delay,
      FetchException.Kind cause, int statusCode) implements FetchEvent {}

  /**
   * A running request was taken off the wire and put back in its queue (keeping its bytes so far)
   * because blocking work preempted it or the watchdog healed a hang. Not an ending.
   */
  record Requeued(long requestId, String peerId, RequeueReason reason, long receivedBytes)
      implements FetchEvent {}

  /**
   * Ending: the whole body was delivered. {@code transferNanos} and {@code overlappingTransfers}
   * are what the ABR controller was fed: body time without time to first byte (summed over
   * attempts), and the time-weighted mean number of body transfers sharing the link during this
   * one's (itself included, so at least 1; 1.1 for a transfer that had company for a tenth of
   * its time).
   */
  record Completed(long requestId, String peerId, long sizeBytes, long elapsedNanos, int attempts,
      long transferNanos, double overlappingTransfers) implements FetchEvent {}

  /** Ending: the request failed for good. */
  record Failed(long requestId, String peerId, FetchException.Kind kind, int statusCode,
      int attempts, String message) implements FetchEvent {}

  /** Ending: the request was cancelled; {@code receivedBytes} had been delivered. */
  record Cancelled(long requestId, String peerId, CancelReason reason, long receivedBytes)
      implements FetchEvent {}

  /**
   * The hang watchdog saw no progress for its window while this request was running; {@code dump}
   * lists every stuck request of that episode. The request is then requeued.
   */
  record Hung(long requestId, String peerId, Duration stalledFor, List<StuckRequest> dump)
      implements FetchEvent {
    public Hung {
      dump = List.copyOf(dump);
    }
  }

  /** Why a request went back to its queue. */
  enum RequeueReason {
    PREEMPTED,
    HUNG
  }

  /**
   * One line of a hang dump.
   *
   * @param sinceNanos when its last progress happened (dispatch, head or body byte)
   */
  record StuckRequest(long requestId, String peerId, String url, int attempt, long sinceNanos,
      long receivedBytes) {}
}
