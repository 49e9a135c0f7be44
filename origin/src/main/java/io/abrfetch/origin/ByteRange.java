package io.abrfetch.origin;

/**
 * The outcome of a {@code Range} header against an object's size (RFC 9110 section 14): no usable
 * range (serve everything), one satisfiable range, or unsatisfiable.
 */
sealed interface ByteRange {

  /** The header is absent, malformed, not in bytes, or asks for several ranges: serve 200. */
  record Whole() implements ByteRange {}

  /** Serve 206 with bytes {@code [firstByte, lastByte]}, both inclusive. */
  record Part(long firstByte, long lastByte) implements ByteRange {
    long lengthBytes() {
      return lastByte - firstByte + 1;
    }
  }

  /** Serve 416 with {@code Content-Range: bytes *}{@code /size}. */
  record Unsatisfiable() implements ByteRange {}

  /** Parses {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} against {@code sizeBytes}. */
  static ByteRange parse(String header, long sizeBytes) {
    if (header == null) {
      return new Whole();
    }
    String value = header.strip();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return new Whole();
    }
    String spec = value.substring(6).strip();
    if (spec.indexOf(',') >= 0) {
      // Multipart responses are not served; ignoring Range is allowed.
      return new Whole();
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return new Whole();
    }
    String first = spec.substring(0, dash).strip();
    String last = spec.substring(dash + 1).strip();
    Long firstValue = parseDigits(first);
    Long lastValue = parseDigits(last);
    if (first.isEmpty()) {
      if (lastValue == null) {
        return new Whole();
      }
      if (lastValue == 0 || sizeBytes == 0) {
        return new Unsatisfiable();
      }
      return new Part(Math.max(0, sizeBytes - lastValue), sizeBytes - 1);
    }
    if (firstValue == null || (!last.isEmpty() && (lastValue == null || lastValue < firstValue))) {
      return new Whole();
    }
    if (firstValue >= sizeBytes) {
      return new Unsatisfiable();
    }
    long lastByte = last.isEmpty() ? sizeBytes - 1 : Math.min(lastValue, sizeBytes - 1);
    return new Part(firstValue, lastByte);
  }

  private static Long parseDigits(String text) {
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return Long.parseLong(text);
  }
}
