package io.abrfetch.abr;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one ABR controller of a downloader, shared by all its peers: it takes every finished
 * transfer as a bandwidth sample and decides which variant each peer plays next.
 *
 * <p>Threading: thread-safe; the downloader calls it from its event loop, players from anywhere.
 */
public final class AbrController {

  /** Samples under this size say more about latency than bandwidth and are ignored. */
  static final long MIN_SAMPLE_BYTES = 16 * 1024;

  // Guarded by this.
  private double estimateBps = 1_000_000;
  private boolean hasEstimate;
  private final Map<String, Boolean> knownPeers = new ConcurrentHashMap<>();

  public static AbrController create() {
    return new AbrController();
  }

  /** Feeds one finished transfer of {@code peerId} into the shared bandwidth estimate. */
  public synchronized void onTransfer(String peerId, TransferSample sample) {
    knownPeers.put(peerId, Boolean.TRUE);
    if (sample.bytes() < MIN_SAMPLE_BYTES || sample.transferNanos() <= 0) {
      return;
    }
    double linkBps =
        sample.bytes() * 8.0 * 1e9 / sample.transferNanos() * sample.overlappingTransfers();
    estimateBps = hasEstimate ? 0.7 * estimateBps + 0.3 * linkBps : linkBps;
    hasEstimate = true;
  }

  /** Forgets {@code peerId}; unknown ids are ignored. */
  public void unregister(String peerId) {
    knownPeers.remove(peerId);
  }

  /** The link bandwidth estimate in bits per second. */
  public synchronized long bandwidthEstimateBps() {
    return Math.round(estimateBps);
  }
}
