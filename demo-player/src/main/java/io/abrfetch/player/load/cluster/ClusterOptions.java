package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadFleet;
import io.abrfetch.player.load.LoadTestExtension;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@code loadtest} options of cluster mode, a picocli mixin that the command finds as a
 * {@link LoadTestExtension} (registered in {@code META-INF/services}). {@link #settings()} checks
 * them and turns them into {@link ClusterSettings}; {@link #fleet()} gives the command the
 * coordinator's or the worker's {@link LoadFleet}. Not thread-safe (picocli fills it on the
 * command's thread).
 */
public final class ClusterOptions implements LoadTestExtension {

  /** This mixin's own spec; its options belong to the command they were mixed into. */
  @CommandLine.Spec
  CommandLine.Model.CommandSpec self;

  @Option(names = "--cluster", description = "Cluster mode: a coordinator and workers on several"
      + " machines share the viewers over a clustered Vert.x event bus (Hazelcast, TCP-IP join).")
  boolean cluster;

  @Option(names = "--role", paramLabel = "coordinator|worker",
      description = "With --cluster: coordinator (takes URL and the run options, splits, merges,"
          + " reports) or worker (takes only cluster options; runs its share).")
  String role;

  @Option(names = "--members", split = ",", paramLabel = "HOST:PORT",
      description = "With --cluster: Hazelcast addresses to join through, e.g. the coordinator's"
          + " 10.0.0.1:5701 (a worker needs it; the coordinator founds the cluster).")
  List<String> members = new ArrayList<>();

  @Option(names = "--cluster-host", paramLabel = "ADDR",
      description = "With --cluster: the address to bind and advertise (Hazelcast and event bus);"
          + " default: an interface Hazelcast picks, matching --members when it can.")
  String clusterHost;

  @Option(names = "--cluster-public-host", paramLabel = "ADDR",
      description = "With --cluster: the address other machines reach this one at, behind NAT.")
  String publicHost;

  @Option(names = "--cluster-port", paramLabel = "PORT",
      defaultValue = "" + ClusterSettings.DEFAULT_CLUSTER_PORT,
      description = "With --cluster: Hazelcast's port (default: ${DEFAULT-VALUE}; a worker tries"
          + " the next 99 when it is taken).")
  int clusterPort;

  @Option(names = "--eventbus-port", paramLabel = "PORT", defaultValue = "0",
      description = "With --cluster: the event bus's port, 0 for any free one (default:"
          + " ${DEFAULT-VALUE}; fix it to open it in a firewall).")
  int eventBusPort;

  @Option(names = "--cluster-name", paramLabel = "NAME",
      defaultValue = ClusterSettings.DEFAULT_CLUSTER_NAME,
      description = "With --cluster: members of other names are ignored"
          + " (default: ${DEFAULT-VALUE}).")
  String clusterName;

  @Option(names = "--workers", paramLabel = "N",
      description = "Coordinator: start when N workers have registered.")
  Integer expectedWorkers;

  @Option(names = "--worker-id", paramLabel = "ID",
      description = "Worker: its name in the report (default: host-pid).")
  String workerId;

  @Option(names = "--max-viewers", paramLabel = "N", defaultValue = "0",
      description = "Worker: the most viewers it takes, 0 for no limit"
          + " (default: ${DEFAULT-VALUE}).")
  int maxViewers;

  @Option(names = "--split", paramLabel = "cores|even", defaultValue = "cores",
      description = "Coordinator: share viewers in proportion to the workers' cores, or evenly"
          + " (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--start-delay", paramLabel = "S", defaultValue = "3",
      description = "Coordinator: the common start is this long after the assignments are sent"
          + " (default: ${DEFAULT-VALUE}).")
  double startDelayS;

  @Option(names = "--register-timeout", paramLabel = "S", defaultValue = "60",
      description = "Coordinator: fail when fewer than --workers registered in this time; worker:"
          + " fail when no coordinator answered (default: ${DEFAULT-VALUE}).")
  double registerTimeoutS;

  @Option(names = "--heartbeat-timeout", paramLabel = "S", defaultValue = "5",
      description = "A worker silent this long is reported lost; a worker whose coordinator is"
          + " silent this long stops (default: ${DEFAULT-VALUE}).")
  double heartbeatTimeoutS;

  @Override
  public String name() {
    return "cluster";
  }

  /**
   * The coordinator's or the worker's fleet with {@code --cluster}, else empty.
   *
   * @throws CommandLine.ParameterException when the options are inconsistent
   */
  @Override
  public Optional<LoadFleet> fleet() {
    if (!cluster) {
      if (role != null || !members.isEmpty() || expectedWorkers != null || workerId != null) {
        throw usage("--role, --members, --workers and --worker-id need --cluster");
      }
      return Optional.empty();
    }
    ClusterSettings settings = settings();
    Consumer<String> log = operatorLog();
    return Optional.of(settings.role() == ClusterRole.COORDINATOR
        ? new CoordinatorFleet(settings, log)
        : new WorkerFleet(settings, log));
  }

  /** Lines on the command's error stream (stdout is kept for the summary and JSON). */
  private Consumer<String> operatorLog() {
    CommandLine owner = owner();
    PrintWriter err = owner != null ? owner.getErr() : new PrintWriter(System.err, true);
    return line -> {
      err.println("[cluster] " + line);
      err.flush();
    };
  }

  /** True when {@code --cluster} was given. */
  public boolean enabled() {
    return cluster;
  }

  /** The role, checked; call only when {@link #enabled()}. */
  public ClusterRole role() {
    if (role == null) {
      throw usage("--cluster needs --role coordinator or --role worker");
    }
    return switch (role.toLowerCase(Locale.ROOT)) {
      case "coordinator" -> ClusterRole.COORDINATOR;
      case "worker" -> ClusterRole.WORKER;
      default -> throw usage("--role " + role + " (expected: coordinator or worker)");
    };
  }

  /**
   * The settings these options describe.
   *
   * @throws CommandLine.ParameterException naming the option when one is missing or out of range
   */
  public ClusterSettings settings() {
    if (!cluster) {
      throw usage("cluster options without --cluster");
    }
    ClusterRole parsedRole = role();
    if (parsedRole == ClusterRole.COORDINATOR && expectedWorkers == null) {
      throw usage("--role coordinator needs --workers N (the workers to wait for)");
    }
    if (parsedRole == ClusterRole.WORKER && members.isEmpty()) {
      throw usage("--role worker needs --members HOST:PORT (the coordinator's Hazelcast address)");
    }
    try {
      List<HostPort> parsedMembers = new ArrayList<>();
      for (String member : members) {
        parsedMembers.add(HostPort.parse(member));
      }
      ViewerSplitMode mode = switch (split.toLowerCase(Locale.ROOT)) {
        case "cores" -> ViewerSplitMode.CORES;
        case "even" -> ViewerSplitMode.EVEN;
        default -> throw new IllegalArgumentException("--split " + split
            + " (expected: cores or even)");
      };
      long heartbeatTimeoutMs = millis("--heartbeat-timeout", heartbeatTimeoutS);
      return ClusterSettings.builder(parsedRole)
          .members(parsedMembers)
          .clusterHost(clusterHost)
          .publicHost(publicHost)
          .clusterPort(clusterPort)
          .eventBusPort(eventBusPort)
          .clusterName(clusterName)
          .expectedWorkers(expectedWorkers == null ? 1 : expectedWorkers)
          .workerId(workerId)
          .maxViewers(maxViewers)
          .splitMode(mode)
          .startDelayMs(millis("--start-delay", startDelayS))
          .registerTimeoutMs(millis("--register-timeout", registerTimeoutS))
          .heartbeatIntervalMs(Math.min(ClusterSettings.DEFAULT_HEARTBEAT_INTERVAL_MS,
              Math.max(1, heartbeatTimeoutMs / 3)))
          .heartbeatTimeoutMs(heartbeatTimeoutMs)
          .build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private static long millis(String option, double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException(option + ": " + seconds + " (expected: seconds >= 0)");
    }
    return Math.round(seconds * 1000);
  }

  private CommandLine.ParameterException usage(String message) {
    CommandLine owner = owner();
    return new CommandLine.ParameterException(owner != null ? owner : new CommandLine(this),
        message);
  }

  /**
   * The command line of the command these options were mixed into, or null. (Picocli injects no
   * {@code MIXEE} spec into a mixin added programmatically, as the command adds extensions; but
   * each mixed-in option knows its command.)
   */
  private CommandLine owner() {
    CommandLine.Model.OptionSpec option = self == null ? null : self.findOption("--cluster");
    return option == null || option.command() == null ? null : option.command().commandLine();
  }
}
