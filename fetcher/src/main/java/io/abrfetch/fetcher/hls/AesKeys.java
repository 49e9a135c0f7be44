package io.abrfetch.fetcher.hls;

import io.abrfetch.fetcher.BodySink;
import io.abrfetch.fetcher.FetchRequest;
import io.abrfetch.fetcher.FetchResult;
import io.abrfetch.fetcher.RequestPriority;
import io.abrfetch.playlist.Segment;
import io.abrfetch.playlist.SegmentKey;
import io.vertx.core.Future;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The AES-128 keys of a session or a download: each key URI is fetched once (concurrent users
 * share the fetch), kept in a small LRU cache, and fetched again by the next segment that needs it
 * when its fetch failed.
 *
 * <p>Threading: confined to its owner's context (the session's or the download's); the fetch
 * function's future must complete there.
 */
final class AesKeys {

  private static final int KEY_SIZE_LIMIT_BYTES = 4096;

  private final Map<URI, Future<byte[]>> keys;

  /** A cache of at most {@code maxEntries} keys (a key rotation every segment stays bounded). */
  AesKeys(int maxEntries) {
    this.keys = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<URI, Future<byte[]>> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /**
   * The 16-byte key of {@code segment}, null when it is not encrypted; fails with an
   * {@link HlsException} ({@code UNSUPPORTED_ENCRYPTION}, {@code KEY}) or a transient
   * {@link io.abrfetch.fetcher.FetchException} worth retrying.
   *
   * @param fetch submits a request through the owner's peer, answering on the owner's context
   */
  Future<byte[]> keyFor(Segment segment, Function<FetchRequest, Future<FetchResult>> fetch) {
    SegmentKey key = segment.key();
    if (key == null) {
      return Future.succeededFuture(null);
    }
    if (key.method() != SegmentKey.Method.AES_128) {
      return Future.failedFuture(new HlsException(HlsException.Kind.UNSUPPORTED_ENCRYPTION,
          "segment " + segment.mediaSequence() + " uses METHOD=" + key.method()
              + " (expected: NONE or AES-128)", segment.mediaSequence(),
          segment.uri().toString(), null));
    }
    return key(key.uri(), segment.mediaSequence(), fetch);
  }

  private Future<byte[]> key(URI uri, long sequence,
      Function<FetchRequest, Future<FetchResult>> fetch) {
    Future<byte[]> cached = keys.get(uri);
    if (cached != null) {
      return cached;
    }
    String keyUrl = uri.toString();
    Future<byte[]> key = fetch.apply(FetchRequest.builder(keyUrl)
            .priority(RequestPriority.BLOCKING)
            .sink(BodySink.collect(KEY_SIZE_LIMIT_BYTES))
            .build())
        .compose(result -> {
          if (result.body().length() != SegmentCipher.KEY_BYTES) {
            return Future.failedFuture(new HlsException(HlsException.Kind.KEY, "key " + keyUrl
                + " is " + result.body().length() + " bytes (expected: 16)", sequence, keyUrl,
                null));
          }
          return Future.succeededFuture(result.body().getBytes());
        })
        .recover(e -> Future.failedFuture(
            TrackPeer.classify(HlsException.Kind.KEY, e, sequence, keyUrl)));
    keys.put(uri, key);
    key.onFailure(e -> keys.remove(uri, key));
    return key;
  }
}
