package io.abrfetch.origin;

import java.util.Objects;

/** A typed failure of the origin: bad configuration input or a request it refuses. */
public final class OriginException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong; branch on this, never on the message. */
  public enum Kind {
    /** A bandwidth trace could not be read or is malformed. */
    TRACE_FORMAT,
    /** The directory to serve does not exist or is not a directory. */
    DIRECTORY,
    /** A request path is malformed or tries to leave the served directory. */
    BAD_PATH,
    /** A fault specification (as given on the command line) is malformed. */
    FAULT_SPEC,
    /** The JVM could not encrypt a synthetic segment. */
    CRYPTO
  }

  private final Kind kind;

  public OriginException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public OriginException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }
}
