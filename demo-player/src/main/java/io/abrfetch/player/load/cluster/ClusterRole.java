package io.abrfetch.player.load.cluster;

/** What a process does in a clustered load run. */
public enum ClusterRole {
  /** Waits for the workers, splits the viewers, starts them at one time, merges and reports. */
  COORDINATOR,
  /** Registers with the coordinator, runs its share of the viewers, reports its metrics. */
  WORKER
}
