package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkArgument;
import static io.abrfetch.fetcher.Checks.checkNotNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One GET a peer asks its downloader for; build it with {@link #builder(String)}.
 *
 * @param url absolute http or https URL, or {@code grpc://host:port/path}: the object at
 *     {@code path} read over the origin's gRPC range-read service (one multiplexed stream per
 *     object, see {@link MultiRangeReader}); such a request has no headers and no range probe
 * @param range the byte range to fetch, or null for the whole object
 * @param priority whether a reader is blocked on it
 * @param expectedSizeBytes the exact size of the body (the range's length for ranged requests)
 *     when known, else {@link #UNKNOWN_SIZE}; a different size fails the request
 *     ({@link FetchException.Kind#SIZE} or {@link FetchException.Kind#OVERLONG})
 * @param mediaDurationUs media duration the body holds, for the soft deadline; 0 when unknown
 * @param validator checks every 200/206 response head before a byte is delivered
 * @param sink where the body goes
 * @param headers extra request headers (for example authorization); never Range or If-*
 * @param totalTimeout overall cap of this request including retries, or null for the
 *     downloader's {@link DownloaderOptions#requestTimeout()}
 * @param ifMatch a strong ETag the object must still have, or null: sent as {@code If-Match} on
 *     every attempt (not only on resumes); a 412 or a response with another ETag fails the
 *     request with {@link FetchException.Kind#CHANGED}
 * @param rangeProbe whether {@code range} (bounded, from byte 0) only probes an object of unknown
 *     size: a 206 clamped at the object's end (the object is smaller than the range) is accepted
 *     and delivered whole, a 200 (the origin ignored {@code Range}) delivers the whole object
 *     instead of the range's slice, and a 416 (nothing to serve from byte 0: the object is empty)
 *     completes the request with no body; {@code expectedSizeBytes} must then be unknown
 */
public record FetchRequest(String url, ByteRange range, RequestPriority priority,
    long expectedSizeBytes, long mediaDurationUs, ResponseValidator validator, BodySink sink,
    Map<String, String> headers, Duration totalTimeout, String ifMatch, boolean rangeProbe) {

  /** The {@code expectedSizeBytes} of a request whose size is not known in advance. */
  public static final long UNKNOWN_SIZE = -1;
  /** Default collect limit: 64 MiB. */
  public static final int DEFAULT_COLLECT_LIMIT_BYTES = 64 * 1024 * 1024;

  public FetchRequest {
    checkNotNull(url, "url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url: " + url + " (expected: an absolute http(s) URL): "
          + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean grpc = scheme.equals("grpc");
    checkArgument((scheme.equals("http") || scheme.equals("https") || grpc)
        && uri.getHost() != null && (!grpc || uri.getPort() > 0),
        "url: %s (expected: an absolute http(s) URL with a host, or grpc://host:port/path)", url);
    checkNotNull(priority, "priority");
    checkArgument(expectedSizeBytes >= 0 || expectedSizeBytes == UNKNOWN_SIZE,
        "expectedSizeBytes: %s (expected: >= 0 or UNKNOWN_SIZE)", expectedSizeBytes);
    checkArgument(range == null || !range.isBounded() || expectedSizeBytes == UNKNOWN_SIZE
        || expectedSizeBytes == range.lengthBytes(),
        "expectedSizeBytes: %s (expected: the range length %s)", expectedSizeBytes, range);
    checkArgument(mediaDurationUs >= 0, "mediaDurationUs: %s (expected: >= 0)", mediaDurationUs);
    checkNotNull(validator, "validator");
    checkNotNull(sink, "sink");
    checkNotNull(headers, "headers");
    headers = Map.copyOf(headers);
    for (String name : headers.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      checkArgument(!lower.equals("range") && !lower.startsWith("if-"),
          "headers: %s (expected: no Range or If-* header; the downloader owns those)", name);
    }
    checkArgument(totalTimeout == null || totalTimeout.toMillis() > 0,
        "totalTimeout: %s (expected: null or >= 1 ms)", totalTimeout);
    checkArgument(ifMatch == null || (!ifMatch.isBlank() && !ifMatch.startsWith("W/")),
        "ifMatch: %s (expected: null or a strong ETag)", ifMatch);
    // A grpc:// read learns the object's size itself and sends no HTTP headers.
    checkArgument(!grpc || (!rangeProbe && headers.isEmpty()),
        "url: %s with rangeProbe %s and headers %s (expected: grpc:// without either)", url,
        rangeProbe, headers.keySet());
    checkArgument(!rangeProbe || (range != null && range.isBounded() && range.offsetBytes() == 0
        && expectedSizeBytes == UNKNOWN_SIZE),
        "rangeProbe with range %s and expectedSizeBytes %s (expected: a bounded range from byte 0"
            + " and UNKNOWN_SIZE)", range, expectedSizeBytes);
  }

  /** A builder for a GET of {@code url}: whole object, prefetch, collected up to 64 MiB. */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** A builder starting from this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder(url);
    b.range = range;
    b.priority = priority;
    b.expectedSizeBytes = expectedSizeBytes;
    b.mediaDurationUs = mediaDurationUs;
    b.validator = validator;
    b.sink = sink;
    b.headers.putAll(headers);
    b.totalTimeout = totalTimeout;
    b.ifMatch = ifMatch;
    b.rangeProbe = rangeProbe;
    return b;
  }

  /** Builds a {@link FetchRequest}. */
  public static final class Builder {
    private final String url;
    private ByteRange range;
    private RequestPriority priority = RequestPriority.PREFETCH;
    private long expectedSizeBytes = UNKNOWN_SIZE;
    private long mediaDurationUs;
    private ResponseValidator validator = ResponseValidator.rejectHtml();
    private BodySink sink = BodySink.collect(DEFAULT_COLLECT_LIMIT_BYTES);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration totalTimeout;
    private String ifMatch;
    private boolean rangeProbe;

    private Builder(String url) {
      this.url = url;
    }

    public Builder range(ByteRange range) {
      this.range = range;
      if (range != null && range.isBounded()) {
        this.expectedSizeBytes = range.lengthBytes();
      }
      return this;
    }

    public Builder priority(RequestPriority priority) {
      this.priority = priority;
      return this;
    }

    public Builder expectedSizeBytes(long expectedSizeBytes) {
      this.expectedSizeBytes = expectedSizeBytes;
      return this;
    }

    public Builder mediaDurationUs(long mediaDurationUs) {
      this.mediaDurationUs = mediaDurationUs;
      return this;
    }

    public Builder validator(ResponseValidator validator) {
      this.validator = validator;
      return this;
    }

    public Builder sink(BodySink sink) {
      this.sink = sink;
      return this;
    }

    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Builder totalTimeout(Duration totalTimeout) {
      this.totalTimeout = totalTimeout;
      return this;
    }

    /** Pins the object to {@code etag} from the first attempt on (see {@link FetchRequest#ifMatch()}). */
    public Builder ifMatch(String etag) {
      this.ifMatch = etag;
      return this;
    }

    /**
     * Makes the bounded range from byte 0 a probe of an object of unknown size (see
     * {@link FetchRequest#rangeProbe()}); also forgets the expected size the range implied.
     */
    public Builder rangeProbe(boolean rangeProbe) {
      this.rangeProbe = rangeProbe;
      if (rangeProbe) {
        this.expectedSizeBytes = UNKNOWN_SIZE;
      }
      return this;
    }

    public FetchRequest build() {
      return new FetchRequest(url, range, priority, expectedSizeBytes, mediaDurationUs, validator,
          sink, headers, totalTimeout, ifMatch, rangeProbe);
    }
  }
}
