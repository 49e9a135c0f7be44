package io.abrfetch.abr;

/**
 * The segment download in flight for a peer, as seen when the policy is asked whether to abandon
 * it.
 *
 * @param variantIndex ladder index of the variant being downloaded
 * @param loadedBytes body bytes received so far, {@code >= 0}
 * @param totalBytes the segment's full size, {@code > 0} ({@code Content-Length} or a byte range)
 * @param elapsedUs time since the request was sent, {@code >= 0}
 */
public record DownloadProgress(int variantIndex, long loadedBytes, long totalBytes, long elapsedUs) {
  public DownloadProgress {
    if (variantIndex < 0) {
      throw new IllegalArgumentException("variantIndex: " + variantIndex + " (expected: >= 0)");
    }
    if (totalBytes <= 0) {
      throw new IllegalArgumentException("totalBytes: " + totalBytes + " (expected: > 0)");
    }
    if (loadedBytes < 0 || loadedBytes > totalBytes) {
      throw new IllegalArgumentException(
          "loadedBytes: " + loadedBytes + " (expected: 0.." + totalBytes + ")");
    }
    if (elapsedUs < 0) {
      throw new IllegalArgumentException("elapsedUs: " + elapsedUs + " (expected: >= 0)");
    }
  }
}
