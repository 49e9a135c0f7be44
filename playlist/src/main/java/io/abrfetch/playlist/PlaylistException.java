package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkNotNull;

/**
 * A playlist that cannot be parsed: it names the line (1-based, 0 when the problem is not on one
 * line) and what was expected. Branch on {@link #kind()}, never on the message.
 */
public final class PlaylistException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What is wrong with the playlist. */
  public enum Kind {
    /** The input does not start with {@code #EXTM3U}. */
    NOT_M3U8,
    /** The input is not UTF-8 text, or holds control characters. */
    BAD_ENCODING,
    /**
     * The input ends where more was required: a URI line after {@code #EXTINF} or
     * {@code #EXT-X-STREAM-INF}, or any tag after {@code #EXTM3U}.
     */
    TRUNCATED,
    /** A tag's value does not have the expected syntax (a duration that is not a number). */
    BAD_TAG,
    /** An attribute list is malformed, or an attribute is missing or has a bad value. */
    BAD_ATTRIBUTE,
    /** A required tag is absent ({@code EXT-X-TARGETDURATION}, any {@code EXT-X-STREAM-INF}). */
    MISSING_TAG,
    /** A URI line is missing, or appears where none is allowed. */
    MISSING_URI,
    /** A number is well-formed but outside its allowed range. */
    OUT_OF_RANGE,
    /** A URI cannot be parsed or resolved. */
    BAD_URI,
    /** Master playlist tags and media playlist tags appear in the same playlist. */
    MIXED_MASTER_MEDIA,
    /** Tags contradict each other (a byte range offset with no previous sub-range to follow). */
    INCONSISTENT,
    /** A master playlist was given where a media playlist was expected, or the reverse. */
    WRONG_TYPE,
    /** The playlist is bigger than {@link PlaylistParserOptions#maxSizeBytes()}. */
    TOO_LARGE,
    /** The playlist has more segments than {@link PlaylistParserOptions#maxSegments()}. */
    TOO_MANY_SEGMENTS
  }

  private final Kind kind;
  private final int lineNumber;

  PlaylistException(Kind kind, int lineNumber, String problem) {
    this(kind, lineNumber, problem, null);
  }

  PlaylistException(Kind kind, int lineNumber, String problem, Throwable cause) {
    super((lineNumber > 0 ? "line " + lineNumber + ": " : "") + checkNotNull(problem, "problem"), cause);
    this.kind = checkNotNull(kind, "kind");
    this.lineNumber = lineNumber;
  }

  /** What is wrong. */
  public Kind kind() {
    return kind;
  }

  /** The 1-based line of the problem, 0 when it is not on one line (size limit, missing tag). */
  public int lineNumber() {
    return lineNumber;
  }
}
