package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.time.Duration;
import java.util.Objects;

/**
 * A lie the origin's gRPC range-read front end ({@link RangeReadOrigin}) tells on one bidi stream;
 * added to its {@link GrpcFaultPlan} for an object path prefix. Byte counts are data bytes of the
 * stream (all reads together), in the order they are sent.
 */
public sealed interface GrpcFault {

  /**
   * Sends {@code bytes} data bytes, then resets the HTTP/2 stream (RST_STREAM, CANCEL): the client
   * sees its stream break while the connection and other streams stay up.
   */
  record DropStreamAfterBytes(long bytes) implements GrpcFault {
    public DropStreamAfterBytes {
      checkArgument(bytes >= 0, "bytes: %s (expected: >= 0)", bytes);
    }
  }

  /** Waits {@code delay} before the stream's first response (the metadata). */
  record DelayFirstResponse(Duration delay) implements GrpcFault {
    public DelayFirstResponse {
      Objects.requireNonNull(delay, "delay");
      checkArgument(!delay.isNegative(), "delay: %s (expected: >= 0)", delay);
    }
  }

  /**
   * Sends the first data message that starts at or after {@code afterBytes} stream bytes with a
   * wrong CRC32C (the data itself is intact); later messages are correct.
   */
  record CorruptChecksum(long afterBytes) implements GrpcFault {
    public CorruptChecksum {
      checkArgument(afterBytes >= 0, "afterBytes: %s (expected: >= 0)", afterBytes);
    }
  }

  /**
   * Sends the first data message that starts at or after {@code afterBytes} stream bytes with an
   * {@code offset} one byte too high (data and checksum intact): a gap a client must detect.
   */
  record WrongOffset(long afterBytes) implements GrpcFault {
    public WrongOffset {
      checkArgument(afterBytes >= 0, "afterBytes: %s (expected: >= 0)", afterBytes);
    }
  }
}
