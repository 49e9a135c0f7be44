package io.abrfetch.fetcher.hls;

/**
 * What a finished {@link VariantDownload} wrote; an immutable value.
 *
 * @param mediaPlaylistUrl the variant's media playlist (after redirects)
 * @param variantIndex the ladder index downloaded (0 for a media playlist given directly)
 * @param segments segments written, in playlist order (gap segments count, with no bytes)
 * @param bytesWritten bytes written to the sink, init sections included
 * @param initSectionsWritten init sections written: the first and one at each change
 * @param encryptedSegments segments that were AES-128 decrypted
 * @param peakHeldBytes the most bytes the reorder window held at once
 * @param elapsedNanos from start to the last write acknowledged
 */
public record VariantDownloadResult(String mediaPlaylistUrl, int variantIndex, int segments,
    long bytesWritten, int initSectionsWritten, int encryptedSegments, long peakHeldBytes,
    long elapsedNanos) {

  /** The average rate in bit/s. */
  public long rateBps() {
    return elapsedNanos <= 0 ? 0 : (long) (bytesWritten * 8e9 / elapsedNanos);
  }
}
