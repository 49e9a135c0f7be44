package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How to run an {@link OriginServer}: where it listens, what it serves besides {@code /bytes/...},
 * how it shapes bodies, and its seed and clock.
 *
 * @param host the address to bind; loopback by default
 * @param port the port to bind, 0 for an ephemeral one
 * @param directoryOrNull a directory served under {@code /}, or null
 * @param ladderOrNull a synthetic HLS ladder served under {@code /hls/}, or null
 * @param shaping how bodies are rate-limited
 * @param seed seeds the synthetic ladder's bytes and keys
 * @param chunkSizeBytes bodies are written (and shaped) in chunks of at most this many bytes
 * @param maxLogEntries at most this many requests are kept in {@link OriginStats#log()}
 * @param nanoClock the monotonic clock for shaping, the live window and the log, in nanoseconds
 */
public record OriginOptions(
    String host,
    int port,
    Path directoryOrNull,
    LadderOptions ladderOrNull,
    LinkShaping shaping,
    long seed,
    int chunkSizeBytes,
    int maxLogEntries,
    LongSupplier nanoClock) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 0;
  public static final long DEFAULT_SEED = 42L;
  public static final int DEFAULT_CHUNK_SIZE_BYTES = 16 * 1024;
  public static final int DEFAULT_MAX_LOG_ENTRIES = 100_000;

  public OriginOptions {
    Objects.requireNonNull(host, "host");
    checkArgument(!host.isBlank(), "host: '%s' (expected: an address)", host);
    checkArgument(port >= 0 && port <= 65_535, "port: %s (expected: 0..65535)", port);
    Objects.requireNonNull(shaping, "shaping");
    checkArgument(chunkSizeBytes >= 512 && chunkSizeBytes <= 4 * 1024 * 1024,
        "chunkSizeBytes: %s (expected: 512..4194304)", chunkSizeBytes);
    checkArgument(maxLogEntries >= 0, "maxLogEntries: %s (expected: >= 0)", maxLogEntries);
    Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** Loopback, an ephemeral port, only {@code /bytes/...}, no shaping. */
  public static OriginOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder()
        .host(host)
        .port(port)
        .directory(directoryOrNull)
        .ladder(ladderOrNull)
        .shaping(shaping)
        .seed(seed)
        .chunkSizeBytes(chunkSizeBytes)
        .maxLogEntries(maxLogEntries)
        .nanoClock(nanoClock);
  }

  /** Builds {@link OriginOptions}; starts from the {@code DEFAULT_*} constants. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Path directory;
    private LadderOptions ladder;
    private LinkShaping shaping = LinkShaping.unlimited();
    private long seed = DEFAULT_SEED;
    private int chunkSizeBytes = DEFAULT_CHUNK_SIZE_BYTES;
    private int maxLogEntries = DEFAULT_MAX_LOG_ENTRIES;
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** A directory to serve under {@code /}; null for none. */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /** A synthetic ladder to serve under {@code /hls/}; null for none. */
    public Builder ladder(LadderOptions ladder) {
      this.ladder = ladder;
      return this;
    }

    public Builder shaping(LinkShaping shaping) {
      this.shaping = shaping;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder chunkSizeBytes(int chunkSizeBytes) {
      this.chunkSizeBytes = chunkSizeBytes;
      return this;
    }

    public Builder maxLogEntries(int maxLogEntries) {
      this.maxLogEntries = maxLogEntries;
      return this;
    }

    /**
     * The monotonic nanosecond clock; tests inject one to drive the live window. Shaping timers
     * run in real time, so with shaping on the clock must advance at real speed (it may jump).
     */
    public Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    public OriginOptions build() {
      return new OriginOptions(host, port, directory, ladder, shaping, seed, chunkSizeBytes,
          maxLogEntries, nanoClock);
    }
  }
}
