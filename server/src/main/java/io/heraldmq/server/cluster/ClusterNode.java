package io.heraldmq.server.cluster;

import io.heraldmq.protocol.AdminOperation;
import io.heraldmq.server.admin.AdminCommand;
import io.heraldmq.server.admin.ClusterDrainCommand;
import io.heraldmq.server.admin.ClusterRebalanceCommand;
import io.heraldmq.server.admin.ClusterStatusCommand;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.DeadLetters;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.EnumMap;
import java.util.Map;

/**
 * Everything a clustered broker runs besides a single node's parts: the membership, the partition table, the replica
 * states, the destination catalog with its hooks into the {@link TopicRegistry}, and the coordinator. The broker
 * touches this class only when {@code cluster.members} is configured, so a single node never loads Hazelcast.
 */
public final class ClusterNode {
    private final Vertx vertx;
    private final ClusterMembership membership;
    private final PartitionTable table;
    private final ReplicaStates states;
    private final DestinationCatalog catalog;
    private final Coordinator coordinator;
    private String coordinatorDeployment;

    private ClusterNode(Vertx vertx, ClusterMembership membership, ClusterSettings settings) {
        this.vertx = vertx;
        this.membership = membership;
        this.table = new PartitionTable(membership);
        this.states = new ReplicaStates(membership);
        this.catalog = new DestinationCatalog(membership);
        this.coordinator = new Coordinator(membership, table, states, catalog,
                new AssignmentPlanner(settings.replicationFactor()));
    }

    /**
     * Joins the cluster: starts the Hazelcast member, advertising where this broker takes clients and replication
     * connections. Destinations and the coordinator follow in {@link #serve}, once the local destinations are open.
     *
     * @param clientHost where clients reach this broker (advertised)
     */
    public static Future<ClusterNode> join(Vertx vertx, ClusterSettings settings, String brokerId, String clientHost,
                                           int clientPort, int replicationPort) {
        return ClusterMembership.start(vertx, settings, brokerId, clientHost, clientPort, settings.host(),
                replicationPort).map(m -> new ClusterNode(vertx, m, settings));
    }

    /** Syncs destinations with the catalog and dead-letter settings with the cluster's, and starts the coordinator. */
    public Future<Void> serve(TopicRegistry topics, SubscriptionRegistry subscriptions, DeadLetters deadLetters) {
        ClusterDestinations destinations = new ClusterDestinations(catalog, states, topics, subscriptions,
                deadLetters);
        return destinations.start(vertx.getOrCreateContext())
                .compose(v -> new ClusterDeadLetterSettings(membership, deadLetters)
                        .start(vertx.getOrCreateContext()))
                .compose(v -> vertx.deployVerticle(coordinator))
                .<Void>map(id -> {
                    coordinatorDeployment = id;
                    return null;
                })
                .onFailure(e -> topics.clusterHook(null));
    }

    public ClusterMembership membership() {
        return membership;
    }

    public PartitionTable partitionTable() {
        return table;
    }

    public ReplicaStates replicaStates() {
        return states;
    }

    public DestinationCatalog catalog() {
        return catalog;
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    /** The CLUSTER_ administrative operations. */
    public Map<AdminOperation, AdminCommand> adminCommands() {
        Map<AdminOperation, AdminCommand> commands = new EnumMap<>(AdminOperation.class);
        commands.put(AdminOperation.CLUSTER_STATUS, new ClusterStatusCommand(membership, table, states));
        commands.put(AdminOperation.CLUSTER_DRAIN, new ClusterDrainCommand(coordinator, membership, table));
        commands.put(AdminOperation.CLUSTER_REBALANCE, new ClusterRebalanceCommand(coordinator));
        return commands;
    }

    /** Stops the coordinator and leaves the cluster. */
    public Future<Void> close() {
        Future<Void> undeployed = coordinatorDeployment == null ? Future.succeededFuture()
                : vertx.undeploy(coordinatorDeployment);
        return undeployed.transform(v -> membership.close());
    }
}
