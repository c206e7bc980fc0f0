package io.heraldmq.server.txlog;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.cluster.PartitionTable;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.replication.ReplicationPeers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Sends requests to the decision log's leader: this broker's own {@link DecisionLog} when it leads the log's
 * partition, else over the replication connection. Every request is idempotent, so one that got no answer (the
 * leader died, the connection broke) or was answered NOT_LEADER is sent again, to whoever leads then, every
 * {@link #RETRY_MS} until {@link #DEADLINE_MS} has passed; then it fails.
 */
public final class DecisionLogClient {
    static final long RETRY_MS = 100;
    static final long DEADLINE_MS = 15_000;

    private final Vertx vertx;
    private final String localId;
    private final Function<String, PartitionReplica> replicas;
    private final PartitionTable table;
    private final ReplicationPeers peers;
    private final DecisionLog local;

    public DecisionLogClient(Vertx vertx, String localId, Function<String, PartitionReplica> replicas,
                             PartitionTable table, ReplicationPeers peers, DecisionLog local) {
        this.vertx = vertx;
        this.localId = localId;
        this.replicas = replicas;
        this.table = table;
        this.peers = peers;
        this.local = local;
    }

    /** TX_DECIDE; completes with the log's answer (never NOT_LEADER before the deadline). */
    public Future<TxLogResult> decide(TxDecision decision) {
        return call(log -> log.decide(decision), id -> new TxDecide(decision).encode(id), deadline());
    }

    /** TX_GATE. */
    public Future<TxLogResult> gate(String partition, int leaderEpoch) {
        return call(log -> log.gate(partition, leaderEpoch), id -> new TxGate(partition, leaderEpoch).encode(id),
                deadline());
    }

    /** TX_APPLIED. */
    public Future<TxLogResult> applied(TxId id, List<String> partitions) {
        return call(log -> log.applied(id, partitions), c -> new TxApplied(id, partitions).encode(c), deadline());
    }

    /** TX_RESOLVE: the outcome of a transaction, rolled back for good if it is undecided. */
    public Future<TxLogResult> resolve(TxId id) {
        return call(log -> log.resolve(id), c -> new TxResolve(id).encode(c), deadline());
    }

    /** TX_XA PREPARE: records a prepared XA branch. */
    public Future<TxLogResult> prepareXa(XaBranch branch) {
        return call(log -> log.prepareXa(branch), c -> new TxXa(TxXa.PREPARE, branch.xid(), branch.decision())
                .encode(c), deadline());
    }

    /** TX_XA COMMIT or ROLLBACK: records a prepared XA branch's outcome; answers with the branch. */
    public Future<TxLogResult> finishXa(io.heraldmq.protocol.WireXid xid, boolean commit) {
        return call(log -> log.finishXa(xid, commit), c -> new TxXa(commit ? TxXa.COMMIT : TxXa.ROLLBACK, xid, null)
                .encode(c), deadline());
    }

    /** TX_XA RECOVER: the prepared, undecided XA branches. */
    public Future<TxLogResult> recoverXa() {
        return call(DecisionLog::recoverXa, c -> new TxXa(TxXa.RECOVER, null, null).encode(c), deadline());
    }

    /**
     * TX_XA_FINISH to {@code brokerId}: finish the branch's part in {@code partition} there (only after its outcome
     * is committed). One attempt: NOT_LEADER, or a failure, means ask that partition's current leader.
     */
    public Future<TxLogResult> finishXaPart(String brokerId, TxXaFinish finish) {
        if (brokerId.equals(localId)) {
            java.util.function.Function<TxXaFinish, Future<TxLogResult>> f = localFinisher;
            return f == null ? Future.succeededFuture(TxLogResult.error(ErrorCode.NOT_LEADER, "not ready"))
                    : f.apply(finish);
        }
        return peers.request(brokerId, finish.encode(peers.nextCorrelationId()))
                .map(answer -> TxLogResult.decode(answer.body()))
                .otherwise(e -> TxLogResult.error(ErrorCode.NOT_LEADER, String.valueOf(e.getMessage())));
    }

    /** This broker's handler of TX_XA_FINISH (set once the client handlers exist). */
    private volatile java.util.function.Function<TxXaFinish, Future<TxLogResult>> localFinisher;

    void localFinisher(java.util.function.Function<TxXaFinish, Future<TxLogResult>> finisher) {
        this.localFinisher = finisher;
    }

    private static long deadline() {
        return System.currentTimeMillis() + DEADLINE_MS;
    }

    private Future<TxLogResult> call(Function<DecisionLog, Future<TxLogResult>> locally, IntFunction<Buffer> frame,
                                     long deadline) {
        return leader().compose(leader -> {
            if (leader == null) {
                return Future.succeededFuture(TxLogResult.error(ErrorCode.NOT_LEADER, "the decision log has no"
                        + " leader"));
            }
            if (leader.equals(localId)) {
                return locally.apply(local);
            }
            return peers.request(leader, frame.apply(peers.nextCorrelationId()))
                    .map(answer -> TxLogResult.decode(answer.body()));
        }).transform(ar -> {
            if (ar.succeeded() && ErrorCode.of(ar.result().errorCode()) != ErrorCode.NOT_LEADER) {
                return Future.succeededFuture(ar.result());
            }
            String why = ar.succeeded() ? ar.result().message() : String.valueOf(ar.cause().getMessage());
            if (System.currentTimeMillis() >= deadline) {
                return Future.succeededFuture(TxLogResult.error(ErrorCode.NOT_LEADER, "the decision log did not"
                        + " answer within " + DEADLINE_MS + " ms (" + why + ")"));
            }
            Promise<TxLogResult> retried = Promise.promise();
            vertx.setTimer(RETRY_MS, t -> call(locally, frame, deadline).onComplete(retried));
            return retried.future();
        });
    }

    /** Who leads the decision log, as far as this broker knows: its replica's view, else the partition table. */
    private Future<String> leader() {
        PartitionReplica r = replicas.apply(DecisionLog.KEY);
        if (r != null) {
            PartitionReplica.Role role = r.role();
            if (role == PartitionReplica.Role.LEADER) {
                return Future.succeededFuture(localId);
            }
            if (role == PartitionReplica.Role.FOLLOWER) {
                return Future.succeededFuture(r.leader());
            }
        }
        return table.get(PartitionKey.parse(DecisionLog.KEY)).map(a -> a == null ? null : a.leader());
    }
}
