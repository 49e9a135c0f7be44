package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.abr.AbrController;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's example, run against the origin, so the documented usage keeps working. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeExampleTest extends OriginTestBase {

  @Test
  void readmeExample_registersAPeerAndFetchesSixSegments() throws Exception {
    String base = origin.baseUrl() + "/bytes/65536";
    Map<Integer, Buffer> played = new ConcurrentHashMap<>();
    List<FetchEvent> seen = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

    // --- as in README.md ---
    AbrController abr = AbrController.create();
    Downloader downloader = Downloader.create(vertx, DownloaderOptions.defaults(), abr,
        meterRegistry);

    PeerHandle video = downloader.register(Peer.of("video"));         // a playing track
    video.addListener(seen::add);                                      // this peer's events only

    for (int i = 0; i < 6; i++) {
      FetchRequest segment = FetchRequest.builder(base + "/video/720p/seg" + i + ".m4s")
          .priority(i == 0 ? RequestPriority.BLOCKING : RequestPriority.PREFETCH)
          .mediaDurationUs(4_000_000)
          .sink(BodySink.collect(16 * 1024 * 1024))
          .build();
      int index = i;
      video.fetch(segment).result()
          .onSuccess(r -> played.put(index, r.body()))
          .onFailure(e -> { throw new AssertionError(((FetchException) e).kind()); });
    }
    // --- end of the example body; the test waits instead of a player ---

    long deadline = System.currentTimeMillis() + 10_000;
    while (played.size() < 6 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(6, played.size());
    for (int i = 0; i < 6; i++) {
      assertBytes("/bytes/65536/video/720p/seg" + i + ".m4s", 0, played.get(i).getBytes());
    }
    assertEquals(6, seen.stream().filter(e -> e instanceof FetchEvent.Completed).count());
    await(video.close());
    await(downloader.close());
    assertTrue(video.isClosed());
  }
}
