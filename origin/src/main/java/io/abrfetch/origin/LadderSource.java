package io.abrfetch.origin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Serves a {@link SyntheticLadder} under {@code /hls/}. Playlists are rendered per request from the
 * ladder's clock; plaintext segments are generated on read; AES ciphertext is computed on a worker
 * thread (never on the event loop) and cached by the ladder.
 */
final class LadderSource implements ContentSource {

  private final Vertx vertx;
  private final SyntheticLadder ladder;

  LadderSource(Vertx vertx, SyntheticLadder ladder) {
    this.vertx = vertx;
    this.ladder = ladder;
  }

  @Override
  public boolean owns(String path) {
    return path.startsWith(SyntheticLadder.PREFIX);
  }

  @Override
  public Future<ServedObject> resolve(String path) {
    if (path.equals(SyntheticLadder.MASTER_PATH)) {
      return Future.succeededFuture(text(ladder.masterPlaylist()));
    }
    String rest = path.substring(SyntheticLadder.PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return Future.succeededFuture();
    }
    SyntheticLadder.Track track = ladder.track(rest.substring(0, slash));
    String file = rest.substring(slash + 1);
    if (track == null || file.isEmpty()) {
      return Future.succeededFuture();
    }
    long available = ladder.segmentsAvailable();
    LadderOptions options = ladder.options();
    if (file.equals("index.m3u8")) {
      return Future.succeededFuture(text(ladder.mediaPlaylist(track, available)));
    }
    if (file.equals("init.mp4") && options.initSegments()) {
      byte[] init = ladder.initSegment(track);
      return Future.succeededFuture(new ServedObject(init.length,
          etag(path, init.length), "video/mp4", null, ContentSource.inMemory(init)));
    }
    if (file.startsWith("key") && file.endsWith(".key") && options.aes128()) {
      Long keyIndex = number(file, "key", ".key");
      if (keyIndex == null || keyIndex > ladder.keyIndex(available - 1)) {
        return Future.succeededFuture();
      }
      byte[] key = ladder.key(track, keyIndex);
      return Future.succeededFuture(new ServedObject(key.length, etag(path, key.length),
          MediaTypes.OCTET_STREAM, null, ContentSource.inMemory(key)));
    }
    String extension = "." + ladder.segmentExtension(track);
    String contentType = MediaTypes.forName(file);
    if (options.byteRange()) {
      if (!file.equals("media" + extension)) {
        return Future.succeededFuture();
      }
      long sizeBytes = ladder.byteRangeOffset(track, available);
      // The file grows while live, so its validator follows its size.
      return Future.succeededFuture(new ServedObject(sizeBytes, etag(path, sizeBytes), contentType,
          null, new ByteRangeFileReader(track, available)));
    }
    Long sequence = number(file, "seg", extension);
    if (sequence == null || sequence >= available) {
      return Future.succeededFuture();
    }
    long sizeBytes = ladder.storedSizeBytes(track, sequence);
    return Future.succeededFuture(new ServedObject(sizeBytes, etag(path, sizeBytes), contentType,
        null, (offset, length) -> segmentBytes(track, sequence)
            .map(bytes -> Buffer.buffer(length).appendBytes(bytes, (int) offset, length))));
  }

  private Future<byte[]> segmentBytes(SyntheticLadder.Track track, long sequence) {
    byte[] cheap = ladder.storedIfCheap(track, sequence);
    if (cheap != null) {
      return Future.succeededFuture(cheap);
    }
    return vertx.executeBlocking(() -> ladder.stored(track, sequence), false);
  }

  private ServedObject text(String playlist) {
    byte[] bytes = playlist.getBytes(StandardCharsets.UTF_8);
    String etag = "\"p" + Long.toHexString(SyntheticContent.keyOf(playlist)) + "\"";
    return new ServedObject(bytes.length, etag, MediaTypes.PLAYLIST, null,
        ContentSource.inMemory(bytes));
  }

  private String etag(String path, long sizeBytes) {
    return "\"l" + Long.toHexString(SyntheticContent.keyOf(ladder.toString() + path)) + "-"
        + Long.toHexString(sizeBytes) + "\"";
  }

  /** The decimal number between {@code prefix} and {@code suffix} in {@code file}, or null. */
  private static Long number(String file, String prefix, String suffix) {
    if (!file.startsWith(prefix) || !file.endsWith(suffix)
        || file.length() <= prefix.length() + suffix.length()) {
      return null;
    }
    String digits = file.substring(prefix.length(), file.length() - suffix.length());
    if (digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
        || (digits.length() > 1 && digits.charAt(0) == '0')) {
      return null;
    }
    return Long.parseLong(digits);
  }

  /** Reads a track's single byte-range file, which concatenates its served segments. */
  private final class ByteRangeFileReader implements ServedObject.Reader {
    private final SyntheticLadder.Track track;
    private final long segmentCount;

    ByteRangeFileReader(SyntheticLadder.Track track, long segmentCount) {
      this.track = track;
      this.segmentCount = segmentCount;
    }

    @Override
    public Future<Buffer> read(long offsetBytes, int lengthBytes) {
      long sequence = ladder.sequenceAtOffset(track, offsetBytes, segmentCount);
      long segmentStart = ladder.byteRangeOffset(track, sequence);
      int inSegment = (int) (offsetBytes - segmentStart);
      return segmentBytes(track, sequence).compose(bytes -> {
        int take = Math.min(lengthBytes, bytes.length - inSegment);
        Buffer chunk = Buffer.buffer(lengthBytes).appendBytes(bytes, inSegment, take);
        if (take == lengthBytes) {
          return Future.succeededFuture(chunk);
        }
        // The chunk crosses into the next segment(s).
        return read(offsetBytes + take, lengthBytes - take).map(chunk::appendBuffer);
      });
    }
  }
}
