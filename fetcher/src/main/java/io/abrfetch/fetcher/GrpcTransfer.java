package io.abrfetch.fetcher;

import io.abrfetch.fetcher.FetchException.Kind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code grpc://host:port/path} side of a {@link Downloader}: one {@link GrpcClient} and one
 * {@link MultiRangeReader} per (host:port, path) while reads of it are unfinished, so concurrent
 * reads of an object share one bidi stream; it starts reads and maps their failures to
 * {@link FetchException}s. The downloader runs the attempt itself (events, timeouts, sink,
 * retries) exactly as for HTTP.
 *
 * <p>Threading: confined to the downloader's event loop; readers are created there, so their
 * handlers run there too.
 */
final class GrpcTransfer {

  /** HTTP/2 stream window: large, so the per-read credits bind before HTTP/2 flow control does. */
  static final int STREAM_WINDOW_BYTES = 8 * 1024 * 1024;
  /** HTTP/2 connection window, shared by every read of every object on the connection. */
  static final int CONNECTION_WINDOW_BYTES = 32 * 1024 * 1024;

  private final Vertx vertx;
  private final Context context;
  private final MultiRangeReaderOptions readerOptions;
  private final Map<String, Reader> readers = new HashMap<>();
  private GrpcClient clientOrNull;

  GrpcTransfer(Vertx vertx, Context context, MultiRangeReaderOptions readerOptions) {
    this.vertx = vertx;
    this.context = context;
    this.readerOptions = readerOptions;
  }

  static boolean isGrpc(String url) {
    return url.regionMatches(true, 0, "grpc://", 0, 7);
  }

  /**
   * Starts reading {@code lengthBytes} (0: to the end) at {@code offsetBytes} of the object
   * {@code url} names, over the reader of that (host:port, path), made on first use.
   */
  RangeReadStream read(String url, long offsetBytes, long lengthBytes) {
    URI uri = URI.create(url);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String key = uri.getHost() + ":" + uri.getPort() + path;
    Reader reader = readers.get(key);
    if (reader == null) {
      if (clientOrNull == null) {
        clientOrNull = GrpcClient.client(vertx, new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setTcpNoDelay(true)
            .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW_BYTES))
            .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES));
      }
      reader = new Reader(MultiRangeReader.create(vertx, context, clientOrNull,
          SocketAddress.inetSocketAddress(uri.getPort(), uri.getHost()), path, readerOptions));
      readers.put(key, reader);
    }
    RangeReadStream read = reader.multi.read(offsetBytes, lengthBytes);
    reader.openReads++;
    Reader owner = reader;
    // The completion settles (on this context) before the read's end or exception handler runs,
    // so a read the downloader starts from those handlers finds the reader still open when
    // another read is running, and a fresh one otherwise.
    read.completion().onComplete(ar -> {
      if (--owner.openReads == 0 && readers.get(key) == owner) {
        // Segments are usually distinct objects: an idle reader's stream would only pin a
        // server call, so it is half-closed as soon as its last read ends.
        readers.remove(key);
        owner.multi.close();
      }
    });
    return read;
  }

  /** The downloader's view of a failed read: transient kinds are retried by its policy. */
  static FetchException classify(Throwable cause, String url, long positionBytes) {
    if (!(cause instanceof RangeReadException e)) {
      return FetchException.of(Kind.RESET, "read of " + url + " failed at byte " + positionBytes
          + ": " + cause, cause);
    }
    String where = " at byte " + positionBytes + " of " + url + ": " + e.getMessage();
    return switch (e.kind()) {
      case STREAM_BROKEN -> FetchException.of(Kind.RESET, "stream broke" + where, e);
      case CHECKSUM_MISMATCH -> FetchException.of(Kind.CHECKSUM, "CRC32C mismatch" + where, e);
      case SERVER_ERROR -> FetchException.of(Kind.SERVER_ERROR, "server error" + where, e);
      case OBJECT_CHANGED -> FetchException.of(Kind.CHANGED, "object changed" + where, e);
      case NOT_FOUND -> FetchException.of(Kind.NOT_FOUND, "no object" + where, e);
      case OUT_OF_RANGE, INVALID_ARGUMENT -> FetchException.of(Kind.RANGE,
          "range refused" + where, e);
      case PROTOCOL -> FetchException.of(Kind.PROTOCOL, "protocol broken" + where, e);
      // The downloader cancels only reads it has already given up on, so these never reach it
      // for a live attempt; if one does, a new read is the cure.
      case CANCELLED, CLOSED -> FetchException.of(Kind.RESET, "read ended" + where, e);
    };
  }

  /** Closes every reader (failing their unfinished reads) and then the client. */
  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (Reader reader : readers.values()) {
      closing.add(reader.multi.close());
    }
    readers.clear();
    GrpcClient client = clientOrNull;
    clientOrNull = null;
    return Future.join(closing).transform(ar -> client == null ? Future.succeededFuture()
        : client.close());
  }

  /** A reader and how many of the downloader's reads are unfinished on it. */
  private static final class Reader {
    final MultiRangeReader multi;
    int openReads;

    Reader(MultiRangeReader multi) {
      this.multi = multi;
    }
  }
}
