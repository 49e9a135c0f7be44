package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The deterministic blob generator: any slice equals the same bytes of the whole. */
class SyntheticContentTest {

  @Test
  void anySliceEqualsThatRangeOfTheWhole() {
    byte[] whole = SyntheticContent.bytes("/bytes/4096/x", 0, 4096);
    for (int offset : new int[] {0, 1, 7, 8, 9, 15, 1000, 4090}) {
      for (int length : new int[] {0, 1, 3, 8, 13, 64}) {
        if (offset + length > whole.length) {
          continue;
        }
        assertArrayEquals(Arrays.copyOfRange(whole, offset, offset + length),
            SyntheticContent.bytes("/bytes/4096/x", offset, length), offset + "+" + length);
      }
    }
  }

  @Test
  void matchesTheByteByByteDefinition() {
    String path = "/bytes/100/def";
    long key = SyntheticContent.keyOf(path);
    byte[] bytes = SyntheticContent.bytes(path, 3, 97);
    for (int i = 0; i < bytes.length; i++) {
      long index = 3 + i;
      byte expected = (byte) (SyntheticContent.mix(key + (index >>> 3) * 0x9E3779B97F4A7C15L)
          >>> ((index & 7) * 8));
      assertEquals(expected, bytes[i], "byte " + index);
    }
  }

  @Test
  void etagsNameTheGeneration() {
    assertEquals(SyntheticContent.etag("/bytes/16/pin"), SyntheticContent.etag("/bytes/16/pin", 0));
    assertNotEquals(SyntheticContent.etag("/bytes/16/pin"), SyntheticContent.etag("/bytes/16/pin", 1));
    assertEquals(true, SyntheticContent.etag("/bytes/16/pin", 2).endsWith("-g2\""));
    assertNotEquals(SyntheticContent.etag("/bytes/16/a"), SyntheticContent.etag("/bytes/16/b"));
  }

  @Test
  void rejectsNegativeArguments() {
    assertThrows(IllegalArgumentException.class, () -> SyntheticContent.bytes("/p", -1, 1));
    assertThrows(IllegalArgumentException.class, () -> SyntheticContent.bytes("/p", 0, -1));
    assertThrows(IllegalArgumentException.class, () -> SyntheticContent.etag("/p", -1));
  }
}
