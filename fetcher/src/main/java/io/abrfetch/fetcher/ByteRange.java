package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;

/**
 * A byte range of an object: {@code lengthBytes} bytes from {@code offsetBytes}, or every byte from
 * {@code offsetBytes} to the end when {@code lengthBytes} is {@link #TO_END}.
 *
 * @param offsetBytes first byte, zero-based, at least 0
 * @param lengthBytes number of bytes, at least 1, or {@link #TO_END}
 */
public record ByteRange(long offsetBytes, long lengthBytes) {

  /** The {@code lengthBytes} of an open-ended range. */
  public static final long TO_END = -1;

  public ByteRange {
    checkArgument(offsetBytes >= 0, "offsetBytes: %s (expected: >= 0)", offsetBytes);
    checkArgument(lengthBytes > 0 || lengthBytes == TO_END,
        "lengthBytes: %s (expected: > 0 or TO_END)", lengthBytes);
  }

  /** {@code lengthBytes} bytes starting at {@code offsetBytes}. */
  public static ByteRange of(long offsetBytes, long lengthBytes) {
    return new ByteRange(offsetBytes, lengthBytes);
  }

  /** Every byte from {@code offsetBytes} to the end of the object. */
  public static ByteRange from(long offsetBytes) {
    return new ByteRange(offsetBytes, TO_END);
  }

  /** Whether the range has a known end. */
  public boolean isBounded() {
    return lengthBytes != TO_END;
  }

  /** The offset one past the last byte, or {@link Long#MAX_VALUE} when open-ended. */
  public long endExclusive() {
    return isBounded() ? offsetBytes + lengthBytes : Long.MAX_VALUE;
  }
}
