package io.abrfetch.fetcher.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.abrfetch.playlist.Segment;
import io.abrfetch.playlist.SegmentKey;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** AES-128-CBC segment decryption: IVs, plaintext, and typed errors for bad input. */
class HlsSegmentCipherTest {

  private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

  private static Segment segment(long sequence, SegmentKey key) {
    return new Segment(sequence, 0, URI.create("http://h/s.ts"), 1_000_000, 0, null, null, key,
        null, false, null, false, List.of());
  }

  private static byte[] encrypt(byte[] plain, byte[] iv) throws Exception {
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(iv));
    return c.doFinal(plain);
  }

  @Test
  void iv_isTheMediaSequenceBigEndian_whenTheTagHasNone() {
    SegmentKey key = new SegmentKey(SegmentKey.Method.AES_128, URI.create("http://h/k"),
        SegmentKey.defaultIvHex(0x0102), false, "identity", null);
    byte[] iv = SegmentCipher.iv(segment(0x0102, key));
    assertEquals("00000000000000000000000000000102", HexFormat.of().formatHex(iv));
  }

  @Test
  void iv_isTheExplicitOne_whenTheTagHasIt() {
    String explicit = "ffeeddccbbaa99887766554433221100";
    SegmentKey key = new SegmentKey(SegmentKey.Method.AES_128, URI.create("http://h/k"),
        explicit, true, "identity", null);
    assertEquals(explicit, HexFormat.of().formatHex(SegmentCipher.iv(segment(7, key))));
  }

  @Test
  void decrypt_givesThePlaintext() throws Exception {
    byte[] plain = new byte[1000];
    for (int i = 0; i < plain.length; i++) {
      plain[i] = (byte) (i * 31);
    }
    byte[] iv = HexFormat.of().parseHex("00000000000000000000000000000007");
    Buffer out = SegmentCipher.decrypt(KEY, iv, Buffer.buffer(encrypt(plain, iv)), 7, "u");
    assertArrayEquals(plain, out.getBytes());
  }

  @Test
  void decrypt_wrongIv_orPartialBlock_isADecryptionError() throws Exception {
    byte[] iv = new byte[16];
    byte[] cipher = encrypt(new byte[100], iv);
    byte[] wrongKey = KEY.clone();
    wrongKey[0] ^= 1;
    HlsException bad = assertThrows(HlsException.class,
        () -> SegmentCipher.decrypt(wrongKey, iv, Buffer.buffer(cipher), 3, "u"));
    assertEquals(HlsException.Kind.DECRYPTION, bad.kind());
    assertEquals(3, bad.mediaSequence());
    HlsException partial = assertThrows(HlsException.class,
        () -> SegmentCipher.decrypt(KEY, iv, Buffer.buffer(new byte[17]), 3, "u"));
    assertEquals(HlsException.Kind.DECRYPTION, partial.kind());
    HlsException empty = assertThrows(HlsException.class,
        () -> SegmentCipher.decrypt(KEY, iv, Buffer.buffer(), 3, "u"));
    assertEquals(HlsException.Kind.DECRYPTION, empty.kind());
  }
}
