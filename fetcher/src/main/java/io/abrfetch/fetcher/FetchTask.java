package io.abrfetch.fetcher;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;
import java.util.HashSet;
import java.util.Set;

/**
 * The downloader's state of one accepted request, across its attempts, requeues and resumes.
 *
 * <p>Threading: confined to the downloader's event loop.
 */
final class FetchTask implements SlotScheduler.Entry {

  enum State {
    QUEUED,
    RUNNING,
    ENDED
  }

  final long id;
  final long sequence;
  final PeerHandle peer;
  final FetchRequest request;
  final String originKey;
  final Promise<FetchResult> promise;
  final Promise<ResponseHead> headPromise;
  final long rangeStartBytes;
  final Buffer collected;

  RequestPriority priority;
  State state = State.QUEUED;
  long queuedSinceNanos;
  long firstDispatchNanos = -1;
  long lastProgressNanos;
  long timeToFirstByteNanos = -1;
  int attempts;
  int failedInRow;
  int resumes;
  /** Body bytes delivered to the sink, from the start of the requested range. */
  long receivedBytes;
  String pinnedEtag;
  long pinnedTotalBytes = -1;
  /** The URL whose response was last accepted (after redirects). */
  String servedUrl;
  int lastStatusCode;
  boolean loadSlowEmitted;
  long softTimerId = -1;
  long deadlineTimerId = -1;
  long backoffTimerId = -1;
  /** When the pending retry may start (nano clock), or -1; survives a requeue. */
  long retryAtNanos = -1;
  long transferNanos;
  /** This task's time-weighted fair share of the link over {@link #transferNanos}. */
  double linkShareNanos;
  Future<Void> lastWrite;
  Attempt attempt;
  /**
   * The range attempts ask for: the request's, until a {@link FetchRequest#rangeProbe()} learns
   * the object's real extent (then the object's bytes, or null for the whole object).
   */
  ByteRange range;
  /** Whether a range probe has learned the extent (so {@link #range} is final). */
  boolean probeSettled;

  FetchTask(long id, long sequence, PeerHandle peer, FetchRequest request, String originKey,
      Promise<FetchResult> promise, Promise<ResponseHead> headPromise) {
    this.id = id;
    this.sequence = sequence;
    this.peer = peer;
    this.request = request;
    this.promise = promise;
    this.headPromise = headPromise;
    this.range = request.range();
    this.pinnedEtag = request.ifMatch();
    this.probeSettled = !request.rangeProbe();
    this.priority = request.priority();
    this.originKey = originKey;
    this.servedUrl = request.url();
    this.rangeStartBytes = request.range() == null ? 0 : request.range().offsetBytes();
    if (request.sink() instanceof BodySink.Collect collect) {
      long hint = request.expectedSizeBytes() > 0 ? request.expectedSizeBytes() : 8192;
      collected = Buffer.buffer((int) Math.min(hint, collect.maxBytes()));
    } else {
      collected = null;
    }
  }

  @Override
  public String peerKey() {
    return peer.peerId();
  }

  @Override
  public String originKey() {
    return originKey;
  }

  @Override
  public RequestPriority priority() {
    return priority;
  }

  @Override
  public long sequence() {
    return sequence;
  }

  /** Absolute offset of the next byte the sink wants. */
  /**
   * Body bytes this request will deliver in all: the size the request stated, else what the
   * accepted response's headers promise, else -1 while unknown.
   */
  long expectedBodyBytes() {
    if (request.expectedSizeBytes() > 0) {
      return request.expectedSizeBytes();
    }
    if (attempt != null && attempt.headAccepted && attempt.deliverEndBytes != Long.MAX_VALUE) {
      return attempt.deliverEndBytes - rangeStartBytes;
    }
    return FetchRequest.UNKNOWN_SIZE;
  }

  long wantedOffsetBytes() {
    return rangeStartBytes + receivedBytes;
  }

  /**
   * The time-weighted mean number of body transfers sharing the link during this one's (itself
   * included, so at least 1): its transfer time over its fair share of the link.
   */
  double meanOverlap() {
    return linkShareNanos <= 0 ? 1 : Math.max(1, transferNanos / linkShareNanos);
  }

  /** Whether the body is partly delivered, so the next attempt must continue it. */
  boolean isResuming() {
    return receivedBytes > 0;
  }

  /**
   * One attempt on the wire: from dispatch (or a retry timer) to its body's end or failure,
   * through up to {@code maxRedirects} redirects.
   */
  static final class Attempt {
    final int number;
    final long startNanos;
    /** URLs this attempt asked for besides its first, once it follows a redirect; else null. */
    private Set<String> redirectedUrls;
    private final String firstUrl;
    String url;
    int redirectsLeft;
    boolean dead;
    boolean sentRange;
    boolean sentIfMatch;
    HttpClientRequest httpRequest;
    HttpClientResponse response;
    /** The read of a {@code grpc://} attempt, else null. */
    RangeReadStream grpcRead;
    boolean headAccepted;
    boolean bodyEnded;
    int statusCode;
    long firstByteNanos = -1;
    /** Whether this attempt is counted as a body transfer by the {@link LinkShareClock}. */
    boolean onLink;
    /** The {@link LinkShareClock} reading at the first body byte. */
    double linkShareAtFirstByteNanos;
    /** Absolute object offset of the next byte this response will carry. */
    long positionBytes;
    /** Absolute end of this response's body per its headers, or -1 when unknown. */
    long bodyEndBytes = -1;
    /** Absolute end of what the sink wants, or Long.MAX_VALUE when unknown. */
    long deliverEndBytes = Long.MAX_VALUE;
    boolean rangeIgnored;
    long deliveredBytes;
    long inactivityTimerId = -1;
    /** When the inactivity window last restarted, on the timer clock ({@code System.nanoTime}). */
    long inactiveSinceNanos;
    boolean pausedBySink;

    /** The body's stream: the gRPC read, else the HTTP response. */
    ReadStream<Buffer> body() {
      return grpcRead != null ? grpcRead : response;
    }

    Attempt(int number, long startNanos, String url, int redirectsLeft) {
      this.number = number;
      this.startNanos = startNanos;
      this.url = url;
      this.firstUrl = url;
      this.redirectsLeft = redirectsLeft;
    }

    /** Records {@code next} as visited by this attempt; false when it was already (a loop). */
    boolean visit(String next) {
      if (next.equals(firstUrl)) {
        return false;
      }
      if (redirectedUrls == null) {
        redirectedUrls = new HashSet<>();
      }
      return redirectedUrls.add(next);
    }
  }
}
