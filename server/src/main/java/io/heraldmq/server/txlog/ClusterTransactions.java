package io.heraldmq.server.txlog;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.cluster.PartitionTable;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.replication.ReplicationFrameType;
import io.heraldmq.server.replication.ReplicationPeers;
import io.heraldmq.server.replication.ReplicationServer;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Function;

/**
 * Transactions of a clustered broker, wired: the {@link DecisionLog} (answering when this broker leads its
 * partition), the {@link DecisionLogClient} that coordinators and gates use, and the {@link LeaderGate} every
 * replicated partition passes when this broker becomes its leader.
 */
public final class ClusterTransactions {
    /**
     * Retention of the decision log's topic: a decision is needed until every part is applied, minutes at most; a
     * prepared XA branch until its transaction manager decides it, however long: such records are carried forward.
     */
    static final long RETENTION_MS = 24L * 60 * 60 * 1000;
    /**
     * How often every broker asks its decision log to carry forward the records older than half the retention (only
     * the log's leader acts): a record is copied between 12 and 13 hours of age, 11 hours before retention could take
     * its segment, which a leaderless decision log would have to outlast.
     */
    static final long CARRY_CHECK_MS = 60L * 60 * 1000;

    private final DecisionLog log;
    private final DecisionLogClient client;
    private final LeaderGate gate;
    private final XaHeldParts held;
    private final String localId;

    /** @param replicas this broker's replica of a partition key, or null */
    public ClusterTransactions(Vertx vertx, String localId, Function<String, PartitionReplica> replicas,
                               PartitionTable table, ReplicationPeers peers, SubscriptionRegistry subscriptions,
                               TopicRegistry topics) {
        this.localId = localId;
        this.log = new DecisionLog(replicas);
        this.client = new DecisionLogClient(vertx, localId, replicas, table, peers, log);
        TxPartApplier applier = new TxPartApplier(subscriptions);
        this.held = new XaHeldParts(vertx, client, applier, subscriptions, topics, replicas);
        this.gate = new LeaderGate(client, applier, held);
        vertx.setPeriodic(CARRY_CHECK_MS, t -> log.carryForward(System.currentTimeMillis(), RETENTION_MS / 2));
    }

    /** Answers the decision log's requests on the replication port. */
    public void serveOn(ReplicationServer server) {
        server.handle(ReplicationFrameType.TX_DECIDE, new TxDecideHandler(log));
        server.handle(ReplicationFrameType.TX_GATE, new TxGateHandler(log));
        server.handle(ReplicationFrameType.TX_APPLIED, new TxAppliedHandler(log));
        server.handle(ReplicationFrameType.TX_RESOLVE, new TxResolveHandler(log));
        server.handle(ReplicationFrameType.TX_XA, new TxXaHandler(log));
        server.handle(ReplicationFrameType.TX_XA_FINISH, request -> {
            TxXaFinish m = TxXaFinish.decode(request.body());
            return client.finishXaPart(localId, m).map(result -> result.encode(request.correlationId()));
        });
    }

    /**
     * How this broker finishes its part of a decided XA branch (TX_XA_FINISH): {@code live} is tried first for a
     * part prepared here and still held by its consumers' subscriptions; else the holds restored at a gate
     * ({@link XaHeldParts}).
     */
    public void finishXaPartsWith(java.util.function.BiFunction<TxXaFinish, XaHeldParts, Future<TxLogResult>> live) {
        client.localFinisher(f -> live.apply(f, held));
    }

    /** The XA parts whose holds this broker restored at its partitions' gates. */
    public XaHeldParts held() {
        return held;
    }

    public DecisionLogClient client() {
        return client;
    }

    /** What a new leader does before it serves ({@link PartitionReplica#gate}). */
    public Function<PartitionReplica, Future<Void>> gate() {
        return gate;
    }

    /** Whether {@code name} is reserved for the broker's own destinations: clients may not use it. */
    public static boolean reserved(String name) {
        return name != null && name.startsWith("__heraldmq.");
    }

    /** Creates the decision log's topic (one partition) unless this broker or the cluster has it already. */
    public static Future<Void> createTopic(TopicRegistry topics) {
        if (topics.existing(DestinationKind.TOPIC, DecisionLog.TOPIC) != null) {
            return Future.succeededFuture();
        }
        return topics.create(DestinationKind.TOPIC, DecisionLog.TOPIC, 1, RETENTION_MS, -1).<Void>mapEmpty()
                .recover(e -> e instanceof ProtocolException pe && pe.code() == ErrorCode.ILLEGAL_STATE
                        && topics.existing(DestinationKind.TOPIC, DecisionLog.TOPIC) != null
                        ? Future.succeededFuture() : Future.failedFuture(e));
    }
}
