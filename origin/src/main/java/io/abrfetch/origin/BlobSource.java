package io.abrfetch.origin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Serves {@code /bytes/{sizeBytes}[/{name}]}: {@link SyntheticContent} of any size, generated on read. */
final class BlobSource implements ContentSource {

  static final String PREFIX = "/bytes/";
  /** Larger sizes are refused (4 TiB): far beyond any test, and below overflow of offsets. */
  static final long MAX_SIZE_BYTES = 1L << 42;

  @Override
  public boolean owns(String path) {
    return path.startsWith(PREFIX);
  }

  @Override
  public Future<ServedObject> resolve(String path) {
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String sizeText = slash < 0 ? rest : rest.substring(0, slash);
    if (sizeText.isEmpty() || sizeText.length() > 13 || !sizeText.chars().allMatch(Character::isDigit)) {
      return Future.failedFuture(new OriginException(OriginException.Kind.BAD_PATH,
          "path " + path + ": size '" + sizeText + "' (expected: /bytes/{sizeBytes}[/{name}])"));
    }
    long sizeBytes = Long.parseLong(sizeText);
    if (sizeBytes > MAX_SIZE_BYTES) {
      return Future.failedFuture(new OriginException(OriginException.Kind.BAD_PATH,
          "path " + path + ": size " + sizeBytes + " (expected: <= " + MAX_SIZE_BYTES + ")"));
    }
    long key = SyntheticContent.keyOf(path);
    ServedObject.Reader reader = (offset, length) -> {
      byte[] bytes = new byte[length];
      SyntheticContent.fill(key, offset, bytes, 0, length);
      return Future.succeededFuture(Buffer.buffer(bytes));
    };
    return Future.succeededFuture(new ServedObject(
        sizeBytes, SyntheticContent.etag(path), "application/octet-stream", null, reader));
  }
}
