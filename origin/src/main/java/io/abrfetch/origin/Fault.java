package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.time.Duration;
import java.util.Objects;

/**
 * A lie the origin tells on one response; added to a {@link FaultPlan} for a path prefix or drawn by
 * its seeded schedule.
 *
 * <p>Faults are independent of HTTP framing where they can be (delays, stalls, resets, short and
 * overlong bodies), so a range-read server on another protocol can reuse them. Several faults may
 * apply to one request, at most one of each type and one that replaces the response
 * ({@link Status}, {@link HtmlPage200}, {@link RedirectLoop}); see {@link FaultPlan}.
 */
public sealed interface Fault {

  /**
   * Parses the command-line form of a fault:
   * {@code delay:DUR}, {@code stall:BYTES:DUR}, {@code reset:BYTES}, {@code status:CODE[:DUR]}
   * (DUR = {@code Retry-After}), {@code html}, {@code ignore-range}, {@code wrong-range},
   * {@code etag-change}, {@code short:BYTES}, {@code overlong:BYTES}, {@code redirect-loop};
   * DUR is a number with {@code ms}, {@code s} or {@code m} ({@code 500ms}, {@code 1.5s}).
   *
   * @throws OriginException of kind {@code FAULT_SPEC} when {@code spec} is malformed
   */
  static Fault parse(String spec) {
    return FaultSpec.parse(spec);
  }

  /** Waits {@code delay} before sending the status line and headers. */
  record DelayFirstByte(Duration delay) implements Fault {
    public DelayFirstByte {
      Objects.requireNonNull(delay, "delay");
      checkArgument(!delay.isNegative(), "delay: %s (expected: >= 0)", delay);
    }
  }

  /**
   * Sends the headers and {@code bytes} body bytes, then nothing for {@code stall}, then the rest.
   * No stall happens when the body is not longer than {@code bytes}.
   */
  record StallAfterBytes(long bytes, Duration stall) implements Fault {
    public StallAfterBytes {
      checkArgument(bytes >= 0, "bytes: %s (expected: >= 0)", bytes);
      Objects.requireNonNull(stall, "stall");
      checkArgument(!stall.isNegative(), "stall: %s (expected: >= 0)", stall);
    }
  }

  /**
   * Sends the headers and {@code bytes} body bytes, then resets the TCP connection (RST). No reset
   * happens when the body is not longer than {@code bytes}.
   */
  record ResetAfterBytes(long bytes) implements Fault {
    public ResetAfterBytes {
      checkArgument(bytes >= 0, "bytes: %s (expected: >= 0)", bytes);
    }
  }

  /**
   * Answers with an error status (4xx or 5xx) and a small text body instead of the content, with a
   * {@code Retry-After} header in whole seconds (rounded up) when {@code retryAfterOrNull} is set.
   */
  record Status(int code, Duration retryAfterOrNull) implements Fault {
    public Status {
      checkArgument(code >= 400 && code <= 599, "code: %s (expected: 400..599)", code);
      checkArgument(retryAfterOrNull == null || !retryAfterOrNull.isNegative(),
          "retryAfterOrNull: %s (expected: null or >= 0)", retryAfterOrNull);
    }

    /** A status without {@code Retry-After}. */
    public static Status of(int code) {
      return new Status(code, null);
    }
  }

  /** Answers 200 with a {@code text/html} error page instead of the content. */
  record HtmlPage200() implements Fault {}

  /** Answers 200 with the full body even when the request has a satisfiable {@code Range}. */
  record IgnoreRange() implements Fault {}

  /**
   * Answers 206 with the requested bytes but a {@code Content-Range} whose start and end are shifted
   * up by one body chunk ({@link OriginOptions#chunkSizeBytes()}); a request without {@code Range}
   * is answered as if it asked for {@code bytes=0-}.
   */
  record WrongContentRange() implements Fault {}

  /**
   * Bumps the generation of the object at the request's path before the request is evaluated: its
   * ETag changes from this request on (the bytes stay the same), so an older {@code If-Match} gets
   * 412 and an older {@code If-Range} gets the full body.
   */
  record EtagChange() implements Fault {}

  /**
   * Promises the real length in {@code Content-Length}, sends {@code missingBytes} fewer body bytes,
   * then closes the connection.
   */
  record ShortBody(long missingBytes) implements Fault {
    public ShortBody {
      checkArgument(missingBytes > 0, "missingBytes: %s (expected: > 0)", missingBytes);
    }
  }

  /**
   * Sends the body with chunked transfer encoding (no {@code Content-Length}) followed by
   * {@code extraBytes} bytes that are not part of the object.
   */
  record OverlongBody(long extraBytes) implements Fault {
    public OverlongBody {
      checkArgument(extraBytes > 0, "extraBytes: %s (expected: > 0)", extraBytes);
    }
  }

  /** Answers 302 with {@code Location} pointing at the request's own path and query. */
  record RedirectLoop() implements Fault {}
}
