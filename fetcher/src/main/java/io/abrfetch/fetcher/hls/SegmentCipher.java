package io.abrfetch.fetcher.hls;

import io.abrfetch.playlist.Segment;
import io.abrfetch.playlist.SegmentKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128 segment decryption as HLS specifies it (RFC 8216 section 5.2): AES-128-CBC with PKCS#7
 * padding, the IV from the key tag or else the media sequence number as a 128-bit big-endian
 * integer.
 *
 * <p>Pure and thread-safe (a new {@link Cipher} per call): called on the event loop for small
 * segments and on a worker thread for large ones.
 */
final class SegmentCipher {

  static final int KEY_BYTES = 16;
  private static final int BLOCK_BYTES = 16;

  private SegmentCipher() {}

  /** The IV of {@code segment}: the tag's explicit IV, else its media sequence number. */
  static byte[] iv(Segment segment) {
    SegmentKey key = segment.key();
    if (key.ivExplicit()) {
      return key.ivBytes();
    }
    byte[] iv = new byte[BLOCK_BYTES];
    long sequence = segment.mediaSequence();
    for (int i = 0; i < Long.BYTES; i++) {
      iv[BLOCK_BYTES - 1 - i] = (byte) (sequence >>> (8 * i));
    }
    return iv;
  }

  /**
   * The plaintext of {@code body} as a future completing on {@code context}: {@code body} as it is
   * when {@code key} is null, decrypted on a worker (unordered) when it is
   * {@code offLoopThresholdBytes} or larger, so the event loop keeps serving other work, else on
   * the caller's thread. Fails with {@link HlsException.Kind#DECRYPTION}.
   */
  static Future<Buffer> decrypt(Context context, int offLoopThresholdBytes, Segment segment,
      byte[] key, Buffer body) {
    if (key == null) {
      return Future.succeededFuture(body);
    }
    byte[] iv = iv(segment);
    String url = segment.uri().toString();
    long sequence = segment.mediaSequence();
    if (body.length() >= offLoopThresholdBytes) {
      return context.executeBlocking(() -> decrypt(key, iv, body, sequence, url), false);
    }
    try {
      return Future.succeededFuture(decrypt(key, iv, body, sequence, url));
    } catch (HlsException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * The plaintext of {@code ciphertext}.
   *
   * @throws HlsException of kind {@link HlsException.Kind#DECRYPTION} when the length is not a
   *     whole number of blocks or the padding is wrong (a wrong key or IV, or corrupt bytes)
   */
  static Buffer decrypt(byte[] key, byte[] iv, Buffer ciphertext, long mediaSequence,
      String url) {
    if (ciphertext.length() == 0 || ciphertext.length() % BLOCK_BYTES != 0) {
      throw new HlsException(HlsException.Kind.DECRYPTION, "segment " + mediaSequence + " is "
          + ciphertext.length() + " bytes (expected: a positive multiple of 16 for AES-128-CBC)",
          mediaSequence, url, null);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return Buffer.buffer(cipher.doFinal(ciphertext.getBytes()));
    } catch (GeneralSecurityException e) {
      throw new HlsException(HlsException.Kind.DECRYPTION, "segment " + mediaSequence
          + " did not decrypt (" + e.getClass().getSimpleName() + ": wrong key or IV, or corrupt"
          + " bytes)", mediaSequence, url, e);
    }
  }
}
