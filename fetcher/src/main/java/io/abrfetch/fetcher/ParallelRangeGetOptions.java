package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;
import static io.abrfetch.fetcher.Checks.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a {@link ParallelRangeGet} splits and fetches one object; build it with {@link #builder()}.
 *
 * @param chunkSizeBytes bytes per range request (the last chunk may be shorter), at least 1
 * @param concurrency most range requests of this download in flight at once, 1 to
 *     {@link #MAX_CONCURRENCY}; 1 means one plain GET without {@code Range}, end to end
 * @param windowChunks how many chunks, counted from the oldest one not yet written to the sink, may
 *     be started; it bounds the bytes held in memory to {@code windowChunks x chunkSizeBytes}
 *     whatever the object's size or the sink's speed; at least {@code concurrency}
 * @param priority the priority of every request of the download
 * @param validator checks every 200/206 response head before a byte is delivered
 * @param headers extra request headers (for example authorization); never Range or If-*
 */
public record ParallelRangeGetOptions(int chunkSizeBytes, int concurrency, int windowChunks,
    RequestPriority priority, ResponseValidator validator, Map<String, String> headers) {

  /** Default chunk size: 8 MiB. */
  public static final int DEFAULT_CHUNK_SIZE_BYTES = 8 * 1024 * 1024;
  /** Default concurrency: 4 range requests. */
  public static final int DEFAULT_CONCURRENCY = 4;
  /** The window is {@code DEFAULT_WINDOW_FACTOR x concurrency} chunks unless set. */
  public static final int DEFAULT_WINDOW_FACTOR = 2;
  /** The largest concurrency accepted. */
  public static final int MAX_CONCURRENCY = 1024;

  public ParallelRangeGetOptions {
    checkArgument(chunkSizeBytes > 0, "chunkSizeBytes: %s (expected: > 0)", chunkSizeBytes);
    checkArgument(concurrency >= 1 && concurrency <= MAX_CONCURRENCY,
        "concurrency: %s (expected: 1..%s)", concurrency, MAX_CONCURRENCY);
    checkArgument(windowChunks >= concurrency, "windowChunks: %s (expected: >= concurrency %s)",
        windowChunks, concurrency);
    checkArgument((long) windowChunks * chunkSizeBytes <= Long.MAX_VALUE / 2,
        "windowChunks x chunkSizeBytes: %s x %s (expected: no overflow)", windowChunks,
        chunkSizeBytes);
    checkNotNull(priority, "priority");
    checkNotNull(validator, "validator");
    checkNotNull(headers, "headers");
    headers = Map.copyOf(headers);
    for (String name : headers.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      checkArgument(!lower.equals("range") && !lower.startsWith("if-"),
          "headers: %s (expected: no Range or If-* header; the download owns those)", name);
    }
  }

  /** The defaults: 8 MiB chunks, 4 in flight, a window of 8 chunks, prefetch priority. */
  public static ParallelRangeGetOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The most bytes the download holds in memory at once: {@code windowChunks x chunkSizeBytes}. */
  public long bufferBoundBytes() {
    return (long) windowChunks * chunkSizeBytes;
  }

  /** Builds {@link ParallelRangeGetOptions}. */
  public static final class Builder {
    private int chunkSizeBytes = DEFAULT_CHUNK_SIZE_BYTES;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int windowChunks;
    private RequestPriority priority = RequestPriority.PREFETCH;
    private ResponseValidator validator = ResponseValidator.rejectHtml();
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {}

    public Builder chunkSizeBytes(int chunkSizeBytes) {
      this.chunkSizeBytes = chunkSizeBytes;
      return this;
    }

    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /** The window in chunks; 0 (the default) means {@code DEFAULT_WINDOW_FACTOR x concurrency}. */
    public Builder windowChunks(int windowChunks) {
      this.windowChunks = windowChunks;
      return this;
    }

    public Builder priority(RequestPriority priority) {
      this.priority = priority;
      return this;
    }

    public Builder validator(ResponseValidator validator) {
      this.validator = validator;
      return this;
    }

    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public ParallelRangeGetOptions build() {
      int window = windowChunks != 0 ? windowChunks
          : (int) Math.min(Integer.MAX_VALUE, (long) DEFAULT_WINDOW_FACTOR * concurrency);
      return new ParallelRangeGetOptions(chunkSizeBytes, concurrency, window, priority, validator,
          headers);
    }
  }
}
