/**
 * The downloader: one owner of the HTTP client that schedules the segment fetches of registered
 * peers under a 2x2 priority map and in-flight caps, with soft and inactivity timeouts, resume,
 * retries, a hang watchdog, events, metrics and a bandwidth feed into the shared ABR controller.
 *
 * <p><b>Threading rule.</b> A {@link io.abrfetch.fetcher.Downloader}'s state is confined to one
 * Vert.x event-loop context (the one current when it is created on an event loop, else a new
 * one) and needs no locks; the confinement is asserted at entry points. Every public method of
 * {@code Downloader}, {@link io.abrfetch.fetcher.PeerHandle} and
 * {@link io.abrfetch.fetcher.FetchHandle} may be called from any thread: it hops onto that context
 * and answers with a {@link io.vertx.core.Future}. Events, listeners, validators, abandon hooks,
 * stream sinks and result callbacks run on that event loop and must never block it. Value types
 * (requests, options, events, results) are immutable records, safe to share.
 *
 * <p>A {@link io.abrfetch.fetcher.MultiRangeReader} and its
 * {@link io.abrfetch.fetcher.RangeReadStream}s follow the same rule: confined to the context that
 * created the reader, callable from any thread. A {@link io.abrfetch.fetcher.ParallelRangeGet} runs
 * on its downloader's event loop; its {@code start}, {@code cancel} and byte counters may be
 * called from any thread. The HLS track peers live in
 * {@code io.abrfetch.fetcher.hls}, with their own rule.
 */
package io.abrfetch.fetcher;
