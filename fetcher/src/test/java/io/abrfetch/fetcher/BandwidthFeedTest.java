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
}
