package io.abrfetch.player.load.cluster;

import java.util.List;
import java.util.Objects;

/**
 * How one process takes part in a clustered load run: its role, how it joins the Hazelcast
 * cluster, and the coordinator's and workers' timing. Immutable; validated in the constructor;
 * build with {@link #builder(ClusterRole)}.
 *
 * @param role coordinator or worker
 * @param members Hazelcast addresses to join through (TCP-IP): a worker lists the coordinator's
 *     (at least one); the coordinator may list none, it founds the cluster
 * @param clusterHostOrNull the address Hazelcast and the event bus bind to and advertise, or null
 *     to let Hazelcast pick an interface (it prefers one matching {@code members})
 * @param publicHostOrNull the address other members reach this one at when it differs from the
 *     bound one (NAT), or null
 * @param clusterPort Hazelcast's port; a worker tries the next 99 when it is taken, the
 *     coordinator does not (workers list its port)
 * @param eventBusPort the event bus's TCP port, 0 for any free one
 * @param clusterName members with another name ignore this cluster
 * @param expectedWorkers the coordinator starts the run when this many workers have registered
 * @param workerId a worker's name in reports, unique in the run
 * @param maxViewers the most viewers a worker accepts, 0 for no limit
 * @param splitMode how the coordinator shares the viewers
 * @param startDelayMs the coordinator starts the run this long after sending the assignments, so
 *     every worker is ready at the common start
 * @param registerTimeoutMs the coordinator gives up (harness failure) when fewer workers have
 *     registered after this long; a worker gives up when no coordinator answered
 * @param heartbeatIntervalMs a worker sends a heartbeat this often
 * @param heartbeatTimeoutMs a worker silent this long is lost (and a coordinator silent this long
 *     makes a worker stop its viewers)
 * @param snapshotIntervalMs a running worker sends its metrics and new timeline samples this often
 */
public record ClusterSettings(
    ClusterRole role,
    List<HostPort> members,
    String clusterHostOrNull,
    String publicHostOrNull,
    int clusterPort,
    int eventBusPort,
    String clusterName,
    int expectedWorkers,
    String workerId,
    int maxViewers,
    ViewerSplitMode splitMode,
    long startDelayMs,
    long registerTimeoutMs,
    long heartbeatIntervalMs,
    long heartbeatTimeoutMs,
    long snapshotIntervalMs) {

  public static final int DEFAULT_CLUSTER_PORT = 5701;
  public static final String DEFAULT_CLUSTER_NAME = "abrfetch-loadtest";
  public static final long DEFAULT_START_DELAY_MS = 3_000;
  public static final long DEFAULT_REGISTER_TIMEOUT_MS = 60_000;
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
  public static final long DEFAULT_HEARTBEAT_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_SNAPSHOT_INTERVAL_MS = 2_000;
  /** Ports a worker tries after {@link #clusterPort()} when it is taken. */
  public static final int WORKER_PORT_COUNT = 100;

  public ClusterSettings {
    Objects.requireNonNull(role, "role");
    members = List.copyOf(members);
    check(role == ClusterRole.COORDINATOR || !members.isEmpty(), "--members", "''",
        "at least one host:port");
    check(clusterHostOrNull == null || !clusterHostOrNull.isBlank(), "--cluster-host", "''",
        "an address");
    check(publicHostOrNull == null || !publicHostOrNull.isBlank(), "--cluster-public-host", "''",
        "an address");
    check(clusterPort >= 1 && clusterPort <= 65_535, "--cluster-port", clusterPort, "1..65535");
    check(eventBusPort >= 0 && eventBusPort <= 65_535, "--eventbus-port", eventBusPort,
        "0..65535");
    Objects.requireNonNull(clusterName, "clusterName");
    check(!clusterName.isBlank(), "--cluster-name", "''", "a name");
    check(role != ClusterRole.COORDINATOR || expectedWorkers >= 1, "--workers", expectedWorkers,
        ">= 1");
    Objects.requireNonNull(workerId, "workerId");
    check(!workerId.isBlank() && workerId.chars().noneMatch(Character::isWhitespace),
        "--worker-id", "'" + workerId + "'", "a name without spaces");
    check(maxViewers >= 0, "--max-viewers", maxViewers, ">= 0, 0 for no limit");
    Objects.requireNonNull(splitMode, "splitMode");
    check(startDelayMs >= 0, "--start-delay", startDelayMs + " ms", ">= 0");
    check(registerTimeoutMs >= 1, "--register-timeout", registerTimeoutMs + " ms", "> 0");
    check(heartbeatIntervalMs >= 1, "heartbeatIntervalMs", heartbeatIntervalMs, ">= 1");
    check(heartbeatTimeoutMs > heartbeatIntervalMs, "--heartbeat-timeout",
        heartbeatTimeoutMs + " ms", "> the heartbeat interval, " + heartbeatIntervalMs + " ms");
    check(snapshotIntervalMs >= 1, "snapshotIntervalMs", snapshotIntervalMs, ">= 1");
  }

  private static void check(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }
  }

  public static Builder builder(ClusterRole role) {
    return new Builder(role);
  }

  /** Builds {@link ClusterSettings}; starts from the {@code DEFAULT_*} constants. */
  public static final class Builder {
    private final ClusterRole role;
    private List<HostPort> members = List.of();
    private String clusterHost;
    private String publicHost;
    private int clusterPort = DEFAULT_CLUSTER_PORT;
    private int eventBusPort;
    private String clusterName = DEFAULT_CLUSTER_NAME;
    private int expectedWorkers = 1;
    private String workerId;
    private int maxViewers;
    private ViewerSplitMode splitMode = ViewerSplitMode.CORES;
    private long startDelayMs = DEFAULT_START_DELAY_MS;
    private long registerTimeoutMs = DEFAULT_REGISTER_TIMEOUT_MS;
    private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
    private long heartbeatTimeoutMs = DEFAULT_HEARTBEAT_TIMEOUT_MS;
    private long snapshotIntervalMs = DEFAULT_SNAPSHOT_INTERVAL_MS;

    private Builder(ClusterRole role) {
      this.role = Objects.requireNonNull(role, "role");
    }

    public Builder members(List<HostPort> value) {
      members = Objects.requireNonNull(value, "members");
      return this;
    }

    public Builder clusterHost(String valueOrNull) {
      clusterHost = valueOrNull;
      return this;
    }

    public Builder publicHost(String valueOrNull) {
      publicHost = valueOrNull;
      return this;
    }

    public Builder clusterPort(int value) {
      clusterPort = value;
      return this;
    }

    public Builder eventBusPort(int value) {
      eventBusPort = value;
      return this;
    }

    public Builder clusterName(String value) {
      clusterName = value;
      return this;
    }

    public Builder expectedWorkers(int value) {
      expectedWorkers = value;
      return this;
    }

    /** A worker's name; null (the default) for {@code host-pid}. */
    public Builder workerId(String valueOrNull) {
      workerId = valueOrNull;
      return this;
    }

    public Builder maxViewers(int value) {
      maxViewers = value;
      return this;
    }

    public Builder splitMode(ViewerSplitMode value) {
      splitMode = value;
      return this;
    }

    public Builder startDelayMs(long value) {
      startDelayMs = value;
      return this;
    }

    public Builder registerTimeoutMs(long value) {
      registerTimeoutMs = value;
      return this;
    }

    public Builder heartbeatIntervalMs(long value) {
      heartbeatIntervalMs = value;
      return this;
    }

    public Builder heartbeatTimeoutMs(long value) {
      heartbeatTimeoutMs = value;
      return this;
    }

    public Builder snapshotIntervalMs(long value) {
      snapshotIntervalMs = value;
      return this;
    }

    public ClusterSettings build() {
      return new ClusterSettings(role, members, clusterHost, publicHost, clusterPort, eventBusPort,
          clusterName, expectedWorkers, workerId == null ? defaultWorkerId() : workerId,
          maxViewers, splitMode, startDelayMs,
          registerTimeoutMs, heartbeatIntervalMs, heartbeatTimeoutMs, snapshotIntervalMs);
    }
  }

  /** {@code host-pid}: unique per process on a machine, readable in a report. */
  static String defaultWorkerId() {
    String host = localHostName();
    int dot = host.indexOf('.');
    String shortHost = dot > 0 ? host.substring(0, dot) : host;
    return shortHost.replaceAll("\\s", "_") + "-" + ProcessHandle.current().pid();
  }

  /** This machine's name ({@code HOSTNAME}, else a lookup that may block: not on an event loop). */
  static String localHostName() {
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown";
    }
  }
}
