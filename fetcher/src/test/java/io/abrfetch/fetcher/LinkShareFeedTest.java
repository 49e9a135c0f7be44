package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Overlapping transfers on one shaped link: the rate the ABR controller is fed for each is the
 * link's, whether the transfers overlapped throughout or only for a moment.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkShareFeedTest extends OriginTestBase {

  private static final long LINK_BPS = 8_000_000;

  @Override
  OriginOptions originOptions() {
    return OriginOptions.builder()
        .shaping(LinkShaping.fixedRate(LINK_BPS, LinkShaping.Scope.SHARED)).build();
  }

  /** The link rate the controller derives from {@code done}: bytes over its fair share. */
  private static double linkRateBps(FetchEvent.Completed done) {
    return done.sizeBytes() * 8 / (done.transferNanos() / done.overlappingTransfers() / 1e9);
  }

  private static void assertNearLink(FetchEvent.Completed done) {
    double rate = linkRateBps(done);
    assertTrue(rate > LINK_BPS * 0.75 && rate < LINK_BPS * 1.3,
        "request " + done.requestId() + " fed " + Math.round(rate) + " bit/s for an "
            + LINK_BPS + " bit/s link (overlap " + done.overlappingTransfers() + ")");
  }

  @Test
  void transfersThatOverlapThroughout_eachReportTheWholeLink() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(4));
    List<FetchHandle> handles = new ArrayList<>();
    onLoop(() -> {
      PeerHandle p = d.register(Peer.of("p"));
      for (int i = 0; i < 4; i++) {
        handles.add(p.fetch(FetchRequest.builder(url("/bytes/262144/par-" + i)).build()));
      }
    });
    for (FetchHandle h : handles) {
      await(h.result());
      FetchEvent.Completed done = events.only(h.requestId(), FetchEvent.Completed.class);
      assertTrue(done.overlappingTransfers() > 3, "overlap " + done.overlappingTransfers());
      assertNearLink(done);
    }
  }

  @Test
  void aBriefOverlap_doesNotInflateTheLongTransfer() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(4));
    CompletableFuture<FetchHandle> shortOne = new CompletableFuture<>();
    // A video-sized transfer of about 2 s on the link; half a second in, an audio-sized one of
    // about 130 ms beside it (65 ms of link time each way).
    FetchHandle longOne = onLoop(() -> {
      PeerHandle p = d.register(Peer.of("video"));
      FetchHandle h = p.fetch(FetchRequest.builder(url("/bytes/2000000/long")).build());
      vertx.setTimer(500, id -> shortOne.complete(d.register(Peer.of("audio"))
          .fetch(FetchRequest.builder(url("/bytes/65536/short")).build())));
      return h;
    });
    FetchHandle brief = shortOne.get(10, TimeUnit.SECONDS);
    await(brief.result());
    assertFalse(longOne.result().isComplete(),
        "the long transfer must still run when the short one ends (a very slow machine?)");
    await(longOne.result());

    FetchEvent.Completed longDone = events.only(longOne.requestId(), FetchEvent.Completed.class);
    FetchEvent.Completed briefDone = events.only(brief.requestId(), FetchEvent.Completed.class);
    assertTrue(longDone.overlappingTransfers() > 1 && longDone.overlappingTransfers() < 1.3,
        "the long transfer had company for about a twentieth of its time: overlap "
            + longDone.overlappingTransfers());
    assertNearLink(longDone);
    assertTrue(briefDone.overlappingTransfers() > 1.6,
        "the short transfer shared the link throughout: " + briefDone.overlappingTransfers());
    assertNearLink(briefDone);
  }

  @Test
  void aTransferAlone_reportsNoOverlap() throws Exception {
    Downloader d = downloader();
    FetchHandle h = d.register(Peer.of("p"))
        .fetch(FetchRequest.builder(url("/bytes/131072/alone")).build());
    await(h.result());
    FetchEvent.Completed done = events.only(h.requestId(), FetchEvent.Completed.class);
    assertEquals(1.0, done.overlappingTransfers());
    assertNearLink(done);
  }
}
