package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The deterministic bytes the origin serves under {@code /bytes/{sizeBytes}[/{name}]}, so a test can
 * check every byte it receives without keeping a copy.
 *
 * <p>Byte {@code i} of the object at a path is a pure function of the path and {@code i}: any range
 * is computed directly, in O(length), with no state, so objects of many GiB cost no memory. The
 * same generator, keyed by the ladder seed, fills synthetic HLS segments. Thread-safe (stateless).
 */
public final class SyntheticContent {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private SyntheticContent() {}

  /**
   * Returns {@code lengthBytes} bytes of the object at {@code path} starting at {@code offsetBytes},
   * exactly as served. {@code path} is the request path, e.g. {@code "/bytes/65536/a.bin"}.
   */
  public static byte[] bytes(String path, long offsetBytes, int lengthBytes) {
    Objects.requireNonNull(path, "path");
    checkArgument(offsetBytes >= 0, "offsetBytes: %s (expected: >= 0)", offsetBytes);
    checkArgument(lengthBytes >= 0, "lengthBytes: %s (expected: >= 0)", lengthBytes);
    byte[] out = new byte[lengthBytes];
    fill(keyOf(path), offsetBytes, out, 0, lengthBytes);
    return out;
  }

  /** The strong ETag (with quotes) of the object at {@code path} before any ETag change. */
  public static String etag(String path) {
    return etag(path, 0);
  }

  /**
   * The strong ETag (with quotes) of the object at {@code path} after {@code generation}
   * {@link Fault.EtagChange}s; see {@link FaultPlan#generation(String)}.
   */
  public static String etag(String path, int generation) {
    Objects.requireNonNull(path, "path");
    checkArgument(generation >= 0, "generation: %s (expected: >= 0)", generation);
    String base = "\"s" + Long.toHexString(keyOf(path));
    return generation == 0 ? base + "\"" : base + "-g" + generation + "\"";
  }

  /** A 64-bit key for {@code text}: FNV-1a over its UTF-8 bytes, then a finalising mix. */
  static long keyOf(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return mix(hash);
  }

  /** Writes bytes {@code [offsetBytes, offsetBytes + lengthBytes)} of the stream keyed by {@code key}. */
  static void fill(long key, long offsetBytes, byte[] out, int outOffset, int lengthBytes) {
    long index = offsetBytes;
    int position = outOffset;
    int end = outOffset + lengthBytes;
    // Unaligned head: the rest of the first 8-byte word.
    while (position < end && (index & 7) != 0) {
      out[position++] = (byte) (mix(key + (index >>> 3) * GOLDEN_GAMMA) >>> ((index & 7) * 8));
      index++;
    }
    // Whole words, little-endian, so byte i of a word is bits 8i..8i+7 as in the head and tail.
    while (end - position >= 8) {
      LONG_LE.set(out, position, mix(key + (index >>> 3) * GOLDEN_GAMMA));
      position += 8;
      index += 8;
    }
    while (position < end) {
      out[position++] = (byte) (mix(key + (index >>> 3) * GOLDEN_GAMMA) >>> ((index & 7) * 8));
      index++;
    }
  }

  /** SplitMix64's finaliser: a bijective, well-distributed 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
