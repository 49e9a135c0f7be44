package io.abrfetch.player;

import io.abrfetch.fetcher.Downloader;
import io.abrfetch.fetcher.FetchEvent;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The measured throughput of each HLS session's transfers, for the players' timelines: one
 * listener per {@link Downloader} (a downloader keeps its listeners for life), routing each
 * {@link FetchEvent.Completed} of at least {@link #MIN_SAMPLE_BYTES} to the session whose peer id
 * prefix ({@code <sessionId>/...}) it carries.
 *
 * <p>Threading: thread-safe. Subscribers are called on the downloader's event loop and must only
 * store the value.
 */
final class ThroughputFeed implements Consumer<FetchEvent> {
  /** Smaller transfers (playlists, keys) measure latency more than bandwidth, as in ABR. */
  static final long MIN_SAMPLE_BYTES = 16 * 1024;

  private static final Map<Downloader, ThroughputFeed> FEEDS = new WeakHashMap<>();

  private final Map<String, LongConsumer> subscribers = new ConcurrentHashMap<>();

  private ThroughputFeed() {}

  /**
   * Calls {@code throughputBps} with the rate of every completed transfer of session
   * {@code sessionId}, bits per second of transfer time (first byte excluded); returns what
   * unsubscribes.
   */
  static Runnable subscribe(Downloader downloader, String sessionId, LongConsumer throughputBps) {
    ThroughputFeed feed;
    synchronized (FEEDS) {
      feed = FEEDS.get(downloader);
      if (feed == null) {
        feed = new ThroughputFeed();
        downloader.addListener(feed);
        FEEDS.put(downloader, feed);
      }
    }
    ThroughputFeed f = feed;
    f.subscribers.put(sessionId, throughputBps);
    return () -> f.subscribers.remove(sessionId, throughputBps);
  }

  @Override
  public void accept(FetchEvent event) {
    if (event instanceof FetchEvent.Completed c && c.sizeBytes() >= MIN_SAMPLE_BYTES
        && c.transferNanos() > 0) {
      int slash = c.peerId().indexOf('/');
      LongConsumer subscriber = subscribers.get(slash < 0 ? c.peerId()
          : c.peerId().substring(0, slash));
      if (subscriber != null) {
        subscriber.accept(Math.round(c.sizeBytes() * 8e9 / c.transferNanos()));
      }
    }
  }
}
