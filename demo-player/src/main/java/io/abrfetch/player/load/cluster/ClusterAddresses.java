package io.abrfetch.player.load.cluster;

/**
 * The event-bus addresses of the cluster protocol (see {@code demo-player/CLUSTER.md}). Every
 * message body is a JSON object carrying {@code "protocol": }{@link #PROTOCOL_VERSION}.
 */
final class ClusterAddresses {

  /** Bumped when a message changes incompatibly; members of another version are refused. */
  static final int PROTOCOL_VERSION = 1;

  private static final String PREFIX = "abrfetch.loadtest.";

  /** Worker to coordinator, request: a {@link WorkerHello}; the reply is a {@link Welcome}. */
  static final String REGISTER = PREFIX + "register";
  /** Worker to coordinator, request: {@code {workerId, runId, state}}; the reply is {@code {}}. */
  static final String HEARTBEAT = PREFIX + "heartbeat";
  /** Worker to coordinator, send: a {@link WorkerReport} with {@code final: false}. */
  static final String SNAPSHOT = PREFIX + "snapshot";
  /** Worker to coordinator, request: a {@link WorkerReport} with {@code final: true}. */
  static final String FINAL = PREFIX + "final";

  private ClusterAddresses() {}

  /** Coordinator to one worker, request: an {@link Assignment} or {@code {"type":"stop"}}. */
  static String worker(String workerId) {
    return PREFIX + "worker." + workerId;
  }
}
