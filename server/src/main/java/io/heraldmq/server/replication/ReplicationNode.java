package io.heraldmq.server.replication;

import io.heraldmq.server.txlog.ClusterTransactions;

import io.heraldmq.server.cluster.BrokerInfo;
import io.heraldmq.server.cluster.ClusterMembership;
import io.heraldmq.server.cluster.ClusterTlsSettings;
import io.heraldmq.server.cluster.PartitionAssignment;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.cluster.PartitionTable;
import io.heraldmq.server.cluster.ReplicaStates;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.server.gateway.ClusterRouter;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Promise;
import io.heraldmq.server.gateway.LeaderDirectory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replication side of a clustered broker, wired: the replication port, the connections to the other brokers,
 * the replicas of this broker's partitions, and the directory and router that send clients' requests to leaders.
 * Started in two steps because the replication port must be bound before the cluster is joined (it is advertised)
 * and the rest needs the cluster.
 */
public final class ReplicationNode {
    private final Vertx vertx;
    private final String localId;
    private final ReplicationServer server;
    private final LeaderDirectory leaders;
    private final Map<String, SocketAddress> replicationAddresses = new ConcurrentHashMap<>();
    private volatile ReplicaManager replicas;
    private volatile PartitionTable table;
    private ReplicationPeers peers;
    private ClusterRouter router;
    private ClusterTransactions transactions;
    private int port;
    private final ClusterTlsSettings tls;
    private io.heraldmq.server.net.TlsReloader reloader;

    private ReplicationNode(Vertx vertx, String localId, ClusterTlsSettings tls) {
        this.vertx = vertx;
        this.localId = localId;
        this.tls = tls;
        this.server = new ReplicationServer(vertx, key -> {
            ReplicaManager r = replicas;
            return r == null ? null : r.find(key);
        });
        this.leaders = new LeaderDirectory(localId);
    }

    /**
     * Binds the replication port; requests for partitions are refused until {@link #start}.
     *
     * @param tls the cluster's TLS, for this port and the connections to the other brokers
     */
    public static Future<ReplicationNode> bind(Vertx vertx, String localId, String host, int port,
                                               ClusterTlsSettings tls) {
        ReplicationNode node = new ReplicationNode(vertx, localId, tls);
        return node.server.listen(host, port, tls).map(p -> {
            node.port = p;
            return node;
        });
    }

    public int port() {
        return port;
    }

    /** With cluster TLS: relays arrive on the replication port and are handed to {@code relays}. */
    public void acceptRelays(java.util.function.Consumer<io.vertx.core.net.NetSocket> relays) {
        if (tls.enabled()) {
            server.acceptRelays(relays);
        }
    }

    /**
     * Connects to the cluster's membership and partition table, and makes subscription definitions travel with
     * their topics' logs.
     *
     * @param leadershipLost told when this broker stops leading a partition of a topic
     * @param autoCreation   how the router creates a destination used for the first time
     * @param relaySecret    {@code cluster.secret}, presented by this broker's relays; or null
     */
    public Future<Void> start(ClusterMembership membership, PartitionTable table, ReplicaStates states,
                              TopicRegistry topics, SubscriptionRegistry subscriptions,
                              java.util.function.Consumer<Topic> leadershipLost,
                              io.heraldmq.server.handler.AutoCreation autoCreation, String relaySecret) {
        Context ctx = vertx.getOrCreateContext();
        // on a worker: with CRLs the TLS options read the trust anchors and CRL files themselves
        return vertx.executeBlocking(() -> new io.vertx.core.net.NetClientOptions[]{ReplicationPeers.options(tls),
                        tls.enabled() ? io.heraldmq.server.net.TlsOptions.client(tls.tls(), tls.verifyHost()) : null},
                false).compose(options -> start(ctx, options[0], options[1], membership, table, states, topics,
                subscriptions, leadershipLost, autoCreation, relaySecret));
    }

    private Future<Void> start(Context ctx, io.vertx.core.net.NetClientOptions peerOptions,
                               io.vertx.core.net.NetClientOptions relayOptions, ClusterMembership membership,
                               PartitionTable table, ReplicaStates states, TopicRegistry topics,
                               SubscriptionRegistry subscriptions, java.util.function.Consumer<Topic> leadershipLost,
                               io.heraldmq.server.handler.AutoCreation autoCreation, String relaySecret) {
        this.table = table;
        peers = new ReplicationPeers(vertx, replicationAddresses::get, peerOptions);
        membersChanged(membership.members());
        membership.onMembersChanged(ctx, this::membersChanged);
        transactions = new ClusterTransactions(vertx, localId, key -> {
            ReplicaManager r = replicas;
            return r == null ? null : r.find(key);
        }, table, peers, subscriptions, topics);
        transactions.serveOn(server);
        replicas = new ReplicaManager(vertx, localId, peers, table, states, new ReplicatedMetadata(subscriptions),
                leadershipLost, transactions.gate());
        subscriptions.replicateWith(change -> topics.get(DestinationKind.TOPIC, change.topic()).compose(topic -> {
            Partition first = topic.partitions().get(0);
            Promise<Void> committed = Promise.promise();
            first.run(() -> {
                PartitionReplica r = first.replication();
                ControlRecord record = change.record() != null ? new ControlRecord.Definition(change.record())
                        : new ControlRecord.Deletion(change.topic(), change.id());
                (r == null ? Future.<Void>succeededFuture() : r.appendMetadata(record)).onComplete(committed);
            });
            return committed.future();
        }));
        router = new ClusterRouter(vertx, leaders, subscriptions::topicOfDurable, autoCreation, id -> {
            io.heraldmq.server.meta.SubscriptionRecord r = subscriptions.definition(id);
            return r == null ? null : r.topic();
        }, relaySecret, transactions.client(), relayOptions);
        if (tls.enabled()) {
            reloader = new io.heraldmq.server.net.TlsReloader(vertx, tls.tls(), "the replication link",
                    List.of(server::updateSSLOptions, peers::updateSSLOptions, router::updateSSLOptions));
            reloader.start();
        }
        // Entry events can be lost while Hazelcast promotes a dead member's backups: the leaders the router relays
        // to are read again with the replicas' roles, from the same whole-table read.
        replicas.alsoOnResync(this::assignmentChanged);
        return table.listen(ctx, this::assignmentChanged)
                .compose(v -> table.all())
                .map(all -> {
                    all.forEach(this::assignmentChanged);
                    return null;
                })
                .compose(v -> replicas.start());
    }

    private void membersChanged(List<BrokerInfo> members) {
        Map<String, SocketAddress> clients = new HashMap<>();
        Set<String> gone = new java.util.HashSet<>(replicationAddresses.keySet());
        for (BrokerInfo b : members) {
            gone.remove(b.id());
            replicationAddresses.put(b.id(), SocketAddress.inetSocketAddress(b.replicationPort(),
                    b.replicationHost()));
            // where relays go: with cluster TLS the replication port, mutual TLS (RelayUpgrade)
            clients.put(b.id(), tls.enabled()
                    ? SocketAddress.inetSocketAddress(b.replicationPort(), b.replicationHost())
                    : SocketAddress.inetSocketAddress(b.clientPort(), b.clientHost()));
        }
        for (String id : gone) {
            replicationAddresses.remove(id);
            if (peers != null) {
                peers.forget(id);
            }
        }
        leaders.membersChanged(clients);
        if (replicas != null && table != null) {
            // a member came back (or went): the table may have changed in ways no event told us of, and the
            // coordinator's answer to it is written while events can still be lost
            replicas.resyncForAWhile();
        }
    }

    private void assignmentChanged(PartitionKey key, PartitionAssignment assignment) {
        if (key.partition() == 0) {
            leaders.leaderChanged(key.queue(), key.destination(), assignment == null ? null : assignment.leader());
        }
    }

    public ReplicaManager replicas() {
        return replicas;
    }

    public LeaderDirectory leaders() {
        return leaders;
    }

    public ClusterRouter router() {
        return router;
    }

    /** The cluster's transactions (decision log, gates); null before {@link #start}. */
    public ClusterTransactions transactions() {
        return transactions;
    }

    public Future<Void> close() {
        if (reloader != null) {
            reloader.stop();
        }
        ReplicaManager r = replicas;
        Future<Void> closed = r == null ? Future.succeededFuture() : r.close();
        return closed.transform(v -> peers == null ? Future.succeededFuture() : peers.close())
                .transform(v -> {
                    if (router != null) {
                        router.close();
                    }
                    return server.close();
                });
    }
}
