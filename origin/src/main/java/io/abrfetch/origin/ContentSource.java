package io.abrfetch.origin;

import io.vertx.core.Future;

/**
 * Finds the object at a request path: synthetic blobs, a synthetic ladder or a directory.
 * Protocol-neutral; implementations are used on the origin's event loop.
 */
interface ContentSource {

  /** True when this source owns {@code path} (a later source is not asked). */
  boolean owns(String path);

  /**
   * Resolves {@code path} (raw, not percent-decoded); succeeds with null when nothing is there, fails
   * with an {@link OriginException} of kind {@code BAD_PATH} for a malformed or escaping path.
   */
  Future<ServedObject> resolve(String path);

  /** A reader over bytes held in memory. */
  static ServedObject.Reader inMemory(byte[] bytes) {
    return (offset, length) ->
        Future.succeededFuture(io.vertx.core.buffer.Buffer.buffer(length)
            .appendBytes(bytes, (int) offset, length));
  }
}
