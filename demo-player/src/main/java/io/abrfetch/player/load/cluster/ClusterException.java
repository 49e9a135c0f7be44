package io.abrfetch.player.load.cluster;

/**
 * A clustered load run could not be carried out: the harness failed (not the origin). The command
 * exits non-zero with {@link #getMessage()}; branch on {@link #kind()}.
 */
public final class ClusterException extends RuntimeException {

  /** Why the clustered run failed. */
  public enum Kind {
    /** Fewer workers than expected registered in time (coordinator), or no coordinator answered. */
    REGISTRATION_TIMEOUT,
    /** The coordinator refused this worker (duplicate id, run already started, other version). */
    REFUSED,
    /** The viewers cannot be shared among the workers (their maxima are too small). */
    SPLIT,
    /** A worker could not start its share (bad options on that machine, cannot resolve the URL). */
    WORKER_FAILED,
    /** The coordinator went silent or left the cluster (worker side). */
    COORDINATOR_LOST,
    /** The coordinator reported this worker lost; its viewers were counted lost (worker side). */
    DECLARED_LOST,
    /** Stopped (Ctrl-C) before the run started. */
    STOPPED
  }

  private final Kind kind;

  public ClusterException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ClusterException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
