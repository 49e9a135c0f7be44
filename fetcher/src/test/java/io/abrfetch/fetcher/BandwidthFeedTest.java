package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every completed transfer tells the shared ABR controller. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BandwidthFeedTest extends OriginTestBase {

  @Test
  void transferTime_excludesTimeToFirstByte() throws Exception {
    Downloader d = downloader();
    long estimateBefore = abr.bandwidthEstimateBps();
    String path = "/bytes/262144/ttfb.bin";
    origin.faults().add(path, new Fault.DelayFirstByte(Duration.ofMillis(300)));
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path)).build());
    FetchResult r = await(h.result());
    FetchEvent.Completed done = events.only(h.requestId(), FetchEvent.Completed.class);
    assertTrue(r.timeToFirstByteNanos() >= Duration.ofMillis(290).toNanos());
    assertTrue(done.transferNanos() <= done.elapsedNanos() - r.timeToFirstByteNanos(),
        "transfer " + done.transferNanos() + " elapsed " + done.elapsedNanos());
    assertTrue(done.transferNanos() > 0);
    assertEquals(1, done.overlappingTransfers());
    assertNotEquals(estimateBefore, abr.bandwidthEstimateBps(),
        "the sample reached the controller");
  }

  @Test
  void parallelTransfers_reportHowManyOverlapped() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(4));
    origin.faults().add("/bytes/", new Fault.DelayFirstByte(Duration.ofMillis(100)));
    List<FetchHandle> handles = new ArrayList<>();
    onLoop(() -> {
      PeerHandle p = d.register(Peer.of("p"));
      for (int i = 0; i < 4; i++) {
        handles.add(p.fetch(FetchRequest.builder(url("/bytes/131072/par-" + i)).build()));
      }
    });
    for (FetchHandle h : handles) {
      await(h.result());
      assertEquals(4, events.only(h.requestId(), FetchEvent.Completed.class)
          .overlappingTransfers());
    }
    FetchHandle alone = handles.get(0);
    FetchHandle later = d.register(Peer.of("q")).fetch(FetchRequest.builder(
        url("/bytes/131072/alone")).build());
    await(later.result());
    assertEquals(1, events.only(later.requestId(), FetchEvent.Completed.class)
        .overlappingTransfers(), "request " + alone.requestId() + "'s peers are gone");
  }
}
