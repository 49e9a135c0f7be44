package io.abrfetch.fetcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The downloader's Micrometer meters, all tagged {@code downloader=<name>}.
 *
 * <p>Threading: updated on the downloader's event loop; gauges read from any thread.
 */
final class FetchMetrics {

  static final String PREFIX = "abrfetch.fetch.";

  final Counter bytes;
  final Timer completed;
  final Timer failed;
  final Timer cancelled;
  final Timer firstByte;
  final Counter softTimeouts;
  final Counter inactivityTimeouts;
  final Counter deadlineTimeouts;
  final Counter retries;
  final Counter resumes;
  final Counter preemptions;
  final Counter hangs;
  final Counter rejections;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger queueDepth = new AtomicInteger();

  FetchMetrics(MeterRegistry registry, String downloaderName) {
    Tags tags = Tags.of("downloader", downloaderName);
    bytes = Counter.builder(PREFIX + "bytes").baseUnit("bytes").tags(tags)
        .description("Body bytes delivered to sinks").register(registry);
    completed = fetchTimer(registry, tags, "completed");
    failed = fetchTimer(registry, tags, "failed");
    cancelled = fetchTimer(registry, tags, "cancelled");
    firstByte = Timer.builder(PREFIX + "first.byte").tags(tags)
        .description("Time from a request's first dispatch to its first accepted response head")
        .register(registry);
    softTimeouts = timeouts(registry, tags, "soft");
    inactivityTimeouts = timeouts(registry, tags, "inactivity");
    deadlineTimeouts = timeouts(registry, tags, "deadline");
    retries = Counter.builder(PREFIX + "retries").tags(tags)
        .description("Attempts retried after a failure").register(registry);
    resumes = Counter.builder(PREFIX + "resumes").tags(tags)
        .description("Attempts that continued a partly received body").register(registry);
    preemptions = Counter.builder(PREFIX + "preemptions").tags(tags)
        .description("Running prefetches cancelled and requeued for blocking work")
        .register(registry);
    hangs = Counter.builder(PREFIX + "hangs").tags(tags)
        .description("Hang watchdog episodes (each healed by cancel and requeue)")
        .register(registry);
    rejections = Counter.builder(PREFIX + "rejections").tags(tags)
        .description("Requests refused at submission (queue full or closed)").register(registry);
    Gauge.builder(PREFIX + "in.flight", inFlight, AtomicInteger::get).tags(tags)
        .description("Requests holding a slot (on the wire or waiting to retry)")
        .register(registry);
    Gauge.builder(PREFIX + "queue.depth", queueDepth, AtomicInteger::get).tags(tags)
        .description("Requests queued, not yet started").register(registry);
  }

  private static Timer fetchTimer(MeterRegistry registry, Tags tags, String outcome) {
    return Timer.builder(PREFIX + "duration").tags(tags.and("outcome", outcome))
        .description("Time from a request's first dispatch to its ending").register(registry);
  }

  private static Counter timeouts(MeterRegistry registry, Tags tags, String type) {
    return Counter.builder(PREFIX + "timeouts").tags(tags.and("type", type))
        .description("Soft deadlines passed, inactivity timeouts fired, overall deadlines hit")
        .register(registry);
  }

  static void record(Timer timer, long nanos) {
    timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }
}
