package io.abrfetch.origin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * An object a {@link ContentSource} found at a path: its size, validators, type and a reader of its
 * bytes. Independent of HTTP so a range-read server on another protocol can serve the same objects.
 *
 * @param sizeBytes the object's length in bytes
 * @param etag the strong ETag, with quotes, before any {@link Fault.EtagChange}
 * @param contentType the media type
 * @param lastModifiedMsOrNull modification time in epoch milliseconds, or null when unknown
 * @param reader reads byte ranges; closed by whoever resolved the object when done with it
 */
record ServedObject(
    long sizeBytes, String etag, String contentType, Long lastModifiedMsOrNull, Reader reader) {

  /** Reads byte ranges of one object; used on the origin's event loop. */
  interface Reader {
    /** Reads {@code lengthBytes} bytes at {@code offsetBytes}; the range lies within the object. */
    Future<Buffer> read(long offsetBytes, int lengthBytes);

    /** Releases what the reader holds (an open file); idempotent. */
    default void close() {}
  }

  /** The ETag after {@code generation} ETag changes: {@code "x"} becomes {@code "x-g2"}. */
  String etagAtGeneration(int generation) {
    return generation == 0 ? etag : etag.substring(0, etag.length() - 1) + "-g" + generation + "\"";
  }
}
