package io.abrfetch.player.load.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Hazelcast configuration of a load-test cluster member, built in code (no XML): TCP-IP join
 * through the member addresses of the command line; multicast, auto-detection and cloud discovery
 * off; bound to the cluster host when one is given (loopback works); phone-home off; logging
 * through {@code java.util.logging} at WARNING; failure detection and split-brain healing in
 * seconds rather than Hazelcast's minutes, because a load run lasts minutes.
 *
 * <p>Stateless; thread-safe.
 */
final class HazelcastSetup {

  /** Hazelcast's loggers, held so the level set on them is not lost to garbage collection. */
  private static final Logger HAZELCAST_LOGGER = Logger.getLogger("com.hazelcast");
  /**
   * Hazelcast loggers that warn about what the load-test protocol already reports (a member that
   * died: dozens of connection retries, "suspected dead", and one "partition lost" line for each
   * of 271 partitions, though the cluster keeps no data, "Not Member!" for operations in flight)
   * or about what it does not use (CP structures in UNSAFE mode): SEVERE only.
   */
  private static final List<Logger> NOISY_LOGGERS = List.of(
      Logger.getLogger("com.hazelcast.cp.CPSubsystem"),
      Logger.getLogger("com.hazelcast.internal.partition"),
      Logger.getLogger("com.hazelcast.internal.server.tcp"),
      Logger.getLogger("com.hazelcast.internal.cluster.impl.MembershipManager"),
      Logger.getLogger("com.hazelcast.spi.impl.operationservice"));

  private HazelcastSetup() {}

  static Config config(ClusterSettings settings) {
    quietLogging();
    Config config = new Config();
    config.setClusterName(settings.clusterName());
    config.setInstanceName("abrfetch-" + settings.role().name().toLowerCase(java.util.Locale.ROOT)
        + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Join within a second or two of start instead of Hazelcast's 5 s (max 20 s) settling wait.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "5");
    // Two members that started apart form two clusters: merge them in seconds, not 5 minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // A member that vanished without closing its connections is removed after 10 s, not 60 s.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.clusterPort());
    boolean worker = settings.role() == ClusterRole.WORKER;
    network.setPortAutoIncrement(worker);
    network.setPortCount(worker ? ClusterSettings.WORKER_PORT_COUNT : 1);
    if (settings.clusterHostOrNull() != null) {
      config.setProperty("hazelcast.local.localAddress", settings.clusterHostOrNull());
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    if (settings.publicHostOrNull() != null) {
      network.setPublicAddress(settings.publicHostOrNull());
    }
    network.getRestApiConfig().setEnabled(false);

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    settings.members().forEach(member -> join.getTcpIpConfig().addMember(member.toString()));

    // What vertx-hazelcast's default-cluster.xml declares for the event bus's own structures.
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }

  /** Hazelcast logs its start-up at INFO, dozens of lines: a load test shows WARNING and up. */
  private static void quietLogging() {
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "jdk");
    }
    if (System.getProperty("hazelcast.phone.home.enabled") == null) {
      System.setProperty("hazelcast.phone.home.enabled", "false");
    }
    if (HAZELCAST_LOGGER.getLevel() == null) {
      HAZELCAST_LOGGER.setLevel(Level.WARNING);
    }
    for (Logger logger : NOISY_LOGGERS) {
      if (logger.getLevel() == null) {
        logger.setLevel(Level.SEVERE);
      }
    }
  }
}
