package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.Fault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hang watchdog, driven by an injected nano clock and explicit turns, so a 60 s window takes
 * milliseconds. The inactivity timeout is set far beyond the test so only the watchdog can act.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DownloaderWatchdogTest extends OriginTestBase {

  private static final long SECOND_NANOS = 1_000_000_000L;

  private final AtomicLong clockNanos = new AtomicLong(1_000 * SECOND_NANOS);

  private Downloader watchedDownloader() throws Exception {
    return downloader(b -> b.nanoClock(clockNanos::get)
        .watchdogWindow(Duration.ofSeconds(60))
        .watchdogTickInterval(Duration.ZERO)
        .inactivityTimeout(Duration.ofMinutes(10))
        .minSoftTimeout(Duration.ofMinutes(10)));
  }

  private WatchdogTurn turnAfter(Downloader d, long seconds) throws Exception {
    clockNanos.addAndGet(seconds * SECOND_NANOS);
    return await(d.runWatchdogTick());
  }

  @Test
  void forcedHang_firesHungWithADump_countsIt_andHealsByRequeueAndResume() throws Exception {
    Downloader d = watchedDownloader();
    String path = "/bytes/262144/hang.bin";
    origin.faults().add(path, new Fault.StallAfterBytes(40_000, Duration.ofMinutes(5)), 1);
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path)).build());
    events.await(FetchEvent.FirstByte.class, e -> e.requestId() == h.requestId(), 5_000);
    // Let the 40 000 bytes before the stall arrive, then take the progress baseline.
    long deadline = System.currentTimeMillis() + 5_000;
    while (origin.stats().bodyBytesServed() < 40_000 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(200);
    assertEquals(WatchdogTurn.ADVANCED, turnAfter(d, 1));
    assertEquals(WatchdogTurn.STALLED, turnAfter(d, 30));
    assertTrue(events.of(h.requestId(), FetchEvent.Hung.class).isEmpty(), "30 s is not a hang");
    assertEquals(WatchdogTurn.STALLED, turnAfter(d, 30));
    assertTrue(events.of(h.requestId(), FetchEvent.Hung.class).isEmpty(), "60 s is not > 60 s");
    assertEquals(WatchdogTurn.STALLED, turnAfter(d, 1));
    FetchEvent.Hung hung = events.only(h.requestId(), FetchEvent.Hung.class);
    assertEquals(Duration.ofSeconds(61), hung.stalledFor());
    assertEquals(1, hung.dump().size());
    FetchEvent.StuckRequest stuck = hung.dump().get(0);
    assertEquals(h.requestId(), stuck.requestId());
    assertEquals(40_000, stuck.receivedBytes());
    assertTrue(stuck.sinceNanos() <= clockNanos.get() - 61 * SECOND_NANOS);
    assertEquals(FetchEvent.RequeueReason.HUNG,
        events.only(h.requestId(), FetchEvent.Requeued.class).reason());
    FetchResult r = await(h.result());
    assertWholeObject(path, 262144, r.body().getBytes());
    assertEquals(40_000, events.only(h.requestId(), FetchEvent.Resumed.class).fromOffsetBytes());
    assertEquals(1, counter("hangs"));
    assertEquals(1, events.endings(h.requestId()).size());
  }

  @Test
  void idleMinuteAndMore_neverFires() throws Exception {
    Downloader d = watchedDownloader();
    for (int second = 0; second < 90; second++) {
      assertEquals(WatchdogTurn.IDLE, turnAfter(d, 1));
    }
    // Work that completes between turns is progress, and idleness after it is still idle.
    String path = "/bytes/65536/between-turns.bin";
    await(d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path)).build()).result());
    assertEquals(WatchdogTurn.ADVANCED, turnAfter(d, 1));
    for (int second = 0; second < 90; second++) {
      assertEquals(WatchdogTurn.IDLE, turnAfter(d, 1));
    }
    assertTrue(events.all(FetchEvent.Hung.class).isEmpty());
    assertEquals(0, counter("hangs"));
  }

  @Test
  void waitingOutARetryAfter_isNotAHang() throws Exception {
    Downloader d = watchedDownloader();
    String path = "/bytes/65536/retry-after.bin";
    origin.faults().add(path, new Fault.Status(503, Duration.ofSeconds(2)), 1);
    FetchHandle h = d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path)).build());
    events.await(FetchEvent.Retrying.class, e -> e.requestId() == h.requestId(), 5_000);
    assertEquals(WatchdogTurn.ADVANCED, turnAfter(d, 1));
    List<WatchdogTurn> turns = List.of(turnAfter(d, 40), turnAfter(d, 40));
    assertEquals(List.of(WatchdogTurn.IDLE, WatchdogTurn.IDLE), turns);
    await(h.result());
    assertTrue(events.all(FetchEvent.Hung.class).isEmpty());
  }

  @Test
  void periodicTimer_staysSilentWhileIdle_andFiresOnARealHang() throws Exception {
    Downloader d = downloader(b -> b.watchdogWindow(Duration.ofMillis(800))
        .watchdogTickInterval(Duration.ofMillis(20))
        .inactivityTimeout(Duration.ofMinutes(10)));
    Thread.sleep(1_000);
    String path = "/bytes/65536/periodic.bin";
    FetchResult r = await(d.register(Peer.of("p")).fetch(FetchRequest.builder(url(path)).build())
        .result());
    assertWholeObject(path, 65536, r.body().getBytes());
    Thread.sleep(1_000);
    assertEquals(0, counter("hangs"), "idle and healthy work never fire");
    String stuckPath = "/bytes/65536/periodic-stuck.bin";
    origin.faults().add(stuckPath, new Fault.StallAfterBytes(1_000, Duration.ofMinutes(5)), 1);
    FetchHandle h = d.register(Peer.of("q")).fetch(FetchRequest.builder(url(stuckPath)).build());
    events.await(FetchEvent.Hung.class, e -> e.requestId() == h.requestId(), 5_000);
    assertWholeObject(stuckPath, 65536, await(h.result()).body().getBytes());
    assertEquals(1, counter("hangs"));
  }
}
