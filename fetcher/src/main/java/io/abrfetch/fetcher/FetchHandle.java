package io.abrfetch.fetcher;

import io.vertx.core.Future;

/**
 * One submitted request: its id, its outcome, and the controls that act on it while it is live.
 *
 * <p>Threading: every method may be called from any thread.
 */
public final class FetchHandle {

  private final Downloader downloader;
  private final long requestId;
  private final Future<FetchResult> result;
  private final Future<ResponseHead> head;

  FetchHandle(Downloader downloader, long requestId, Future<FetchResult> result,
      Future<ResponseHead> head) {
    this.downloader = downloader;
    this.requestId = requestId;
    this.result = result;
    this.head = head;
  }

  /** The id carried by every {@link FetchEvent} of this request. */
  public long requestId() {
    return requestId;
  }

  /**
   * Completes with the result, or fails with a {@link FetchException}: its kind says whether it
   * failed, was refused ({@code QUEUE_FULL}, {@code CLOSED}) or was cancelled ({@code CANCELLED},
   * with the {@link FetchException#cancelReason()}). Callbacks run on the downloader's event loop.
   */
  public Future<FetchResult> result() {
    return result;
  }

  /**
   * Completes with the head (status and headers) of the first response the downloader accepted,
   * before any of its body reaches the sink; a later attempt (a resume) does not complete it
   * again. For a {@link FetchRequest#rangeProbe()} answered 416 it is that 416 head. Fails like
   * {@link #result()} when the request ends without an accepted response. Callbacks run on the
   * downloader's event loop, possibly after the first body bytes were delivered.
   */
  public Future<ResponseHead> head() {
    return head;
  }

  /** Cancels the request ({@link CancelReason#CALLER}); true when it was still live. */
  public Future<Boolean> cancel() {
    return downloader.cancel(requestId, CancelReason.CALLER);
  }

  /**
   * Changes the request's priority; a queued request moves to its new slot, a running one keeps
   * running (a BLOCKING one can no longer be preempted). True when it was still live.
   */
  public Future<Boolean> changePriority(RequestPriority priority) {
    Checks.checkNotNull(priority, "priority");
    return downloader.changePriority(requestId, priority);
  }
}
