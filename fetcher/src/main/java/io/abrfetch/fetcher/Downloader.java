package io.abrfetch.fetcher;

import static io.abrfetch.fetcher.Checks.checkNotNull;

import io.abrfetch.abr.AbrController;
import io.abrfetch.abr.TransferSample;
import io.abrfetch.fetcher.FetchEvent.RequeueReason;
import io.abrfetch.fetcher.FetchEvent.StuckRequest;
import io.abrfetch.fetcher.FetchException.Kind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.streams.WriteStream;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one owner of the HTTP and gRPC clients: peers register with it, submit {@link FetchRequest}s
 * (http, https, or {@code grpc://host:port/path} read over one shared {@link MultiRangeReader}
 * stream per object), and it schedules them under a 2x2 priority map and in-flight caps, watches
 * them with soft and inactivity timeouts and a hang watchdog, retries and resumes them, reports
 * every finished transfer to the shared {@link AbrController}, and ends every accepted request
 * exactly once.
 *
 * <p>Threading: all state is confined to one event-loop context, the one current when
 * {@link #create} runs on an event loop, else a new event-loop context. Public methods may be
 * called from any thread: they hop onto that context and answer with futures; events, listeners,
 * sinks and result callbacks run on it.
 *
 * <p>Lifecycle: {@link #close()} (or undeploying the verticle that created it, or closing Vert.x)
 * cancels every live request ({@link CancelReason#DOWNLOADER_CLOSED}) and closes the clients.
 */
public final class Downloader {

  private static final System.Logger LOG = System.getLogger(Downloader.class.getName());

  private final Vertx vertx;
  private final ContextInternal context;
  private final DownloaderOptions options;
  private final AbrController abr;
  private final FetchMetrics metrics;
  private final HttpClientAgent client;
  private final GrpcTransfer grpc;
  private final List<Consumer<FetchEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, PeerHandle> peerIds = new ConcurrentHashMap<>();
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private final Closeable closeHook;
  private final Promise<Void> closed;

  // Confined to the downloader's event loop.
  private final SlotScheduler<FetchTask> scheduler;
  private final LinkShareClock linkShare = new LinkShareClock();
  private final UrlTargets urlTargets = new UrlTargets();
  private final Map<Long, FetchTask> live = new HashMap<>();
  private final HangWatchdog watchdog;
  private final long inactivityTimeoutMs;
  private final long inactivityTimeoutNanos;
  private long nextSequence = 1;
  private boolean closing;
  private boolean pumpScheduled;
  private boolean pumping;
  private boolean pumpAgain;
  /** Endings whose callbacks are running; each pumps right after them (pumpAfterEnding). */
  private int endingsDelivering;
  private long progress;
  private long progressAtLastTurn;
  private long watchdogTimerId = -1;

  private Downloader(Vertx vertx, DownloaderOptions options, AbrController abr,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.options = options;
    this.abr = abr;
    this.context = EventLoopContexts.currentOrNew(vertx);
    this.metrics = new FetchMetrics(registry, options.name());
    this.scheduler = new SlotScheduler<>(options.maxInFlight(), options.maxInFlightPerOrigin());
    this.watchdog = new HangWatchdog(options.watchdogWindow().toNanos(), now());
    this.inactivityTimeoutMs = options.inactivityTimeout().toMillis();
    this.inactivityTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(inactivityTimeoutMs);
    this.closed = context.promise();
    HttpClientOptions httpOptions = new HttpClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.inactivityTimeout().toMillis()))
        .setDecompressionSupported(false);
    // The scheduler enforces the per-origin cap; the pool only needs room for it plus the
    // connections still closing after a reset, so a new attempt never waits behind a dead one.
    PoolOptions poolOptions = new PoolOptions()
        .setHttp1MaxSize(options.maxInFlightPerOrigin() * 2);
    this.client = vertx.httpClientBuilder().with(httpOptions).with(poolOptions).build();
    this.grpc = new GrpcTransfer(vertx, context, MultiRangeReaderOptions.defaults());
    this.closeHook = this::closeFromHook;
    context.addCloseHook(closeHook);
    if (!options.watchdogTickInterval().isZero()) {
      onContext(() -> {
        if (!closing) {
          watchdogTimerId = vertx.setPeriodic(options.watchdogTickInterval().toMillis(),
              id -> onContext(this::watchdogTurn));
        }
      });
    }
  }

  /** A downloader with no meters. */
  public static Downloader create(Vertx vertx, DownloaderOptions options, AbrController abr) {
    return create(vertx, options, abr, new CompositeMeterRegistry());
  }

  /** A downloader whose meters (prefix {@code abrfetch.fetch.}) register on {@code registry}. */
  public static Downloader create(Vertx vertx, DownloaderOptions options, AbrController abr,
      MeterRegistry registry) {
    checkNotNull(vertx, "vertx");
    checkNotNull(options, "options");
    checkNotNull(abr, "abr");
    checkNotNull(registry, "registry");
    return new Downloader(vertx, options, abr, registry);
  }

  public DownloaderOptions options() {
    return options;
  }

  /**
   * Registers {@code peer}; its id must be unique among live peers (else
   * {@link IllegalArgumentException}). Refused with a {@link FetchException} of kind
   * {@link Kind#CLOSED} once the downloader is closed.
   */
  public PeerHandle register(Peer peer) {
    checkNotNull(peer, "peer");
    String peerId = checkNotNull(peer.id(), "peer.id()");
    if (closed.future().isComplete() || closing) {
      throw FetchException.of(Kind.CLOSED, "downloader " + options.name() + " is closed");
    }
    PeerHandle handle = new PeerHandle(this, peer);
    if (peerIds.putIfAbsent(peerId, handle) != null) {
      throw new IllegalArgumentException("peer.id(): " + peerId + " (expected: not registered)");
    }
    boolean playing = peer.playingAtRegistration();
    onContext(() -> {
      if (closing) {
        handle.markClosed();
        peerIds.remove(peerId, handle);
        return;
      }
      scheduler.addPeer(peerId, playing);
    });
    return handle;
  }

  /** Adds a listener for every peer's events (called on the downloader's event loop). */
  public Downloader addListener(Consumer<FetchEvent> listener) {
    listeners.add(checkNotNull(listener, "listener"));
    return this;
  }

  /** Requests running now (on the wire or waiting to retry); for dashboards, from any thread. */
  public int inFlight() {
    return metrics.inFlight.get();
  }

  /** Requests queued, not yet started; for dashboards, from any thread. */
  public int queueDepth() {
    return metrics.queueDepth.get();
  }

  /**
   * Runs one hang-watchdog turn now and answers its class. The periodic timer
   * ({@link DownloaderOptions#watchdogTickInterval()}) calls the same turn; tests that disable
   * it drive turns with this and an injected {@link DownloaderOptions#nanoClock()}.
   */
  public Future<WatchdogTurn> runWatchdogTick() {
    Promise<WatchdogTurn> promise = context.promise();
    onContext(() -> promise.complete(watchdogTurn()));
    return promise.future();
  }

  /**
   * Cancels every live request ({@link CancelReason#DOWNLOADER_CLOSED}), refuses new ones and
   * closes the HTTP client, the gRPC readers and client; completes once every request has ended.
   * Idempotent.
   */
  public Future<Void> close() {
    onContext(this::shutdown);
    return closed.future();
  }

  // ---- entry points from handles (any thread) ----

  FetchHandle submit(PeerHandle peer, FetchRequest request) {
    Promise<FetchResult> promise = context.promise();
    Promise<ResponseHead> headPromise = context.promise();
    FetchHandle handle;
    long id = nextRequestId.getAndIncrement();
    handle = new FetchHandle(this, id, promise.future(), headPromise.future());
    onContext(() -> accept(peer, id, request, promise, headPromise));
    return handle;
  }

  Future<Boolean> cancel(long requestId, CancelReason reason) {
    Promise<Boolean> promise = context.promise();
    onContext(() -> {
      FetchTask task = live.get(requestId);
      promise.complete(task != null && endCancelled(task, reason));
    });
    return promise.future();
  }

  Future<Boolean> changePriority(long requestId, RequestPriority priority) {
    Promise<Boolean> promise = context.promise();
    onContext(() -> {
      FetchTask task = live.get(requestId);
      if (task == null) {
        promise.complete(false);
        return;
      }
      if (task.state == FetchTask.State.QUEUED && task.priority != priority) {
        scheduler.removeQueued(task);
        task.priority = priority;
        scheduler.enqueue(task);
        schedulePump();
      } else {
        task.priority = priority;
      }
      promise.complete(true);
    });
    return promise.future();
  }

  Future<Void> setPlaying(PeerHandle peer, boolean playing) {
    Promise<Void> promise = context.promise();
    onContext(() -> {
      if (scheduler.hasPeer(peer.peerId()) && peerIds.get(peer.peerId()) == peer) {
        scheduler.setPlaying(peer.peerId(), playing);
        schedulePump();
      }
      promise.complete();
    });
    return promise.future();
  }

  Future<Void> closePeer(PeerHandle peer, CancelReason reason) {
    Promise<Void> promise = context.promise();
    onContext(() -> {
      closePeerOnContext(peer, reason);
      promise.complete();
    });
    return promise.future();
  }

  // ---- confined logic ----

  /** Runs {@code action} on the downloader's event loop: now when already there, else next. */
  void onContext(Runnable action) {
    if (context.nettyEventLoop().inEventLoop()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  void assertOwner() {
    assert context.nettyEventLoop().inEventLoop()
        : "downloader state touched off its event loop by " + Thread.currentThread();
  }

  private long now() {
    return options.nanoClock().getAsLong();
  }

  private void accept(PeerHandle peer, long id, FetchRequest request,
      Promise<FetchResult> promise, Promise<ResponseHead> headPromise) {
    assertOwner();
    if (closing || peer.isClosed() || peerIds.get(peer.peerId()) != peer
        || !scheduler.hasPeer(peer.peerId())) {
      metrics.rejections.increment();
      refuse(promise, headPromise, FetchException.of(Kind.CLOSED, closing ? "downloader is closed"
          : "peer " + peer.peerId() + " is closed"));
      return;
    }
    if (scheduler.queuedCount(peer.peerId()) >= options.maxQueuedPerPeer()) {
      metrics.rejections.increment();
      refuse(promise, headPromise, FetchException.of(Kind.QUEUE_FULL, "peer " + peer.peerId()
          + " has " + options.maxQueuedPerPeer() + " requests queued"));
      return;
    }
    FetchTask task = new FetchTask(id, nextSequence++, peer, request,
        urlTargets.originKey(request.url()), promise, headPromise);
    task.queuedSinceNanos = now();
    task.lastProgressNanos = task.queuedSinceNanos;
    live.put(id, task);
    scheduler.enqueue(task);
    progress++;
    updateGauges();
    if (hasListeners(task)) {
      emit(task, new FetchEvent.Enqueued(id, peer.peerId(), request.url(), task.priority,
          scheduler.isPlaying(peer.peerId())));
    }
    schedulePump();
  }

  /** Fails a refused request's head and result (the head first, as for an accepted one). */
  private static void refuse(Promise<FetchResult> promise, Promise<ResponseHead> headPromise,
      FetchException failure) {
    headPromise.tryFail(failure);
    promise.fail(failure);
  }

  /** Coalesces dispatching into one scheduler turn per event-loop task, so a batch is ranked. */
  private void schedulePump() {
    if (pumpScheduled || closing || endingsDelivering > 0) {
      return; // an ending's callbacks are running: its pumpAfterEnding ranks the batch
    }
    pumpScheduled = true;
    context.runOnContext(v -> {
      pumpScheduled = false;
      pump();
    });
  }

  private void pump() {
    assertOwner();
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    int preemptionsLeft = options.maxInFlight();
    try {
      do {
        pumpAgain = false;
        if (closing) {
          return;
        }
        FetchTask task;
        while ((task = scheduler.next()) != null) {
          dispatch(task);
        }
        // Blocking work held back by capacity preempts at most one prefetch per round, then the
        // round repeats so the freed slot goes to it.
        FetchTask victim = preemptionsLeft > 0 ? scheduler.preemptionVictim() : null;
        if (victim != null) {
          preemptionsLeft--;
          metrics.preemptions.increment();
          requeue(victim, RequeueReason.PREEMPTED);
          pumpAgain = true;
        }
      } while (pumpAgain);
    } finally {
      pumping = false;
      updateGauges();
    }
  }

  private void dispatch(FetchTask task) {
    task.state = FetchTask.State.RUNNING;
    long nowNanos = now();
    if (task.firstDispatchNanos < 0) {
      task.firstDispatchNanos = nowNanos;
      armSoftTimer(task);
      armDeadline(task);
    }
    progress++;
    long retryInNanos = task.retryAtNanos - nowNanos;
    if (task.retryAtNanos >= 0 && retryInNanos > 0) {
      // Requeued while waiting out a retry delay: the delay (maybe a Retry-After) still holds.
      scheduleRetry(task, Duration.ofNanos(retryInNanos));
      return;
    }
    startAttempt(task, nowNanos - task.queuedSinceNanos);
  }

  private void startAttempt(FetchTask task, long queuedNanos) {
    task.backoffTimerId = -1;
    task.retryAtNanos = -1;
    long nowNanos = now();
    FetchTask.Attempt attempt = new FetchTask.Attempt(++task.attempts, nowNanos,
        task.request.url(), options.maxRedirects());
    task.attempt = attempt;
    task.lastProgressNanos = nowNanos;
    if (hasListeners(task)) {
      emit(task, new FetchEvent.Started(task.id, task.peer.peerId(), attempt.number,
          queuedNanos));
    }
    if (task.state != FetchTask.State.RUNNING || task.attempt != attempt) {
      return; // a listener ended or requeued it
    }
    send(task, attempt);
  }

  private void send(FetchTask task, FetchTask.Attempt attempt) {
    armInactivity(task, attempt);
    if (GrpcTransfer.isGrpc(attempt.url)) {
      sendGrpc(task, attempt);
      return;
    }
    RequestOptions ro = urlTargets.target(new RequestOptions(), attempt.url)
        .setMethod(HttpMethod.GET)
        .setFollowRedirects(false);
    ro.putHeader("Accept-Encoding", "identity");
    task.request.headers().forEach(ro::putHeader);
    ByteRange range = task.range;
    attempt.sentRange = range != null || task.isResuming();
    if (attempt.sentRange) {
      long start = task.wantedOffsetBytes();
      String end = range != null && range.isBounded() ? Long.toString(range.endExclusive() - 1)
          : "";
      ro.putHeader("Range", "bytes=" + start + "-" + end);
    }
    attempt.sentIfMatch = (task.isResuming() || task.request.ifMatch() != null)
        && task.pinnedEtag != null && !task.pinnedEtag.startsWith("W/");
    if (attempt.sentIfMatch) {
      ro.putHeader("If-Match", task.pinnedEtag);
    }
    Future<HttpClientRequest> requested;
    try {
      requested = client.request(ro);
    } catch (RuntimeException e) {
      attemptFailed(task, attempt, FetchException.of(Kind.CONNECT, e.toString(), e));
      return;
    }
    requested.onComplete(ar -> {
      if (ar.failed()) {
        if (!attempt.dead) {
          attemptFailed(task, attempt, classifyBeforeHead(ar.cause(), attempt.url));
        }
        return;
      }
      HttpClientRequest httpRequest = ar.result();
      if (attempt.dead) {
        httpRequest.reset();
        return;
      }
      attempt.httpRequest = httpRequest;
      httpRequest.send().onComplete(sent -> {
        if (attempt.dead) {
          if (sent.succeeded()) {
            httpRequest.reset();
          }
          return;
        }
        if (sent.failed()) {
          attemptFailed(task, attempt, classifyBeforeHead(sent.cause(), attempt.url));
        } else {
          onResponse(task, attempt, sent.result());
        }
      });
    });
  }

  private static FetchException classifyBeforeHead(Throwable cause, String url) {
    if (cause instanceof FetchException fe) {
      return fe;
    }
    if (cause instanceof TimeoutException
        || cause instanceof io.netty.channel.ConnectTimeoutException) {
      return FetchException.of(Kind.TIMEOUT, "connecting to " + url + ": " + cause, cause);
    }
    if (cause instanceof ConnectException) {
      return FetchException.of(Kind.CONNECT, "connecting to " + url + ": " + cause, cause);
    }
    return FetchException.of(Kind.CONNECT, "no response head from " + url + ": " + cause, cause);
  }

  private void onResponse(FetchTask task, FetchTask.Attempt attempt, HttpClientResponse resp) {
    assertOwner();
    attempt.response = resp;
    attempt.statusCode = resp.statusCode();
    progress++;
    task.lastProgressNanos = now();
    // The head is judged synchronously, before any body handler exists: Vert.x delivers no body
    // byte before this callback returns, so nothing reaches the sink unjudged and no pause (two
    // channel interest changes per response) is needed.
    resp.exceptionHandler(t -> {
      if (attempt.response == resp) {
        onBodyError(task, attempt, t);
      }
    });
    int status = resp.statusCode();
    if (isRedirect(status)) {
      followRedirect(task, attempt, resp);
      return;
    }
    if (status == 416 && !task.probeSettled && !task.isResuming()) {
      // A probe from byte 0 that nothing satisfies: the object is empty.
      task.probeSettled = true;
      task.lastStatusCode = status;
      task.servedUrl = attempt.url;
      task.headPromise.tryComplete(new ResponseHead(attempt.url, status, resp.headers()));
      if (!attempt.dead) {
        bodyComplete(task, attempt);
      }
      return;
    }
    if (status != 200 && status != 206) {
      attemptFailed(task, attempt, statusFailure(attempt, resp));
      return;
    }
    ResponseHead head = new ResponseHead(attempt.url, status, resp.headers());
    FetchException rejected = judgeHead(task, attempt, resp, head);
    if (rejected != null) {
      attemptFailed(task, attempt, rejected);
      return;
    }
    if (!acceptHead(task, attempt, head)) {
      return;
    }
    resp.handler(chunk -> onChunk(task, attempt, chunk));
    resp.endHandler(v -> onBodyEnd(task, attempt));
  }

  /**
   * Accepts a judged head, HTTP or gRPC alike: FirstByte, the head future, Resumed; false when a
   * listener ended the attempt meanwhile.
   */
  private boolean acceptHead(FetchTask task, FetchTask.Attempt attempt, ResponseHead head) {
    int status = head.statusCode();
    attempt.headAccepted = true;
    task.servedUrl = attempt.url;
    long nowNanos = now();
    attempt.firstByteNanos = nowNanos;
    if (!attempt.dead && !attempt.onLink) {
      attempt.onLink = true;
      attempt.linkShareAtFirstByteNanos = linkShare.join(nowNanos);
    }
    task.lastStatusCode = status;
    if (task.timeToFirstByteNanos < 0) {
      task.timeToFirstByteNanos = nowNanos - task.firstDispatchNanos;
      FetchMetrics.record(metrics.firstByte, task.timeToFirstByteNanos);
    }
    if (hasListeners(task)) {
      emit(task, new FetchEvent.FirstByte(task.id, task.peer.peerId(), attempt.number, status,
          nowNanos - attempt.startNanos, status == 206));
    }
    if (attempt.dead) {
      return false;
    }
    task.headPromise.tryComplete(head);
    if (attempt.dead) {
      return false;
    }
    if (task.isResuming()) {
      task.resumes++;
      metrics.resumes.increment();
      emit(task, new FetchEvent.Resumed(task.id, task.peer.peerId(), attempt.number,
          task.receivedBytes, status == 206));
      if (attempt.dead) {
        return false;
      }
    }
    armInactivity(task, attempt);
    return true;
  }

  /**
   * Runs a {@code grpc://} attempt as one read over the object's shared stream: the read stands
   * in for the response body, so chunks, sink backpressure, timeouts and endings take the HTTP
   * path's code. The head is judged when the read's first data (or its end) arrives, from the
   * object's metadata, which the stream's first response carries before any data.
   */
  private void sendGrpc(FetchTask task, FetchTask.Attempt attempt) {
    ByteRange range = task.range;
    long offset = task.wantedOffsetBytes();
    long length = range != null && range.isBounded() ? range.endExclusive() - offset : 0;
    boolean allDelivered = range != null && range.isBounded() ? length <= 0
        : task.isResuming() && task.pinnedTotalBytes >= 0 && offset >= task.pinnedTotalBytes;
    if (allDelivered) {
      // Every byte arrived before the last attempt died waiting for the range's end: done
      // (length 0 would ask for the rest of the object).
      bodyComplete(task, attempt);
      return;
    }
    attempt.sentRange = range != null || task.isResuming();
    attempt.positionBytes = offset;
    RangeReadStream read;
    try {
      read = grpc.read(attempt.url, offset, length);
    } catch (RuntimeException e) {
      attemptFailed(task, attempt, FetchException.of(Kind.CONNECT, e.toString(), e));
      return;
    }
    attempt.grpcRead = read;
    read.exceptionHandler(t -> attemptFailed(task, attempt,
        GrpcTransfer.classify(t, attempt.url, attempt.positionBytes)));
    read.handler(chunk -> {
      if (attempt.headAccepted || acceptGrpcHead(task, attempt)) {
        onChunk(task, attempt, chunk);
      }
    });
    read.endHandler(v -> {
      if (attempt.headAccepted || acceptGrpcHead(task, attempt)) {
        attempt.bodyEnded = true;
        onBodyEnd(task, attempt);
      }
    });
  }

  private boolean acceptGrpcHead(FetchTask task, FetchTask.Attempt attempt) {
    if (attempt.dead) {
      return false;
    }
    progress++;
    task.lastProgressNanos = now();
    Future<RangeReadMetadata> metadata = attempt.grpcRead.reader().metadata();
    if (!metadata.succeeded()) {
      attemptFailed(task, attempt, FetchException.of(Kind.PROTOCOL,
          "data before the object's metadata from " + attempt.url));
      return false;
    }
    RangeReadMetadata object = metadata.result();
    int status = attempt.sentRange ? 206 : 200;
    attempt.statusCode = status;
    ByteRange range = task.range;
    long deliverEnd = range != null && range.isBounded() ? range.endExclusive()
        : object.sizeBytes();
    // The head a validator sees: what an HTTP origin would have said about the same bytes.
    MultiMap headers = HttpHeaders.headers()
        .add("ETag", object.generation())
        .add("Content-Length", Long.toString(deliverEnd - attempt.positionBytes));
    if (attempt.sentRange) {
      headers.add("Content-Range", "bytes " + attempt.positionBytes + "-" + (deliverEnd - 1)
          + "/" + object.sizeBytes());
    }
    ResponseHead head = new ResponseHead(attempt.url, status, headers);
    FetchException rejected = rejectedByValidator(task, attempt, head);
    if (rejected == null) {
      rejected = pinObject(task, attempt, object.generation(), object.sizeBytes());
    }
    long expected = task.request.expectedSizeBytes();
    if (rejected == null && range != null && range.isBounded()
        && object.sizeBytes() < range.endExclusive()) {
      rejected = FetchException.of(Kind.RANGE, "object of " + object.sizeBytes()
          + " bytes ends before the range " + range + " at " + attempt.url);
    } else if (rejected == null && (range == null || !range.isBounded())
        && expected != FetchRequest.UNKNOWN_SIZE
        && object.sizeBytes() - task.rangeStartBytes != expected) {
      rejected = FetchException.of(Kind.SIZE, "expected " + expected + " bytes, the object at "
          + attempt.url + " has " + (object.sizeBytes() - task.rangeStartBytes));
    }
    if (rejected == null) {
      rejected = checkCollectLimit(task, deliverEnd);
    }
    if (rejected != null) {
      attemptFailed(task, attempt, rejected);
      return false;
    }
    attempt.bodyEndBytes = deliverEnd;
    attempt.deliverEndBytes = deliverEnd;
    return acceptHead(task, attempt, head);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private void followRedirect(FetchTask task, FetchTask.Attempt attempt,
      HttpClientResponse resp) {
    String location = resp.getHeader("Location");
    FetchException failure = null;
    String next = null;
    if (location == null || location.isBlank()) {
      failure = FetchException.of(Kind.REDIRECT,
          "status " + resp.statusCode() + " without Location from " + attempt.url);
    } else {
      try {
        next = URI.create(attempt.url).resolve(location.trim()).toString();
        String scheme = URI.create(next).getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http")
            || scheme.equalsIgnoreCase("https"))) {
          failure = FetchException.of(Kind.REDIRECT, "redirect to non-HTTP " + next);
        }
      } catch (IllegalArgumentException e) {
        failure = FetchException.of(Kind.REDIRECT, "bad Location " + location, e);
      }
    }
    if (failure == null && !attempt.visit(next)) {
      failure = FetchException.of(Kind.REDIRECT, "redirect loop back to " + next);
    }
    if (failure == null && attempt.redirectsLeft <= 0) {
      failure = FetchException.of(Kind.REDIRECT,
          "more than " + options.maxRedirects() + " redirects from " + task.request.url());
    }
    if (failure != null) {
      attemptFailed(task, attempt, failure);
      return;
    }
    // Drop the redirect's connection rather than drain an unknown body.
    attempt.response = null;
    attempt.httpRequest.reset();
    attempt.redirectsLeft--;
    attempt.url = next;
    send(task, attempt);
  }

  private FetchException statusFailure(FetchTask.Attempt attempt, HttpClientResponse resp) {
    int status = resp.statusCode();
    if (status == 412 && attempt.sentIfMatch) {
      return FetchException.of(Kind.CHANGED,
          "412: the object at " + attempt.url + " changed since the first attempt");
    }
    if (status == 416) {
      return FetchException.of(Kind.RANGE, "416 for a range of " + attempt.url
          + " (Content-Range " + resp.getHeader("Content-Range") + ")");
    }
    if (status >= 400) {
      return FetchException.httpStatus(status, attempt.url,
          RetryAfter.parse(resp.getHeader("Retry-After"), options.wallClock()));
    }
    return FetchException.httpStatus(status, attempt.url, null);
  }

  /** Validates a 200/206 head against the request and the object pinned so far; null if fine. */
  private FetchException judgeHead(FetchTask task, FetchTask.Attempt attempt,
      HttpClientResponse resp, ResponseHead head) {
    int status = resp.statusCode();
    FetchRequest request = task.request;
    FetchException invalid = rejectedByValidator(task, attempt, head);
    if (invalid != null) {
      return invalid;
    }
    ByteRange range = task.range;
    long wanted = task.wantedOffsetBytes();
    String contentRange = resp.getHeader("Content-Range");
    long contentLength = parseLength(resp.getHeader("Content-Length"));
    long totalBytes;
    if (!task.probeSettled) {
      // The probe learns the object's extent from its first accepted head; a resume then asks
      // for that extent, not for the probe's range.
      ContentRange cr = ContentRange.parse(contentRange);
      if (status == 206 && cr != null && cr.firstByte() == wanted && cr.totalBytes() >= 0
          && cr.lastByte() + 1 == cr.totalBytes() && cr.totalBytes() < range.endExclusive()) {
        range = ByteRange.of(0, cr.totalBytes());
      } else if (status == 200 && contentRange == null) {
        range = null;
      }
    }
    if (status == 206) {
      if (!attempt.sentRange) {
        return FetchException.of(Kind.RANGE, "unsolicited 206 from " + attempt.url);
      }
      ContentRange cr = ContentRange.parse(contentRange);
      if (cr == null) {
        return FetchException.of(Kind.RANGE,
            "206 with unusable Content-Range '" + contentRange + "' from " + attempt.url);
      }
      if (cr.firstByte() != wanted) {
        return FetchException.of(Kind.RANGE, "asked for bytes from " + wanted + ", got '"
            + contentRange + "' from " + attempt.url);
      }
      if (contentLength >= 0 && contentLength != cr.lengthBytes()) {
        return FetchException.of(Kind.RANGE, "Content-Length " + contentLength
            + " disagrees with '" + contentRange + "' from " + attempt.url);
      }
      totalBytes = cr.totalBytes();
      long wantedEnd = range != null && range.isBounded() ? range.endExclusive()
          : totalBytes >= 0 ? totalBytes : cr.lastByte() + 1;
      if (cr.lastByte() + 1 != wantedEnd) {
        return FetchException.of(Kind.RANGE, "asked for bytes " + wanted + "-" + (wantedEnd - 1)
            + ", got '" + contentRange + "' from " + attempt.url);
      }
      attempt.positionBytes = cr.firstByte();
      attempt.bodyEndBytes = cr.lastByte() + 1;
    } else {
      if (contentRange != null) {
        return FetchException.of(Kind.RANGE, "200 with Content-Range from " + attempt.url);
      }
      totalBytes = contentLength;
      attempt.positionBytes = 0;
      attempt.bodyEndBytes = contentLength;
      attempt.rangeIgnored = attempt.sentRange;
      if (range != null && range.isBounded() && totalBytes >= 0
          && totalBytes < range.endExclusive()) {
        return FetchException.of(Kind.RANGE, "object of " + totalBytes
            + " bytes ends before the range " + range + " at " + attempt.url);
      }
    }
    if (!task.probeSettled) {
      task.probeSettled = true;
      task.range = range;
    }
    FetchException changed = pinObject(task, attempt, resp.getHeader("ETag"), totalBytes);
    if (changed != null) {
      return changed;
    }
    long expected = request.expectedSizeBytes();
    long deliverEnd;
    if (range != null && range.isBounded()) {
      deliverEnd = range.endExclusive();
    } else if (totalBytes >= 0) {
      deliverEnd = totalBytes;
      if (expected != FetchRequest.UNKNOWN_SIZE && totalBytes - task.rangeStartBytes != expected) {
        return FetchException.of(Kind.SIZE, "expected " + expected + " bytes, the object at "
            + attempt.url + " has " + (totalBytes - task.rangeStartBytes));
      }
    } else if (expected != FetchRequest.UNKNOWN_SIZE) {
      deliverEnd = task.rangeStartBytes + expected;
    } else {
      deliverEnd = Long.MAX_VALUE;
    }
    attempt.deliverEndBytes = deliverEnd;
    return checkCollectLimit(task, deliverEnd);
  }

  private static FetchException rejectedByValidator(FetchTask task, FetchTask.Attempt attempt,
      ResponseHead head) {
    Optional<String> rejection;
    try {
      rejection = task.request.validator().rejectionReason(head);
    } catch (RuntimeException e) {
      rejection = Optional.of("validator threw " + e);
    }
    return rejection.map(reason -> FetchException.of(Kind.VALIDATION,
        reason + " from " + attempt.url)).orElse(null);
  }

  /**
   * Pins the object's ETag and size on the first accepted head; a later head naming another
   * object fails with {@link Kind#CHANGED}. Null when the object is the pinned one.
   */
  private static FetchException pinObject(FetchTask task, FetchTask.Attempt attempt, String etag,
      long totalBytes) {
    if (task.pinnedEtag != null && etag != null && !task.pinnedEtag.equals(etag)) {
      return FetchException.of(Kind.CHANGED, "ETag changed from " + task.pinnedEtag + " to "
          + etag + " at " + attempt.url);
    }
    if (task.pinnedTotalBytes >= 0 && totalBytes >= 0 && task.pinnedTotalBytes != totalBytes) {
      return FetchException.of(Kind.CHANGED, "size changed from " + task.pinnedTotalBytes
          + " to " + totalBytes + " bytes at " + attempt.url);
    }
    if (task.pinnedEtag == null) {
      task.pinnedEtag = etag;
    }
    if (task.pinnedTotalBytes < 0) {
      task.pinnedTotalBytes = totalBytes;
    }
    return null;
  }

  private static FetchException checkCollectLimit(FetchTask task, long deliverEnd) {
    if (task.request.sink() instanceof BodySink.Collect collect && deliverEnd != Long.MAX_VALUE
        && deliverEnd - task.rangeStartBytes > collect.maxBytes()) {
      return FetchException.of(Kind.TOO_LARGE, (deliverEnd - task.rangeStartBytes)
          + " bytes exceed the collect limit of " + collect.maxBytes());
    }
    return null;
  }

  private static long parseLength(String value) {
    if (value == null) {
      return -1;
    }
    try {
      long v = Long.parseLong(value.trim());
      return v >= 0 ? v : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void onChunk(FetchTask task, FetchTask.Attempt attempt, Buffer chunk) {
    if (attempt.dead) {
      return;
    }
    long nowNanos = now();
    task.lastProgressNanos = nowNanos;
    progress++;
    long chunkStart = attempt.positionBytes;
    int length = chunk.length();
    attempt.positionBytes += length;
    long chunkEnd = attempt.positionBytes;
    if (chunkEnd > attempt.deliverEndBytes && !attempt.rangeIgnored) {
      attemptFailed(task, attempt, FetchException.of(Kind.OVERLONG, "body passes byte "
          + attempt.deliverEndBytes + " (at least " + chunkEnd + " bytes) from " + attempt.url));
      return;
    }
    long from = Math.max(chunkStart, task.wantedOffsetBytes());
    long to = Math.min(chunkEnd, attempt.deliverEndBytes);
    if (to > from) {
      Buffer slice = from == chunkStart && to == chunkEnd ? chunk
          : chunk.getBuffer((int) (from - chunkStart), (int) (to - chunkStart));
      if (!deliver(task, attempt, slice)) {
        return;
      }
    }
    if (attempt.rangeIgnored && task.wantedOffsetBytes() >= attempt.deliverEndBytes) {
      // The origin sent the whole object for a range: we have our part, drop the rest.
      attempt.bodyEnded = true;
      attempt.httpRequest.reset();
      bodyComplete(task, attempt);
      return;
    }
    if (!attempt.pausedBySink) {
      armInactivity(task, attempt);
    }
  }

  /** Hands {@code slice} to the sink; false when that ended the attempt. */
  private boolean deliver(FetchTask task, FetchTask.Attempt attempt, Buffer slice) {
    int n = slice.length();
    if (task.request.sink() instanceof BodySink.Collect collect) {
      if ((long) task.collected.length() + n > collect.maxBytes()) {
        attemptFailed(task, attempt, FetchException.of(Kind.TOO_LARGE,
            "body exceeds the collect limit of " + collect.maxBytes() + " bytes"));
        return false;
      }
      task.collected.appendBuffer(slice);
    } else {
      WriteStream<Buffer> sink = ((BodySink.Stream) task.request.sink()).target();
      Future<Void> write = sink.write(slice);
      task.lastWrite = write;
      write.onFailure(t -> onContext(() -> {
        if (task.state != FetchTask.State.ENDED) {
          endFailed(task, FetchException.of(Kind.SINK, "sink write failed: " + t, t));
        }
      }));
      if (sink.writeQueueFull() && !attempt.pausedBySink) {
        attempt.pausedBySink = true;
        cancelInactivity(attempt);
        attempt.body().pause();
        sink.drainHandler(v -> onContext(() -> {
          if (!attempt.dead && attempt.pausedBySink) {
            attempt.pausedBySink = false;
            task.lastProgressNanos = now();
            armInactivity(task, attempt);
            attempt.body().resume();
          }
        }));
      }
    }
    task.receivedBytes += n;
    attempt.deliveredBytes += n;
    metrics.bytes.increment(n);
    return true;
  }

  private void onBodyEnd(FetchTask task, FetchTask.Attempt attempt) {
    if (attempt.dead) {
      return;
    }
    attempt.bodyEnded = true;
    if (attempt.bodyEndBytes >= 0 && attempt.positionBytes < attempt.bodyEndBytes) {
      attemptFailed(task, attempt, FetchException.of(Kind.TRUNCATED, "body ended at byte "
          + attempt.positionBytes + " of " + attempt.bodyEndBytes + " from " + attempt.url));
      return;
    }
    if (attempt.deliverEndBytes != Long.MAX_VALUE
        && task.wantedOffsetBytes() < attempt.deliverEndBytes) {
      attemptFailed(task, attempt, FetchException.of(Kind.TRUNCATED, "body ended at byte "
          + task.wantedOffsetBytes() + ", expected " + attempt.deliverEndBytes + " from "
          + attempt.url));
      return;
    }
    bodyComplete(task, attempt);
  }

  private void onBodyError(FetchTask task, FetchTask.Attempt attempt, Throwable cause) {
    if (attempt.dead || attempt.bodyEnded) {
      return;
    }
    FetchException failure;
    if (cause instanceof HttpClosedException && attempt.headAccepted) {
      failure = FetchException.of(Kind.TRUNCATED, "connection closed at byte "
          + attempt.positionBytes + (attempt.bodyEndBytes >= 0 ? " of " + attempt.bodyEndBytes
              : "") + " from " + attempt.url, cause);
    } else if (attempt.headAccepted) {
      failure = FetchException.of(Kind.RESET, "connection broke at byte "
          + attempt.positionBytes + " from " + attempt.url + ": " + cause, cause);
    } else {
      failure = classifyBeforeHead(cause, attempt.url);
    }
    attemptFailed(task, attempt, failure);
  }

  private void bodyComplete(FetchTask task, FetchTask.Attempt attempt) {
    long nowNanos = now();
    closeAttempt(task, attempt, nowNanos);
    Future<Void> lastWrite = task.lastWrite;
    if (lastWrite == null || lastWrite.succeeded()) {
      endCompleted(task);
    } else {
      // Completion waits for the sink to acknowledge the last write; the slot is already free.
      releaseSlot(task);
      lastWrite.onComplete(ar -> onContext(() -> {
        if (task.state == FetchTask.State.ENDED) {
          return;
        }
        if (ar.succeeded()) {
          endCompleted(task);
        } else {
          endFailed(task, FetchException.of(Kind.SINK, "sink write failed: " + ar.cause(),
              ar.cause()));
        }
      }));
    }
  }

  /** Takes {@code attempt} off the wire for good and accounts its transfer time. */
  private void closeAttempt(FetchTask task, FetchTask.Attempt attempt, long nowNanos) {
    if (attempt.dead) {
      return;
    }
    attempt.dead = true;
    cancelInactivity(attempt);
    if (attempt.firstByteNanos >= 0) {
      task.transferNanos += Math.max(0, nowNanos - attempt.firstByteNanos);
    }
    if (attempt.onLink) {
      attempt.onLink = false;
      task.linkShareNanos += linkShare.leave(nowNanos) - attempt.linkShareAtFirstByteNanos;
    }
    if (!attempt.bodyEnded && attempt.httpRequest != null) {
      attempt.httpRequest.reset();
    }
    if (!attempt.bodyEnded && attempt.grpcRead != null) {
      // Stops the read on the server too; the shared stream and its other reads go on.
      attempt.grpcRead.cancel();
    }
    if (task.attempt == attempt) {
      task.attempt = null;
    }
  }

  private void attemptFailed(FetchTask task, FetchTask.Attempt attempt, FetchException failure) {
    if (attempt.dead || task.state != FetchTask.State.RUNNING) {
      return;
    }
    closeAttempt(task, attempt, now());
    progress++;
    task.failedInRow = attempt.deliveredBytes > 0 ? 1 : task.failedInRow + 1;
    RetryDecision decision;
    if (task.attempts >= options.maxAttemptsPerRequest()) {
      decision = new RetryDecision.GiveUp(task.attempts + " attempts (maxAttemptsPerRequest)");
    } else {
      try {
        decision = options.retryPolicy().decide(task.failedInRow, failure);
      } catch (RuntimeException e) {
        decision = new RetryDecision.GiveUp("retry policy threw " + e);
      }
    }
    if (decision instanceof RetryDecision.Retry retry) {
      metrics.retries.increment();
      emit(task, new FetchEvent.Retrying(task.id, task.peer.peerId(), attempt.number,
          retry.delay(), failure.kind(), failure.statusCode()));
      if (task.state != FetchTask.State.RUNNING || task.attempt != null) {
        return;
      }
      task.retryAtNanos = now() + retry.delay().toNanos();
      scheduleRetry(task, retry.delay());
    } else {
      endFailed(task, failure);
    }
  }

  /** Starts the next attempt of a running {@code task} after {@code delay}, holding its slot. */
  private void scheduleRetry(FetchTask task, Duration delay) {
    long delayMs = delay.toMillis();
    if (delayMs <= 0) {
      context.runOnContext(v -> {
        if (task.state == FetchTask.State.RUNNING && task.attempt == null
            && task.backoffTimerId == -1) {
          startAttempt(task, 0);
        }
      });
    } else {
      task.backoffTimerId = vertx.setTimer(delayMs, id -> onContext(() -> {
        if (task.backoffTimerId == id && task.state == FetchTask.State.RUNNING) {
          startAttempt(task, 0);
        }
      }));
    }
  }

  /**
   * Restarts the inactivity clock of {@code attempt}. The timer is not moved on every chunk: one
   * timer per quiet stretch, armed for the whole window; when it fires early (there was activity
   * since), it re-arms for what is left of the window, so a fast body costs one timer, not one per
   * chunk. Vert.x timers run on the real monotonic clock, so the window is measured with it too
   * ({@link #timerNanos()}), not with the injectable {@code nanoClock}.
   */
  private void armInactivity(FetchTask task, FetchTask.Attempt attempt) {
    attempt.inactiveSinceNanos = timerNanos();
    if (attempt.inactivityTimerId == -1) {
      scheduleInactivity(task, attempt, inactivityTimeoutMs);
    }
  }

  private void scheduleInactivity(FetchTask task, FetchTask.Attempt attempt, long delayMs) {
    attempt.inactivityTimerId = vertx.setTimer(delayMs,
        id -> onContext(() -> {
          if (attempt.dead || attempt.inactivityTimerId != id) {
            return;
          }
          long leftNanos = inactivityTimeoutNanos - (timerNanos() - attempt.inactiveSinceNanos);
          if (leftNanos > 0) {
            // Activity since this timer was armed: wait out the rest of the window.
            scheduleInactivity(task, attempt, Math.max(1, (leftNanos + 999_999) / 1_000_000));
            return;
          }
          attempt.inactivityTimerId = -1;
          metrics.inactivityTimeouts.increment();
          if (attempt.headAccepted) {
            emit(task, new FetchEvent.Stalled(task.id, task.peer.peerId(), attempt.number,
                task.receivedBytes, options.inactivityTimeout()));
            attemptFailed(task, attempt, FetchException.of(Kind.STALLED, "no body bytes for "
                + options.inactivityTimeout().toMillis() + " ms at byte "
                + attempt.positionBytes + " from " + attempt.url));
          } else {
            attemptFailed(task, attempt, FetchException.of(Kind.TIMEOUT, "no response head for "
                + options.inactivityTimeout().toMillis() + " ms from " + attempt.url));
          }
        }));
  }

  /** The clock of Vert.x timers (real, monotonic), for the inactivity window only. */
  private static long timerNanos() {
    return System.nanoTime();
  }

  private void cancelInactivity(FetchTask.Attempt attempt) {
    if (attempt.inactivityTimerId != -1) {
      vertx.cancelTimer(attempt.inactivityTimerId);
      attempt.inactivityTimerId = -1;
    }
  }

  private void armSoftTimer(FetchTask task) {
    Duration soft = options.softTimeoutFor(task.request.mediaDurationUs());
    task.softTimerId = vertx.setTimer(Math.max(1, soft.toMillis()), id -> onContext(() -> {
      task.softTimerId = -1;
      if (task.state == FetchTask.State.ENDED || task.loadSlowEmitted) {
        return;
      }
      task.loadSlowEmitted = true;
      metrics.softTimeouts.increment();
      FetchEvent.LoadSlow slow = new FetchEvent.LoadSlow(task.id, task.peer.peerId(),
          now() - task.firstDispatchNanos, task.receivedBytes, task.expectedBodyBytes());
      emit(task, slow);
      if (task.state == FetchTask.State.ENDED) {
        return;
      }
      boolean abandon;
      try {
        abandon = task.peer.peer().onLoadSlow(slow);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "abandon hook of peer " + task.peer.peerId()
            + " threw; the request keeps running", e);
        abandon = false;
      }
      if (abandon) {
        endCancelled(task, CancelReason.ABANDONED);
      }
    }));
  }

  private void armDeadline(FetchTask task) {
    Duration cap = task.request.totalTimeout() != null ? task.request.totalTimeout()
        : options.requestTimeout();
    if (cap == null) {
      return;
    }
    task.deadlineTimerId = vertx.setTimer(cap.toMillis(), id -> onContext(() -> {
      task.deadlineTimerId = -1;
      if (task.state != FetchTask.State.ENDED) {
        metrics.deadlineTimeouts.increment();
        endFailed(task, FetchException.of(Kind.DEADLINE, "not done within " + cap.toMillis()
            + " ms: " + task.request.url()));
      }
    }));
  }

  /** Takes a running task off the wire, keeping its bytes, and puts it back in its queue. */
  private void requeue(FetchTask task, RequeueReason reason) {
    if (task.state != FetchTask.State.RUNNING) {
      return;
    }
    if (task.attempt != null) {
      closeAttempt(task, task.attempt, now());
    }
    cancelBackoff(task);
    scheduler.finished(task);
    task.state = FetchTask.State.QUEUED;
    task.queuedSinceNanos = now();
    task.failedInRow = 0;
    if (scheduler.hasPeer(task.peer.peerId())) {
      scheduler.enqueue(task);
    } else {
      endCancelled(task, CancelReason.PEER_CLOSED);
      return;
    }
    progress++;
    emit(task, new FetchEvent.Requeued(task.id, task.peer.peerId(), reason, task.receivedBytes));
    schedulePump();
  }

  private void cancelBackoff(FetchTask task) {
    if (task.backoffTimerId != -1) {
      vertx.cancelTimer(task.backoffTimerId);
      task.backoffTimerId = -1;
    }
  }

  private void releaseSlot(FetchTask task) {
    if (scheduler.isRunning(task)) {
      scheduler.finished(task);
      pump();
    }
  }

  /** Moves {@code task} to ENDED, frees what it held; false when it had already ended. */
  private boolean end(FetchTask task) {
    assertOwner();
    if (task.state == FetchTask.State.ENDED) {
      return false;
    }
    if (task.state == FetchTask.State.QUEUED) {
      scheduler.removeQueued(task);
    }
    task.state = FetchTask.State.ENDED;
    if (task.attempt != null) {
      closeAttempt(task, task.attempt, now());
    }
    cancelBackoff(task);
    if (task.softTimerId != -1) {
      vertx.cancelTimer(task.softTimerId);
      task.softTimerId = -1;
    }
    if (task.deadlineTimerId != -1) {
      vertx.cancelTimer(task.deadlineTimerId);
      task.deadlineTimerId = -1;
    }
    if (scheduler.isRunning(task)) {
      scheduler.finished(task);
    }
    live.remove(task.id);
    progress++;
    updateGauges();
    return true;
  }

  private long elapsedSinceDispatch(FetchTask task) {
    return task.firstDispatchNanos < 0 ? 0 : now() - task.firstDispatchNanos;
  }

  private void endCompleted(FetchTask task) {
    if (!end(task)) {
      return;
    }
    endingsDelivering++;
    try {
      deliverCompleted(task);
    } finally {
      endingsDelivering--;
    }
    pumpAfterEnding();
  }

  private void deliverCompleted(FetchTask task) {
    long nowNanos = now();
    long elapsed = elapsedSinceDispatch(task);
    FetchMetrics.record(metrics.completed, elapsed);
    double overlap = task.meanOverlap();
    if (task.receivedBytes > 0) {
      try {
        abr.onTransfer(task.peer.peerId(), new TransferSample(task.receivedBytes,
            task.transferNanos, overlap, nowNanos));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "AbrController.onTransfer threw", e);
      }
    }
    if (hasListeners(task)) {
      emit(task, new FetchEvent.Completed(task.id, task.peer.peerId(), task.receivedBytes,
          elapsed, task.attempts, task.transferNanos, overlap));
    }
    task.promise.complete(new FetchResult(task.id, task.servedUrl, task.lastStatusCode,
        task.receivedBytes, task.collected, task.pinnedEtag, task.attempts, task.resumes,
        task.timeToFirstByteNanos, elapsed));
  }

  /**
   * Refills the freed slot at once, after the ending was delivered: result callbacks and
   * listeners run synchronously on this loop, so whatever they submitted is already queued and
   * ranked with the rest; deferring to another loop turn would only add latency.
   */
  private void pumpAfterEnding() {
    if (!closing) {
      pump();
    }
  }

  private void endFailed(FetchTask task, FetchException failure) {
    if (!end(task)) {
      return;
    }
    FetchMetrics.record(metrics.failed, elapsedSinceDispatch(task));
    endingsDelivering++;
    try {
      if (hasListeners(task)) {
        emit(task, new FetchEvent.Failed(task.id, task.peer.peerId(), failure.kind(),
            failure.statusCode(), task.attempts, failure.getMessage()));
      }
      task.headPromise.tryFail(failure);
      task.promise.fail(failure);
    } finally {
      endingsDelivering--;
    }
    pumpAfterEnding();
  }

  private boolean endCancelled(FetchTask task, CancelReason reason) {
    if (!end(task)) {
      return false;
    }
    FetchMetrics.record(metrics.cancelled, elapsedSinceDispatch(task));
    endingsDelivering++;
    try {
      if (hasListeners(task)) {
        emit(task, new FetchEvent.Cancelled(task.id, task.peer.peerId(), reason,
            task.receivedBytes));
      }
      FetchException cancelled = FetchException.cancelled(reason);
      task.headPromise.tryFail(cancelled);
      task.promise.fail(cancelled);
    } finally {
      endingsDelivering--;
    }
    pumpAfterEnding();
    return true;
  }

  private void closePeerOnContext(PeerHandle peer, CancelReason reason) {
    assertOwner();
    if (peer.isClosed()) {
      return;
    }
    peer.markClosed();
    String peerId = peer.peerId();
    if (peerIds.get(peerId) != peer) {
      return;
    }
    for (FetchTask queued : scheduler.removePeer(peerId)) {
      endCancelled(queued, reason);
    }
    List<FetchTask> running = new ArrayList<>();
    for (FetchTask task : live.values()) {
      if (task.peer == peer) {
        running.add(task);
      }
    }
    for (FetchTask task : running) {
      endCancelled(task, reason);
    }
    peerIds.remove(peerId, peer);
    try {
      abr.unregister(peerId);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "AbrController.unregister threw", e);
    }
  }

  private WatchdogTurn watchdogTurn() {
    assertOwner();
    try {
      long advanced = progress - progressAtLastTurn;
      progressAtLastTurn = progress;
      List<FetchTask> onWire = new ArrayList<>();
      for (FetchTask task : scheduler.running()) {
        FetchTask.Attempt attempt = task.attempt;
        // Waiting out a retry delay or a full sink is not a hang: the wire is not to blame.
        if (attempt != null && !attempt.dead && !attempt.pausedBySink) {
          onWire.add(task);
        }
      }
      WatchdogTurn turn = HangWatchdog.classify(advanced, onWire.size());
      long nowNanos = now();
      long stalledNanos = watchdog.turn(nowNanos, turn);
      if (stalledNanos != HangWatchdog.NO_HANG && !onWire.isEmpty()) {
        metrics.hangs.increment();
        List<StuckRequest> dump = new ArrayList<>();
        for (FetchTask task : onWire) {
          dump.add(new StuckRequest(task.id, task.peer.peerId(), task.attempt.url,
              task.attempt.number, task.lastProgressNanos, task.receivedBytes));
        }
        Duration stalledFor = Duration.ofNanos(stalledNanos);
        LOG.log(System.Logger.Level.WARNING, "downloader " + options.name() + " hung for "
            + stalledFor + ", requeuing " + dump);
        for (FetchTask task : onWire) {
          emit(task, new FetchEvent.Hung(task.id, task.peer.peerId(), stalledFor, dump));
        }
        for (FetchTask task : onWire) {
          requeue(task, RequeueReason.HUNG);
        }
      }
      return turn;
    } catch (RuntimeException e) {
      // The watchdog runs in production: it reports, it never takes the downloader down.
      LOG.log(System.Logger.Level.ERROR, "hang watchdog turn failed", e);
      return WatchdogTurn.IDLE;
    }
  }

  /** Whether anyone listens to {@code task}'s events: events nobody hears are not built. */
  private boolean hasListeners(FetchTask task) {
    return !listeners.isEmpty() || !task.peer.listeners.isEmpty();
  }

  private void emit(FetchTask task, FetchEvent event) {
    for (Consumer<FetchEvent> listener : task.peer.listeners) {
      notify(listener, event);
    }
    for (Consumer<FetchEvent> listener : listeners) {
      notify(listener, event);
    }
  }

  private static void notify(Consumer<FetchEvent> listener, FetchEvent event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "fetch event listener threw on " + event, e);
    }
  }

  private void updateGauges() {
    // Ordered stores suffice for gauges read by other threads; most calls change nothing.
    int inFlight = scheduler.inFlight();
    if (metrics.inFlight.getPlain() != inFlight) {
      metrics.inFlight.setRelease(inFlight);
    }
    int queued = scheduler.queuedCount();
    if (metrics.queueDepth.getPlain() != queued) {
      metrics.queueDepth.setRelease(queued);
    }
  }

  private void closeFromHook(Completable<Void> completion) {
    onContext(() -> {
      shutdown();
      closed.future().onComplete(completion);
    });
  }

  private void shutdown() {
    assertOwner();
    if (closing) {
      return;
    }
    closing = true;
    if (watchdogTimerId != -1) {
      vertx.cancelTimer(watchdogTimerId);
      watchdogTimerId = -1;
    }
    for (FetchTask task : new ArrayList<>(live.values())) {
      endCancelled(task, CancelReason.DOWNLOADER_CLOSED);
    }
    for (PeerHandle peer : new ArrayList<>(peerIds.values())) {
      peer.markClosed();
      scheduler.removePeer(peer.peerId());
      try {
        abr.unregister(peer.peerId());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "AbrController.unregister threw", e);
      }
    }
    peerIds.clear();
    updateGauges();
    context.removeCloseHook(closeHook);
    Future.join(client.close(), grpc.close()).onComplete(ar -> closed.tryComplete());
  }
}
