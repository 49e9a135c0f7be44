package io.abrfetch.fetcher;

import java.util.Objects;

/**
 * Why a range read of a {@link MultiRangeReader} failed or ended early; branch on {@link #kind()},
 * never on the message.
 */
public final class RangeReadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of failure; {@link #isTransient()} says which ones a new read can cure. */
  public enum Kind {
    /** The server has no object at the reader's path ({@code ReadStatus NOT_FOUND}). */
    NOT_FOUND(false),
    /** The read starts past the end of the object ({@code ReadStatus OUT_OF_RANGE}). */
    OUT_OF_RANGE(false),
    /** The object's generation changed since the reader first saw it ({@code FAILED_PRECONDITION}). */
    OBJECT_CHANGED(false),
    /** The server refused the read's arguments ({@code ReadStatus INVALID_ARGUMENT}). */
    INVALID_ARGUMENT(false),
    /** The server failed to read the object ({@code ReadStatus INTERNAL}). */
    SERVER_ERROR(true),
    /** A message's data did not match its CRC32C; the read was cancelled on the server. */
    CHECKSUM_MISMATCH(true),
    /** The server broke the protocol for this read: a gap or overlap in offsets, too many bytes. */
    PROTOCOL(false),
    /** The stream broke and could not be reopened within the reader's attempts. */
    STREAM_BROKEN(true),
    /** The caller cancelled the read. */
    CANCELLED(false),
    /** The reader was closed before the read ended. */
    CLOSED(false);

    private final boolean transientKind;

    Kind(boolean transientKind) {
      this.transientKind = transientKind;
    }

    /** Whether a new read of the same range may succeed. */
    public boolean isTransient() {
      return transientKind;
    }
  }

  private final Kind kind;
  private final long readId;

  /** A failure of read {@code readId} (0 when it concerns no single read). */
  public RangeReadException(Kind kind, long readId, String message) {
    this(kind, readId, message, null);
  }

  /** A failure of read {@code readId} (0 when it concerns no single read) with a cause. */
  public RangeReadException(Kind kind, long readId, String message, Throwable causeOrNull) {
    super(message, causeOrNull);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.readId = readId;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The read that failed, 0 when none in particular. */
  public long readId() {
    return readId;
  }

  /** Shorthand for {@code kind().isTransient()}. */
  public boolean isTransient() {
    return kind.isTransient();
  }
}
