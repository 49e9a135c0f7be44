/**
 * Cluster mode of the load-test harness ({@code loadtest --cluster}): a coordinator and worker
 * processes on several machines share one run's viewers over a clustered Vert.x event bus with
 * the Hazelcast cluster manager (TCP-IP join, multicast off). See {@code demo-player/CLUSTER.md}
 * for the protocol.
 *
 * <p>Entry types: {@link io.abrfetch.player.load.cluster.ClusterOptions} (the command's options and
 * its {@code LoadTestExtension}), {@link io.abrfetch.player.load.cluster.ClusterNode} (membership),
 * {@link io.abrfetch.player.load.cluster.ClusterCoordinator} and
 * {@link io.abrfetch.player.load.cluster.ClusterWorker} (the two sides of the protocol),
 * {@link io.abrfetch.player.load.cluster.ClusterRunResult} (the merged outcome).
 *
 * <p>Threading: the coordinator and the worker are verticles whose state is confined to their
 * event loop; Hazelcast's membership callbacks are moved onto that loop before they touch state.
 * Message records and results are immutable; the split and the timeline merge are pure.
 */
package io.abrfetch.player.load.cluster;
