package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.fetcher.FetchException.Kind;
import io.abrfetch.origin.Fault;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Priorities, fairness, caps, preemption, queue bounds, peer close and shutdown. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DownloaderSchedulingTest extends OriginTestBase {

  private static final int SMALL = 32 * 1024;

  private FetchRequest get(String path) {
    return FetchRequest.builder(url(path)).build();
  }

  private FetchRequest get(String path, RequestPriority priority) {
    return FetchRequest.builder(url(path)).priority(priority).build();
  }

  /** Request ids in the order their first attempt started. */
  private List<Long> startOrder() {
    List<Long> out = new ArrayList<>();
    for (FetchEvent.Started s : events.all(FetchEvent.Started.class)) {
      if (s.attempt() == 1) {
        out.add(s.requestId());
      }
    }
    return out;
  }

  private static void awaitAll(List<FetchHandle> handles) throws Exception {
    for (FetchHandle h : handles) {
      await(h.result());
    }
  }

  @Test
  void playingPeer_startsBeforeAPreloadingPeer_underContention() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(1));
    List<FetchHandle> bg = new ArrayList<>();
    List<FetchHandle> fg = new ArrayList<>();
    onLoop(() -> {
      PeerHandle preload = d.register(Peer.of("preload", false));
      PeerHandle playing = d.register(Peer.of("playing", true));
      for (int i = 0; i < 4; i++) {
        bg.add(preload.fetch(get("/bytes/" + SMALL + "/bg-" + i)));
      }
      for (int i = 0; i < 4; i++) {
        fg.add(playing.fetch(get("/bytes/" + SMALL + "/fg-" + i)));
      }
    });
    awaitAll(bg);
    awaitAll(fg);
    List<Long> expected = new ArrayList<>();
    fg.forEach(h -> expected.add(h.requestId()));
    bg.forEach(h -> expected.add(h.requestId()));
    assertEquals(expected, startOrder());
  }

  @Test
  void blockingRequest_startsBeforeEarlierPrefetchOfTheSamePeer() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(1));
    List<FetchHandle> handles = new ArrayList<>();
    onLoop(() -> {
      PeerHandle p = d.register(Peer.of("p"));
      for (int i = 0; i < 3; i++) {
        handles.add(p.fetch(get("/bytes/" + SMALL + "/pre-" + i)));
      }
      handles.add(p.fetch(get("/bytes/" + SMALL + "/owed", RequestPriority.BLOCKING)));
    });
    awaitAll(handles);
    List<Long> order = startOrder();
    assertEquals(handles.get(3).requestId(), order.get(0));
    assertEquals(List.of(handles.get(0).requestId(), handles.get(1).requestId(),
        handles.get(2).requestId()), order.subList(1, 4), "FIFO among the prefetches");
  }

  @Test
  void greedyPeer_cannotStarveAnotherPeerOfTheSameSlot() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(1));
    List<FetchHandle> greedy = new ArrayList<>();
    List<FetchHandle> modest = new ArrayList<>();
    onLoop(() -> {
      PeerHandle g = d.register(Peer.of("greedy"));
      PeerHandle m = d.register(Peer.of("modest"));
      for (int i = 0; i < 8; i++) {
        greedy.add(g.fetch(get("/bytes/" + SMALL + "/g-" + i)));
      }
      for (int i = 0; i < 2; i++) {
        modest.add(m.fetch(get("/bytes/" + SMALL + "/m-" + i)));
      }
    });
    awaitAll(greedy);
    awaitAll(modest);
    List<Long> order = startOrder();
    assertEquals(1, order.indexOf(modest.get(0).requestId()), "order " + order);
    assertEquals(3, order.indexOf(modest.get(1).requestId()), "order " + order);
  }

  @Test
  void priorityChange_ofAQueuedRequest_movesItAheadOfThePrefetches() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(1));
    List<FetchHandle> handles = new ArrayList<>();
    List<Future<Boolean>> changed = new ArrayList<>();
    onLoop(() -> {
      PeerHandle p = d.register(Peer.of("p"));
      for (int i = 0; i < 4; i++) {
        handles.add(p.fetch(get("/bytes/" + SMALL + "/pc-" + i)));
      }
      changed.add(handles.get(3).changePriority(RequestPriority.BLOCKING));
    });
    assertTrue(await(changed.get(0)));
    awaitAll(handles);
    assertEquals(handles.get(3).requestId(), startOrder().get(0));
    assertTrue(!await(handles.get(3).changePriority(RequestPriority.PREFETCH)),
        "an ended request cannot change priority");
  }

  @Test
  void setPlaying_reslotsQueuedRequestsOfBothPeers() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(1));
    List<FetchHandle> was = new ArrayList<>();
    List<FetchHandle> now = new ArrayList<>();
    onLoop(() -> {
      PeerHandle a = d.register(Peer.of("was-playing", true));
      PeerHandle b = d.register(Peer.of("now-playing", false));
      for (int i = 0; i < 3; i++) {
        was.add(a.fetch(get("/bytes/" + SMALL + "/was-" + i)));
        now.add(b.fetch(get("/bytes/" + SMALL + "/now-" + i)));
      }
      a.setPlaying(false);
      b.setPlaying(true);
    });
    awaitAll(was);
    awaitAll(now);
    List<Long> order = startOrder();
    for (FetchHandle h : now) {
      assertTrue(order.indexOf(h.requestId()) < 3, "the newly playing peer goes first: " + order);
    }
  }

  @Test
  void preemption_cancelsAndRequeuesARunningPrefetch_whenBlockingWorkArrivesAtFullCapacity()
      throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(1).inactivityTimeout(Duration.ofSeconds(5)));
    String prefetchPath = "/bytes/262144/preempted.bin";
    String urgentPath = "/bytes/" + SMALL + "/urgent.bin";
    origin.faults().add(prefetchPath, new Fault.StallAfterBytes(60_000, Duration.ofSeconds(3)),
        1);
    PeerHandle p = d.register(Peer.of("p"));
    FetchHandle prefetch = p.fetch(get(prefetchPath));
    events.await(FetchEvent.FirstByte.class, e -> e.requestId() == prefetch.requestId(), 5_000);
    FetchHandle urgent = p.fetch(get(urgentPath, RequestPriority.BLOCKING));
    FetchResult urgentResult = await(urgent.result());
    FetchResult prefetchResult = await(prefetch.result());
    assertWholeObject(urgentPath, SMALL, urgentResult.body().getBytes());
    assertWholeObject(prefetchPath, 262144, prefetchResult.body().getBytes());
    FetchEvent.Requeued requeued = events.only(prefetch.requestId(), FetchEvent.Requeued.class);
    assertEquals(FetchEvent.RequeueReason.PREEMPTED, requeued.reason());
    List<FetchEvent> all = events.all();
    assertTrue(all.indexOf(events.only(urgent.requestId(), FetchEvent.Completed.class))
        < all.indexOf(events.only(prefetch.requestId(), FetchEvent.Completed.class)));
    if (requeued.receivedBytes() > 0) {
      assertEquals(requeued.receivedBytes(),
          events.only(prefetch.requestId(), FetchEvent.Resumed.class).fromOffsetBytes(),
          "the preempted prefetch keeps its bytes and resumes");
    }
    assertEquals(1, counter("preemptions"));
    assertEquals(1, events.endings(prefetch.requestId()).size());
  }

  @Test
  void preemptingAPrefetchThatWaitsOutRetryAfter_stillHonoursTheRetryAfter() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(1));
    String prefetchPath = "/bytes/" + SMALL + "/retry-after-preempted.bin";
    String urgentPath = "/bytes/" + SMALL + "/urgent-during-backoff.bin";
    origin.faults().add(prefetchPath, new Fault.Status(503, Duration.ofSeconds(2)), 1);
    PeerHandle p = d.register(Peer.of("p"));
    FetchHandle prefetch = p.fetch(get(prefetchPath));
    events.await(FetchEvent.Retrying.class, e -> e.requestId() == prefetch.requestId(), 5_000);
    FetchHandle urgent = p.fetch(get(urgentPath, RequestPriority.BLOCKING));
    assertWholeObject(urgentPath, SMALL, await(urgent.result()).body().getBytes());
    assertWholeObject(prefetchPath, SMALL, await(prefetch.result()).body().getBytes());
    assertEquals(FetchEvent.RequeueReason.PREEMPTED,
        events.only(prefetch.requestId(), FetchEvent.Requeued.class).reason());
    var log = servedLog(origin, prefetchPath);
    assertEquals(2, log.size());
    assertTrue(log.get(1).startNanos() - log.get(0).startNanos()
        >= Duration.ofMillis(1_900).toNanos(), "Retry-After survived the preemption");
  }

  @Test
  void globalCap_isNeverExceeded_asCountedByTheOrigin() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(3).maxInFlightPerOrigin(10));
    origin.faults().add("/bytes/" + SMALL + "/cap-", new Fault.DelayFirstByte(
        Duration.ofMillis(80)));
    List<FetchHandle> handles = new ArrayList<>();
    List<Integer> inFlightSeen = new CopyOnWriteArrayList<>();
    d.addListener(e -> inFlightSeen.add(d.inFlight()));
    onLoop(() -> {
      PeerHandle a = d.register(Peer.of("a"));
      PeerHandle b = d.register(Peer.of("b"));
      for (int i = 0; i < 8; i++) {
        handles.add(a.fetch(get("/bytes/" + SMALL + "/cap-a" + i)));
        handles.add(b.fetch(get("/bytes/" + SMALL + "/cap-b" + i)));
      }
    });
    awaitAll(handles);
    assertEquals(3, origin.stats().maxActiveRequests(), "reached the cap, never more");
    assertTrue(inFlightSeen.stream().allMatch(n -> n <= 3), "gauge " + inFlightSeen);
    for (FetchHandle h : handles) {
      assertEquals(SMALL, await(h.result()).sizeBytes());
    }
  }

  @Test
  void perOriginCap_boundsEachOrigin_whileAnotherOriginKeepsGoing() throws Exception {
    OriginServer second = await(OriginServer.start(vertx, OriginOptions.defaults()));
    try {
      Downloader d = downloader(b -> b.maxInFlight(10).maxInFlightPerOrigin(2));
      origin.faults().add("/bytes/", new Fault.DelayFirstByte(Duration.ofMillis(80)));
      second.faults().add("/bytes/", new Fault.DelayFirstByte(Duration.ofMillis(80)));
      List<FetchHandle> handles = new ArrayList<>();
      onLoop(() -> {
        PeerHandle p = d.register(Peer.of("p"));
        for (int i = 0; i < 8; i++) {
          handles.add(p.fetch(get("/bytes/" + SMALL + "/one-" + i)));
        }
        for (int i = 0; i < 8; i++) {
          handles.add(p.fetch(FetchRequest.builder(second.baseUrl() + "/bytes/" + SMALL
              + "/two-" + i).build()));
        }
      });
      awaitAll(handles);
      assertEquals(2, origin.stats().maxActiveRequests());
      assertEquals(2, second.stats().maxActiveRequests());
      // The first origin's 8 queued requests did not hold back the second origin's.
      long firstStartOnSecond = second.stats().log().stream()
          .mapToLong(io.abrfetch.origin.ServedRequest::startNanos).min().orElseThrow();
      long lastStartOnFirst = origin.stats().log().stream()
          .mapToLong(io.abrfetch.origin.ServedRequest::startNanos).max().orElseThrow();
      assertTrue(firstStartOnSecond < lastStartOnFirst);
    } finally {
      await(second.close());
    }
  }

  @Test
  void fullQueue_rejectsWithQueueFull_neverBlocks_andRejectedRequestsGetNoEvents()
      throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(1).maxQueuedPerPeer(2));
    List<FetchHandle> handles = new ArrayList<>();
    onLoop(() -> {
      PeerHandle p = d.register(Peer.of("p"));
      for (int i = 0; i < 4; i++) {
        handles.add(p.fetch(get("/bytes/" + SMALL + "/q-" + i)));
      }
    });
    await(handles.get(0).result());
    await(handles.get(1).result());
    for (FetchHandle rejected : handles.subList(2, 4)) {
      assertEquals(Kind.QUEUE_FULL, awaitFailure(rejected.result()).kind());
      assertTrue(events.of(rejected.requestId()).isEmpty());
    }
    assertEquals(2, counter("rejections"));
  }

  @Test
  void closingAPeerMidFlight_cancelsItsQueuedAndRunningWork_andOtherPeersAreUnaffected()
      throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(4).inactivityTimeout(Duration.ofSeconds(10)));
    origin.faults().add("/bytes/262144/a-", new Fault.StallAfterBytes(10_000,
        Duration.ofSeconds(20)));
    EventRecorder aEvents = new EventRecorder();
    List<FetchHandle> aHandles = new ArrayList<>();
    List<FetchHandle> bHandles = new ArrayList<>();
    PeerHandle[] peers = new PeerHandle[2];
    onLoop(() -> {
      peers[0] = d.register(Peer.of("a")).addListener(aEvents);
      peers[1] = d.register(Peer.of("b"));
      for (int i = 0; i < 6; i++) {
        aHandles.add(peers[0].fetch(get("/bytes/262144/a-" + i)));
      }
      for (int i = 0; i < 3; i++) {
        bHandles.add(peers[1].fetch(get("/bytes/" + SMALL + "/b-" + i)));
      }
    });
    awaitAll(bHandles);
    events.await(FetchEvent.FirstByte.class, e -> e.peerId().equals("a"), 5_000);
    await(peers[0].close());
    for (FetchHandle h : aHandles) {
      FetchException e = awaitFailure(h.result());
      assertEquals(CancelReason.PEER_CLOSED, e.cancelReason());
      assertEquals(1, events.endings(h.requestId()).size());
      assertEquals(CancelReason.PEER_CLOSED,
          events.only(h.requestId(), FetchEvent.Cancelled.class).reason());
    }
    assertTrue(aEvents.all().stream().allMatch(e -> e.peerId().equals("a")),
        "a peer listener hears only its own peer");
    assertEquals(Kind.CLOSED,
        awaitFailure(peers[0].fetch(get("/bytes/10/late")).result()).kind());
    FetchHandle after = peers[1].fetch(get("/bytes/" + SMALL + "/b-after"));
    assertWholeObject("/bytes/" + SMALL + "/b-after", SMALL, await(after.result()).body()
        .getBytes());
    for (FetchHandle h : bHandles) {
      assertEquals(SMALL, await(h.result()).sizeBytes());
    }
    assertEquals(0, d.inFlight());
    // The id is free again: a new peer may take it.
    d.register(Peer.of("a")).close();
  }

  @Test
  void submissionsFromManyThreads_areAllAccepted_withUniqueIdsAndOneEndingEach()
      throws Exception {
    Downloader d = downloader(b -> b.maxQueuedPerPeer(1_000));
    List<FetchHandle> handles = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      PeerHandle p = d.register(Peer.of("thread-" + t));
      int thread = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 40; i++) {
          handles.add(p.fetch(get("/bytes/4096/t" + thread + "-" + i)));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    awaitAll(handles);
    assertEquals(160, handles.stream().map(FetchHandle::requestId).distinct().count());
    for (FetchHandle h : handles) {
      assertEquals(1, events.endings(h.requestId()).size());
      assertEquals(4096, await(h.result()).sizeBytes());
    }
  }

  @Test
  void registeringALivePeerIdTwice_isRefused() throws Exception {
    Downloader d = downloader();
    d.register(Peer.of("dup"));
    assertThrows(IllegalArgumentException.class, () -> d.register(Peer.of("dup")));
  }

  @Test
  void shutdownWithWorkQueued_endsEveryAcceptedRequestExactlyOnce() throws Exception {
    Downloader d = downloader(b -> b.maxInFlight(2));
    origin.faults().add("/bytes/", new Fault.DelayFirstByte(Duration.ofMillis(300)));
    List<FetchHandle> handles = new ArrayList<>();
    onLoop(() -> {
      PeerHandle p = d.register(Peer.of("p"));
      PeerHandle q = d.register(Peer.of("q", false));
      for (int i = 0; i < 15; i++) {
        handles.add(p.fetch(get("/bytes/" + SMALL + "/s-p" + i)));
        handles.add(q.fetch(get("/bytes/" + SMALL + "/s-q" + i)));
      }
    });
    events.await(FetchEvent.Started.class, e -> true, 5_000);
    await(d.close());
    for (FetchHandle h : handles) {
      FetchException e = awaitFailure(h.result());
      assertEquals(Kind.CANCELLED, e.kind());
      assertEquals(CancelReason.DOWNLOADER_CLOSED, e.cancelReason());
      assertEquals(1, events.endings(h.requestId()).size(), "request " + h.requestId());
    }
    assertEquals(0, d.inFlight());
    assertEquals(0, d.queueDepth());
    assertThrows(FetchException.class, () -> d.register(Peer.of("late")));
    await(d.close()); // idempotent
  }

  @Test
  void undeployingTheVerticleThatCreatedIt_closesTheDownloader_andEndsItsRequests()
      throws Exception {
    origin.faults().add("/bytes/", new Fault.DelayFirstByte(Duration.ofSeconds(5)));
    Downloader[] created = new Downloader[1];
    String deploymentId = await(vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        created[0] = Downloader.create(vertx, testOptions().build(), abr, registry);
        created[0].addListener(events);
        return Future.succeededFuture();
      }
    }));
    PeerHandle p = created[0].register(Peer.of("p"));
    List<FetchHandle> handles = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      handles.add(p.fetch(get("/bytes/" + SMALL + "/undeploy-" + i)));
    }
    events.await(FetchEvent.Started.class, e -> true, 5_000);
    await(vertx.undeploy(deploymentId));
    for (FetchHandle h : handles) {
      assertEquals(CancelReason.DOWNLOADER_CLOSED, awaitFailure(h.result()).cancelReason());
      assertEquals(1, events.endings(h.requestId()).size());
    }
    assertTrue(p.isClosed());
  }

  @Test
  void closingVertx_endsEveryAcceptedRequestExactlyOnce() throws Exception {
    Vertx other = Vertx.vertx();
    EventRecorder otherEvents = new EventRecorder();
    Downloader d = Downloader.create(other, testOptions().maxInFlight(2).build(), abr, registry);
    d.addListener(otherEvents);
    origin.faults().add("/bytes/", new Fault.DelayFirstByte(Duration.ofSeconds(5)));
    PeerHandle p = d.register(Peer.of("p"));
    List<FetchHandle> handles = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      handles.add(p.fetch(get("/bytes/" + SMALL + "/v-" + i)));
    }
    otherEvents.await(FetchEvent.Started.class, e -> true, 5_000);
    await(other.close());
    for (FetchHandle h : handles) {
      // Already complete: callbacks can no longer be scheduled on the closed Vert.x.
      assertTrue(h.result().failed(), "ended before Vert.x finished closing");
      FetchException e = assertInstanceOf(FetchException.class, h.result().cause());
      assertEquals(CancelReason.DOWNLOADER_CLOSED, e.cancelReason());
      assertEquals(1, otherEvents.endings(h.requestId()).size());
    }
  }
}
