package io.abrfetch.player.load.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Cluster options: parsing, checks with the option's name, and the Hazelcast config they make. */
class ClusterOptionsTest {

  @Command(name = "probe")
  static final class Probe implements Runnable {
    @CommandLine.Mixin ClusterOptions cluster;

    @Override
    public void run() {}
  }

  private static ClusterOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.cluster;
  }

  @Test
  void coordinator_allOptions() {
    ClusterSettings settings = parse("--cluster", "--role", "coordinator", "--workers", "3",
        "--members", "10.0.0.1:5701,[::1]:5702", "--cluster-host", "10.0.0.1",
        "--cluster-port", "5801", "--eventbus-port", "5901", "--cluster-name", "t1",
        "--split", "even", "--start-delay", "1.5", "--register-timeout", "20",
        "--heartbeat-timeout", "4").settings();
    assertEquals(ClusterRole.COORDINATOR, settings.role());
    assertEquals(List.of(new HostPort("10.0.0.1", 5701), new HostPort("::1", 5702)),
        settings.members());
    assertEquals("10.0.0.1", settings.clusterHostOrNull());
    assertEquals(5801, settings.clusterPort());
    assertEquals(5901, settings.eventBusPort());
    assertEquals("t1", settings.clusterName());
    assertEquals(3, settings.expectedWorkers());
    assertEquals(ViewerSplitMode.EVEN, settings.splitMode());
    assertEquals(1_500, settings.startDelayMs());
    assertEquals(20_000, settings.registerTimeoutMs());
    assertEquals(4_000, settings.heartbeatTimeoutMs());
    assertEquals(1_000, settings.heartbeatIntervalMs());
  }

  @Test
  void worker_defaults() {
    ClusterSettings settings = parse("--cluster", "--role", "WORKER", "--members",
        "127.0.0.1:5701").settings();
    assertEquals(ClusterRole.WORKER, settings.role());
    assertEquals(ClusterSettings.DEFAULT_CLUSTER_PORT, settings.clusterPort());
    assertNull(settings.clusterHostOrNull());
    assertEquals(0, settings.maxViewers());
    assertTrue(settings.workerId().endsWith("-" + ProcessHandle.current().pid()),
        settings.workerId());
    assertFalse(parse().enabled());
    // The coordinator founds the cluster: no member addresses needed.
    assertEquals(List.of(), parse("--cluster", "--role", "coordinator", "--workers", "1")
        .settings().members());
  }

  @Test
  void badInput_namesTheOption() {
    assertUsage("--role", "--cluster");
    assertUsage("--role boss", "--cluster", "--role", "boss");
    assertUsage("--workers", "--cluster", "--role", "coordinator");
    assertUsage("--members", "--cluster", "--role", "worker");
    assertUsage("member 'nohost'", "--cluster", "--role", "worker", "--members", "nohost");
    assertUsage("port 'x'", "--cluster", "--role", "worker", "--members", "h:x");
    assertUsage("port: 70000", "--cluster", "--role", "worker", "--members", "h:70000");
    assertUsage("--workers: 0", "--cluster", "--role", "coordinator", "--workers", "0");
    assertUsage("--split", "--cluster", "--role", "coordinator", "--workers", "1", "--split", "x");
    assertUsage("--start-delay", "--cluster", "--role", "coordinator", "--workers", "1",
        "--start-delay", "-1");
    assertUsage("--max-viewers", "--cluster", "--role", "worker", "--members", "h:1",
        "--max-viewers", "-5");
    assertUsage("--worker-id", "--cluster", "--role", "worker", "--members", "h:1",
        "--worker-id", "a b");
    assertUsage("--cluster-port", "--cluster", "--role", "worker", "--members", "h:1",
        "--cluster-port", "0");
  }

  @Test
  void loadtestCommand_badClusterInput_isAUsageError() {
    assertCommandUsage("--role boss (expected: coordinator or worker)",
        "--cluster", "--role", "boss");
    assertCommandUsage("need --cluster", "--role", "worker", "--members", "h:1");
    assertCommandUsage("--workers", "http://127.0.0.1:1/m.m3u8", "--cluster", "--role",
        "coordinator");
  }

  private static void assertCommandUsage(String expectedInMessage, String... args) {
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine command = new CommandLine(new io.abrfetch.player.load.LoadTestCommand())
        .setErr(new java.io.PrintWriter(err, true))
        .setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
    assertEquals(2, command.execute(args), err.toString());
    assertTrue(err.toString().contains(expectedInMessage), err.toString());
  }

  private static void assertUsage(String expectedInMessage, String... args) {
    CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
        () -> parse(args).settings());
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  @Test
  void hazelcastConfig_tcpIpOnly_boundToTheClusterHost() {
    ClusterSettings settings = ClusterSettings.builder(ClusterRole.WORKER)
        .members(List.of(new HostPort("127.0.0.1", 5701), new HostPort("127.0.0.1", 5702)))
        .clusterHost("127.0.0.1").clusterPort(5710).clusterName("x").build();
    Config config = HazelcastSetup.config(settings);
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), join.getTcpIpConfig().getMembers());
    assertEquals("x", config.getClusterName());
    assertEquals(5710, config.getNetworkConfig().getPort());
    assertTrue(config.getNetworkConfig().isPortAutoIncrement()); // a worker tries the next ports
    assertEquals("127.0.0.1", config.getProperty("hazelcast.local.localAddress"));
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertEquals(MultiMapConfig.ValueCollectionType.SET,
        config.getMultiMapConfig("__vertx.subs").getValueCollectionType());

    Config coordinator = HazelcastSetup.config(ClusterSettings.builder(ClusterRole.COORDINATOR)
        .members(List.of(new HostPort("h", 1))).build());
    assertFalse(coordinator.getNetworkConfig().isPortAutoIncrement());
    assertNull(coordinator.getProperty("hazelcast.local.localAddress"));
  }
}
