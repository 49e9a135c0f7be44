package io.abrfetch.fetcher;

import java.time.Duration;

/**
 * Why a fetch failed (or was refused, or cancelled); branch on {@link #kind()}, never on the
 * message.
 */
public final class FetchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of failure; {@link #isTransient()} says which ones a retry can cure. */
  public enum Kind {
    /** The connection could not be opened or broke before a response head arrived. */
    CONNECT(true),
    /** No connection or no response head within the inactivity timeout. */
    TIMEOUT(true),
    /** The body stopped for longer than the inactivity timeout. */
    STALLED(true),
    /** The connection was reset or closed in the middle of the body. */
    RESET(true),
    /** The body ended before the length its headers promised. */
    TRUNCATED(true),
    /** A {@code grpc://} read's data failed its CRC32C check. */
    CHECKSUM(true),
    /** A {@code grpc://} origin failed to read the object (its {@code ReadStatus INTERNAL}). */
    SERVER_ERROR(true),
    /** A {@code grpc://} origin has no object at the path (HTTP reports a 404 as HTTP_STATUS). */
    NOT_FOUND(false),
    /** A {@code grpc://} origin broke the range-read protocol (offset gap or overlap, excess bytes). */
    PROTOCOL(false),
    /** An HTTP error status; transient for 5xx, 408 and 429 (see {@link #statusCode()}). */
    HTTP_STATUS(false),
    /** The response validator rejected the response (for example an HTML page served with 200). */
    VALIDATION(false),
    /** Range semantics broken: wrong or missing {@code Content-Range}, unsolicited 206, 416. */
    RANGE(false),
    /** The object changed between attempts (its ETag or size differs, or If-Match got 412). */
    CHANGED(false),
    /** The body is longer than its {@code Content-Length}, its range or the expected size. */
    OVERLONG(false),
    /** The total size differs from the request's expected size. */
    SIZE(false),
    /** A collected body would exceed the collect limit. */
    TOO_LARGE(false),
    /** Too many redirects, a redirect loop, or a redirect without a usable Location. */
    REDIRECT(false),
    /** The request's overall deadline passed. */
    DEADLINE(false),
    /** The body sink failed a write. */
    SINK(false),
    /** Refused at submission: the peer's queue is full. Never retried; the request was not accepted. */
    QUEUE_FULL(false),
    /** Refused at submission: the peer handle or the downloader is closed. */
    CLOSED(false),
    /** The request was cancelled; {@link #cancelReason()} says why. */
    CANCELLED(false);

    private final boolean transientByDefault;

    Kind(boolean transientByDefault) {
      this.transientByDefault = transientByDefault;
    }

    /** Whether failures of this kind are worth retrying regardless of details such as status. */
    public boolean isTransientByDefault() {
      return transientByDefault;
    }
  }

  private final Kind kind;
  private final int statusCode;
  private final Duration retryAfter;
  private final CancelReason cancelReason;

  private FetchException(Kind kind, String message, int statusCode, Duration retryAfter,
      CancelReason cancelReason, Throwable cause) {
    super(kind + ": " + message, cause, false, false);
    this.kind = kind;
    this.statusCode = statusCode;
    this.retryAfter = retryAfter;
    this.cancelReason = cancelReason;
  }

  /** A failure of {@code kind} (not {@link Kind#HTTP_STATUS} nor {@link Kind#CANCELLED}). */
  public static FetchException of(Kind kind, String message) {
    return new FetchException(kind, message, 0, null, null, null);
  }

  /** A failure of {@code kind} caused by {@code cause}. */
  public static FetchException of(Kind kind, String message, Throwable cause) {
    return new FetchException(kind, message, 0, null, null, cause);
  }

  /** An HTTP error status, with the server's {@code Retry-After} when it sent one (nullable). */
  public static FetchException httpStatus(int statusCode, String url, Duration retryAfter) {
    return new FetchException(Kind.HTTP_STATUS, "status " + statusCode + " from " + url,
        statusCode, retryAfter, null, null);
  }

  /** A cancellation for {@code reason}. */
  public static FetchException cancelled(CancelReason reason) {
    return new FetchException(Kind.CANCELLED, "cancelled: " + reason, 0, null, reason, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status for {@link Kind#HTTP_STATUS}, else 0. */
  public int statusCode() {
    return statusCode;
  }

  /** The server's {@code Retry-After}, or null when it sent none. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Why the request was cancelled, for {@link Kind#CANCELLED}; else null. */
  public CancelReason cancelReason() {
    return cancelReason;
  }

  /**
   * Whether a retry can cure this failure: connect and inactivity timeouts, resets, truncated
   * bodies, and the statuses 5xx, 408 and 429.
   */
  public boolean isTransient() {
    if (kind == Kind.HTTP_STATUS) {
      return statusCode >= 500 || statusCode == 408 || statusCode == 429;
    }
    return kind.isTransientByDefault();
  }
}
