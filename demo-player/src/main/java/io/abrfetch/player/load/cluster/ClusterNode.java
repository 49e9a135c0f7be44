package io.abrfetch.player.load.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One process's membership of a load-test cluster: a clustered {@link Vertx} whose event bus
 * reaches the other members, joined through Hazelcast with {@link HazelcastSetup}'s configuration.
 *
 * <p>Thread-safe. Member-removal handlers are called on the context that registered them (or on an
 * event loop when registered from a plain thread), never on a Hazelcast thread.
 */
public final class ClusterNode {

  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;
  private final long joinMs;
  /** Member-removal handlers, each with the context it runs on. */
  private final List<Removal> removals = new CopyOnWriteArrayList<>();

  private record Removal(Context context, Handler<String> handler) {}

  private ClusterNode(Vertx vertx, HazelcastClusterManager clusterManager, long joinMs) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.joinMs = joinMs;
  }

  /**
   * Starts a clustered Vert.x that joins (or founds) the cluster these settings describe; completes
   * once this member has joined. Fails when Hazelcast cannot bind its port or the event bus cannot
   * listen.
   */
  public static Future<ClusterNode> join(ClusterSettings settings) {
    return join(settings, new VertxOptions());
  }

  /**
   * Like {@link #join(ClusterSettings)}, with {@code base}'s Vert.x options (event loops and the
   * like); its event-bus host and ports are replaced by the settings'.
   */
  public static Future<ClusterNode> join(ClusterSettings settings, VertxOptions base) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(base, "base");
    long startNanos = System.nanoTime();
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSetup.config(settings));
    EventBusOptions eventBus = new EventBusOptions(base.getEventBusOptions())
        .setPort(settings.eventBusPort());
    if (settings.clusterHostOrNull() != null) {
      eventBus.setHost(settings.clusterHostOrNull());
    }
    if (settings.publicHostOrNull() != null) {
      eventBus.setClusterPublicHost(settings.publicHostOrNull());
    }
    return Vertx.builder()
        .with(new VertxOptions(base).setEventBusOptions(eventBus))
        .withClusterManager(manager)
        .buildClustered()
        .compose(vertx -> {
          ClusterNode node = new ClusterNode(vertx, manager,
              (System.nanoTime() - startNanos) / 1_000_000);
          // One Hazelcast listener for the node, added off the event loops (a Hazelcast call).
          return vertx.executeBlocking(() -> {
            manager.getHazelcastInstance().getCluster().addMembershipListener(node.listener());
            return node;
          });
        });
  }

  private MembershipListener listener() {
    return new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        String nodeId = event.getMember().getUuid().toString();
        for (Removal removal : removals) {
          removal.context().runOnContext(unused -> removal.handler().handle(nodeId));
        }
      }
    };
  }

  /** The clustered Vert.x; closing the node closes it. */
  public Vertx vertx() {
    return vertx;
  }

  /** This member's node id (Hazelcast's member UUID), as other members see it. */
  public String nodeId() {
    return clusterManager.getNodeId();
  }

  /** The node ids of the members in the cluster now, this one included. */
  public List<String> nodeIds() {
    return clusterManager.getNodes();
  }

  /** This member's Hazelcast address as other members reach it: what workers give as --members. */
  public String memberAddress() {
    var address = clusterManager.getHazelcastInstance().getCluster().getLocalMember().getAddress();
    return new HostPort(address.getHost(), address.getPort()).toString();
  }

  /** How long {@link #join} took, from the call to the clustered Vert.x being ready, in ms. */
  public long joinMs() {
    return joinMs;
  }

  /**
   * Calls {@code handler} with the node id of each member that leaves or is removed from the
   * cluster (it stopped, crashed or stopped answering Hazelcast's heartbeats), on the caller's
   * context, until the returned action is run.
   */
  public Runnable onMemberRemoved(Handler<String> handler) {
    Removal removal = new Removal(vertx.getOrCreateContext(),
        Objects.requireNonNull(handler, "handler"));
    removals.add(removal);
    return () -> removals.remove(removal);
  }

  /** Leaves the cluster and closes the Vert.x instance. */
  public Future<Void> close() {
    removals.clear();
    return vertx.close();
  }
}
