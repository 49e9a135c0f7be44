/**
 * A real HTTP origin for demos, tests and load tests that serves deterministic content and can lie:
 * {@link io.abrfetch.origin.OriginServer} serves blobs, a synthetic HLS ladder and a directory,
 * shapes bandwidth and injects {@link io.abrfetch.origin.Fault}s.
 *
 * <p>Threading: an origin runs as one verticle; its request handling, body pumps, shaping links
 * and timers are confined to that verticle's event loop and never block it (delays and stalls are
 * timers, full write queues wait for their drain handler, AES encryption and file system calls run
 * on worker threads). {@link io.abrfetch.origin.OriginStats} and {@link io.abrfetch.origin.FaultPlan}
 * are thread-safe, so tests read and change them from their own thread while the server runs.
 * Values ({@code *Options}, {@code Fault}, {@code ServedRequest}, {@code BandwidthTrace},
 * {@code SyntheticContent}, {@code SyntheticLadder}) are immutable or internally synchronized.
 *
 * <p>Content ({@code ContentSource}, {@code ServedObject}), shaping ({@code RateSchedule},
 * {@code Link}) and the fault plan do not depend on HTTP, so a range-read server on another
 * protocol (the gRPC one of the {@code protocol} module) can reuse them: every
 * {@link io.abrfetch.origin.OriginServer} also answers gRPC range reads on its own port, and
 * {@link io.abrfetch.origin.RangeReadOrigin} serves them on a port and event loop of its own (see
 * {@code GRPC.md}); both are confined to their event loop like the HTTP side.
 */
package io.abrfetch.origin;
