package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

/**
 * How to run a {@link RangeReadOrigin}: its port and how large its data messages are. Host, content,
 * shaping and the HTTP fault plan come from the {@link OriginServer} it fronts.
 *
 * @param port the port to bind, 0 for an ephemeral one
 * @param maxMessageDataBytes at most this many data bytes in one {@code RangeData} message
 */
public record RangeReadOriginOptions(int port, int maxMessageDataBytes) {

  public static final int DEFAULT_PORT = 0;
  public static final int DEFAULT_MAX_MESSAGE_DATA_BYTES = 64 * 1024;

  public RangeReadOriginOptions {
    checkArgument(port >= 0 && port <= 65_535, "port: %s (expected: 0..65535)", port);
    // gRPC's default maximum message size is 4 MiB; stay well below it with the envelope.
    checkArgument(maxMessageDataBytes >= 512 && maxMessageDataBytes <= 2 * 1024 * 1024,
        "maxMessageDataBytes: %s (expected: 512..2097152)", maxMessageDataBytes);
  }

  /** An ephemeral port, 64 KiB messages. */
  public static RangeReadOriginOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link RangeReadOriginOptions}; starts from the {@code DEFAULT_*} constants. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private int maxMessageDataBytes = DEFAULT_MAX_MESSAGE_DATA_BYTES;

    private Builder() {}

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder maxMessageDataBytes(int maxMessageDataBytes) {
      this.maxMessageDataBytes = maxMessageDataBytes;
      return this;
    }

    public RangeReadOriginOptions build() {
      return new RangeReadOriginOptions(port, maxMessageDataBytes);
    }
  }
}
