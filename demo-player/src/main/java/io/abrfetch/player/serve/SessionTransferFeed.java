package io.abrfetch.player.serve;

import io.abrfetch.abr.AbrController;
import io.abrfetch.abr.TransferSample;
import io.abrfetch.fetcher.FetchEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Feeds each session's own {@link AbrController} with the transfers of that session's peers.
 *
 * <p>The shared downloader reports every finished transfer to the one controller it was created
 * with (which then holds the link-wide estimate); the sessions of a {@link FetcherVerticle} each
 * have their own controller (own estimate, own policy), so this downloader listener routes every
 * {@link FetchEvent.Completed} of peer {@code <sessionId>/...} to the controller of that session,
 * with the same bytes, transfer time and overlap the downloader measured.
 *
 * <p>Threading: thread-safe; {@link #accept} runs on the downloader's event loop.
 */
final class SessionTransferFeed implements Consumer<FetchEvent> {

  private final LongSupplier nanoClock;
  private final Map<String, AbrController> controllers = new ConcurrentHashMap<>();

  /** @param nanoClock the downloader's clock, for the samples' end times */
  SessionTransferFeed(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  void add(String sessionId, AbrController abr) {
    controllers.put(sessionId, abr);
  }

  void remove(String sessionId) {
    controllers.remove(sessionId);
  }

  @Override
  public void accept(FetchEvent event) {
    if (!(event instanceof FetchEvent.Completed completed) || completed.sizeBytes() <= 0) {
      return;
    }
    String peerId = completed.peerId();
    int slash = peerId.indexOf('/');
    AbrController abr = controllers.get(slash < 0 ? peerId : peerId.substring(0, slash));
    if (abr != null) {
      abr.onTransfer(peerId, new TransferSample(completed.sizeBytes(),
          completed.transferNanos(), completed.overlappingTransfers(),
          nanoClock.getAsLong()));
    }
  }
}
