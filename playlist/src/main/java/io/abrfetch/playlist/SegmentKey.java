package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;
import java.util.HexFormat;

/**
 * An encryption key in force ({@code EXT-X-KEY} or {@code EXT-X-SESSION-KEY}).
 *
 * <p>On a {@link Segment} the key is the one in force for that segment, carried forward from the
 * last {@code EXT-X-KEY} tag before it, and {@link #ivHex()} is the IV to decrypt it with: the
 * explicit {@code IV} attribute, or else (RFC 8216 section 5.2) the segment's media sequence
 * number as a 128-bit big-endian integer. A segment with {@code METHOD=NONE} in force has no key at
 * all, so {@code method} is never {@link Method#NONE} on a segment.
 *
 * @param method the encryption method
 * @param uri the resolved key URI; null only for {@link Method#NONE}
 * @param ivHex 32 lowercase hex digits; null for a session key without an explicit IV
 * @param ivExplicit whether the IV came from the tag rather than from the media sequence number
 * @param keyFormat the {@code KEYFORMAT}, {@code "identity"} when absent
 * @param keyFormatVersions the {@code KEYFORMATVERSIONS}, null when absent
 */
public record SegmentKey(
    Method method, URI uri, String ivHex, boolean ivExplicit, String keyFormat,
    String keyFormatVersions) {

  /** The {@code KEYFORMAT} that applies when the tag omits it. */
  public static final String IDENTITY_KEY_FORMAT = "identity";

  /** An {@code EXT-X-KEY METHOD}. */
  public enum Method {
    NONE,
    AES_128,
    SAMPLE_AES,
    SAMPLE_AES_CTR
  }

  public SegmentKey {
    checkNotNull(method, "method");
    checkNotNull(keyFormat, "keyFormat");
    checkArgument(method == Method.NONE || uri != null, "uri: null (expected: non-null for %s)", method);
    checkArgument(ivHex == null || ivHex.matches("[0-9a-f]{32}"),
        "ivHex: %s (expected: 32 lowercase hex digits)", ivHex);
    checkArgument(!ivExplicit || ivHex != null, "ivHex: null (expected: non-null when ivExplicit)");
  }

  /** The IV as 16 bytes (a fresh copy), or null when this key has none. */
  public byte[] ivBytes() {
    return ivHex == null ? null : HexFormat.of().parseHex(ivHex);
  }

  /** The default IV of RFC 8216 section 5.2: the media sequence number as 32 hex digits. */
  public static String defaultIvHex(long mediaSequence) {
    checkArgument(mediaSequence >= 0, "mediaSequence: %s (expected: >= 0)", mediaSequence);
    return String.format("%032x", mediaSequence);
  }
}
