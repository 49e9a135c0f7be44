package io.abrfetch.player.load.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Two cluster members in this JVM on 127.0.0.1 (free ports, a cluster name of their own). */
final class LoopbackCluster {

  final ClusterSettings.Builder coordinatorSettings;
  final ClusterSettings.Builder workerSettings;
  final ClusterNode coordinatorNode;
  final ClusterNode workerNode;

  private LoopbackCluster(ClusterSettings.Builder coordinatorSettings,
      ClusterSettings.Builder workerSettings, ClusterNode coordinatorNode,
      ClusterNode workerNode) {
    this.coordinatorSettings = coordinatorSettings;
    this.workerSettings = workerSettings;
    this.coordinatorNode = coordinatorNode;
    this.workerNode = workerNode;
  }

  /** Forms the cluster; fails unless both members see each other within 20 s. */
  static LoopbackCluster form(String name) throws Exception {
    List<Integer> ports = FreePorts.take(2);
    List<HostPort> members = List.of(new HostPort("127.0.0.1", ports.get(0)),
        new HostPort("127.0.0.1", ports.get(1)));
    String clusterName = name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    ClusterSettings.Builder coordinator = ClusterSettings.builder(ClusterRole.COORDINATOR)
        .members(members).clusterHost("127.0.0.1").clusterPort(ports.get(0))
        .clusterName(clusterName).heartbeatIntervalMs(200).heartbeatTimeoutMs(1_500)
        .startDelayMs(300);
    ClusterSettings.Builder worker = ClusterSettings.builder(ClusterRole.WORKER)
        .members(members).clusterHost("127.0.0.1").clusterPort(ports.get(1))
        .clusterName(clusterName).heartbeatIntervalMs(200).heartbeatTimeoutMs(1_500)
        .registerTimeoutMs(10_000);
    var coordinatorJoin = ClusterNode.join(coordinator.build());
    var workerJoin = ClusterNode.join(worker.build());
    ClusterNode coordinatorNode = coordinatorJoin.await(40, TimeUnit.SECONDS);
    ClusterNode workerNode = workerJoin.await(40, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (coordinatorNode.nodeIds().size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(2, coordinatorNode.nodeIds().size(), "the two members formed one cluster");
    return new LoopbackCluster(coordinator, worker, coordinatorNode, workerNode);
  }

  void close() throws Exception {
    workerNode.close().await(20, TimeUnit.SECONDS);
    coordinatorNode.close().await(20, TimeUnit.SECONDS);
  }
}
