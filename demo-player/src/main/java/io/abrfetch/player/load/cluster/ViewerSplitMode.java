package io.abrfetch.player.load.cluster;

/** How the coordinator shares the viewers among the workers. */
public enum ViewerSplitMode {
  /** In proportion to each worker's cores (what it reported at registration). */
  CORES,
  /** The same number for each worker (the first ones get one more when it does not divide). */
  EVEN
}
