package io.abrfetch.fetcher;

/**
 * A parsed {@code Content-Range: bytes first-last/total} of a 206 response.
 *
 * @param firstByte offset of the first byte
 * @param lastByte offset of the last byte (inclusive)
 * @param totalBytes the object's size, or -1 when the server sent {@code *}
 */
record ContentRange(long firstByte, long lastByte, long totalBytes) {

  long lengthBytes() {
    return lastByte - firstByte + 1;
  }

  /** Parses {@code value}; null when it is absent or not a satisfied byte range. */
  static ContentRange parse(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (!v.regionMatches(true, 0, "bytes ", 0, 6)) {
      return null;
    }
    v = v.substring(6).trim();
    int dash = v.indexOf('-');
    int slash = v.indexOf('/');
    if (dash <= 0 || slash < dash) {
      return null;
    }
    try {
      long first = Long.parseLong(v.substring(0, dash).trim());
      long last = Long.parseLong(v.substring(dash + 1, slash).trim());
      String totalText = v.substring(slash + 1).trim();
      long total = totalText.equals("*") ? -1 : Long.parseLong(totalText);
      if (first < 0 || last < first || (total >= 0 && last >= total)) {
        return null;
      }
      return new ContentRange(first, last, total);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
