package io.abrfetch.abr.sim;

import java.nio.file.Path;

/** A trace or chunk-size file that cannot be used, with the file and line at fault. */
public final class TraceException extends RuntimeException {

  /** What is wrong with the input. */
  public enum Kind {
    /** The file or folder could not be read. */
    IO,
    /** A line is not {@code time throughput} (or, in a size file, one integer). */
    MALFORMED_LINE,
    /** A value is out of range: negative throughput, time not strictly increasing, size <= 0. */
    OUT_OF_RANGE,
    /** Too few lines to simulate anything. */
    TOO_SHORT
  }

  private final Kind kind;
  private final Path file;
  private final int line;

  TraceException(Kind kind, Path file, int line, String message, Throwable cause) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
    this.kind = kind;
    this.file = file;
    this.line = line;
  }

  public Kind kind() {
    return kind;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** The 1-based line at fault, 0 when the whole file is. */
  public int line() {
    return line;
  }
}
