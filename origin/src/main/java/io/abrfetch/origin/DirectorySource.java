package io.abrfetch.origin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Serves the regular files under a directory, with the ETag {@code "<size hex>-<mtime ms hex>"}.
 *
 * <p>Paths are percent-decoded, then any {@code .} or {@code ..} segment, backslash or NUL is
 * refused as {@code BAD_PATH}; the resolved file's real path (symbolic links followed) must stay
 * inside the directory's real path. Directories themselves are not listed (not found). File system
 * calls run on a worker thread; reads use an {@link AsyncFile}.
 */
final class DirectorySource implements ContentSource {

  private final Vertx vertx;
  private final Path realRoot;
  private final String ownedPrefix;

  /** {@code realRoot} must be a real path; {@code ownedPrefix} is "/" or a prefix like "/files/". */
  DirectorySource(Vertx vertx, Path realRoot, String ownedPrefix) {
    this.vertx = vertx;
    this.realRoot = realRoot;
    this.ownedPrefix = ownedPrefix;
  }

  @Override
  public boolean owns(String path) {
    return path.startsWith(ownedPrefix);
  }

  @Override
  public Future<ServedObject> resolve(String rawPath) {
    String relative;
    try {
      relative = relativePath(rawPath.substring(ownedPrefix.length()));
    } catch (OriginException e) {
      return Future.failedFuture(e);
    }
    if (relative.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.<FileFacts>executeBlocking(() -> facts(rawPath, relative), false)
        .compose(facts -> {
          if (facts == null) {
            return Future.succeededFuture();
          }
          return vertx.fileSystem().open(facts.file.toString(), new OpenOptions().setRead(true))
              .map(file -> new ServedObject(
                  facts.sizeBytes,
                  "\"" + Long.toHexString(facts.sizeBytes) + "-" + Long.toHexString(facts.mtimeMs) + "\"",
                  MediaTypes.forName(facts.file.getFileName().toString()),
                  facts.mtimeMs,
                  new FileReader(file)));
        });
  }

  /** Decodes and checks a path below the root; returns it with '/' separators, no leading slash. */
  static String relativePath(String raw) {
    String decoded = percentDecode(raw);
    StringBuilder relative = new StringBuilder();
    for (String segment : decoded.split("/", -1)) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.equals(".") || segment.equals("..") || segment.indexOf('\\') >= 0
          || segment.indexOf('\0') >= 0) {
        throw new OriginException(OriginException.Kind.BAD_PATH,
            "path /" + raw + ": segment '" + segment + "' (expected: no . or .. segments, "
                + "backslashes or NUL)");
      }
      if (relative.length() > 0) {
        relative.append('/');
      }
      relative.append(segment);
    }
    return relative.toString();
  }

  private FileFacts facts(String rawPath, String relative) throws IOException {
    Path file = realRoot.resolve(relative);
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      return null;
    }
    if (!real.startsWith(realRoot)) {
      throw new OriginException(OriginException.Kind.BAD_PATH,
          "path " + rawPath + ": leads outside the served directory");
    }
    BasicFileAttributes attributes =
        Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile()) {
      return null;
    }
    return new FileFacts(real, attributes.size(), attributes.lastModifiedTime().toMillis());
  }

  private static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (high < 0 || low < 0) {
        throw new OriginException(OriginException.Kind.BAD_PATH,
            "path /" + raw + ": bad percent-encoding at index " + i + " (expected: %XX)");
      }
      bytes.write(high * 16 + low);
      i += 2;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private record FileFacts(Path file, long sizeBytes, long mtimeMs) {}

  private static final class FileReader implements ServedObject.Reader {
    private final AsyncFile file;
    private boolean closed;

    FileReader(AsyncFile file) {
      this.file = file;
    }

    @Override
    public Future<Buffer> read(long offsetBytes, int lengthBytes) {
      return file.read(Buffer.buffer(lengthBytes), 0, offsetBytes, lengthBytes);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        file.close();
      }
    }
  }
}
