package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;

/**
 * A sub-range of a resource, with the offset always known (the parser computes it when the tag
 * omits it).
 *
 * @param offsetBytes first byte of the range, {@code >= 0}
 * @param lengthBytes number of bytes, {@code > 0}; {@code offsetBytes + lengthBytes} never overflows
 */
public record ByteRange(long offsetBytes, long lengthBytes) {
  public ByteRange {
    checkArgument(offsetBytes >= 0, "offsetBytes: %s (expected: >= 0)", offsetBytes);
    checkArgument(lengthBytes > 0, "lengthBytes: %s (expected: > 0)", lengthBytes);
    checkArgument(offsetBytes <= Long.MAX_VALUE - lengthBytes,
        "offsetBytes + lengthBytes: %s + %s (expected: <= Long.MAX_VALUE)", offsetBytes, lengthBytes);
  }

  /** The offset one past the last byte of this range (exclusive end). */
  public long endBytes() {
    return offsetBytes + lengthBytes;
  }

  /** The last byte of this range, inclusive, as an HTTP {@code Range} header needs it. */
  public long lastByteInclusive() {
    return offsetBytes + lengthBytes - 1;
  }
}
