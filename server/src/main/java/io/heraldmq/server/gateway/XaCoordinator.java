package io.heraldmq.server.gateway;

import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.protocol.XaXids;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.txlog.DecisionLogClient;
import io.heraldmq.server.txlog.TxDecision;
import io.heraldmq.server.txlog.TxId;
import io.heraldmq.server.txlog.TxLogResult;
import io.heraldmq.server.txlog.TxXaFinish;
import io.heraldmq.server.txlog.XaBranch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * XA on a clustered broker, handled by the client's own broker whatever it leads. The decision log is the record
 * of every branch: PREPARED (the whole work and the xid), then DECISION (XA_COMMIT) or ABORTED (XA_ROLLBACK).
 * <ul>
 *   <li><b>XA_PREPARE</b>: each leader prepares its part exactly as for a transaction spanning brokers
 *       ({@link SpanningCommit}: checked as a COMMIT, consumed deliveries held, nothing applied); the parts merged
 *       into one {@link TxDecision} (this broker as coordinator) are recorded PREPARED with the xid, fenced as a
 *       decision is; OK only once that record is committed. A refused part or record releases every part.</li>
 *   <li><b>XA_COMMIT</b> (two phases) and <b>XA_ROLLBACK</b>, through any broker: the DECISION or ABORTED record is
 *       committed first (idempotent), then each partition's current leader is told to finish its part
 *       (TX_XA_FINISH: apply, or release the holds), retried at whoever leads it for up to
 *       {@link #FINISH_WAIT_MS}; OK then. A part not finished by then is finished by its leader's own outcome query
 *       or, when decided, by its partition's next leader at its gate.</li>
 *   <li><b>XA_RECOVER</b>: every prepared, undecided branch in the decision log (the transaction manager keeps its
 *       own by their branch qualifiers).</li>
 *   <li>A one-phase XA_COMMIT is a plain COMMIT (routed by {@link ClusterRouter}); XA_FORGET knows no branch
 *       (heuristic outcomes are not offered in a cluster).</li>
 * </ul>
 * Invariants: <b>nothing of a branch is applied before its DECISION is committed</b> (TX_XA_FINISH apply is sent
 * only after, and a leader's outcome query applies only a decided branch); <b>a prepared branch's consumed messages
 * go to no one else</b>, also across leader changes (the gates hold them again: {@code XaHeldParts}); <b>a prepared
 * branch waits for its transaction manager indefinitely</b> and is finished through any broker.
 */
final class XaCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(XaCoordinator.class);
    /** How long XA_COMMIT / XA_ROLLBACK keeps telling the partitions' leaders before it answers anyway. */
    static final long FINISH_WAIT_MS = 15_000;
    private static final long RETRY_MS = 200;

    private final Vertx vertx;
    private final LeaderDirectory leaders;
    private final DecisionLogClient decisions;
    private final SpanningCommit parts;

    XaCoordinator(Vertx vertx, LeaderDirectory leaders, DecisionLogClient decisions, SpanningCommit parts) {
        this.vertx = vertx;
        this.leaders = leaders;
        this.decisions = decisions;
        this.parts = parts;
    }

    /** XA_PREPARE of {@code work}, split into this broker's part (or null) and each other leader's. */
    void prepare(ClientConnection connection, int correlationId, WireXid xid, Commit work, Commit localPart,
                 Map<Upstream, Commit> remote) {
        TxId id = new TxId(work.producerId(), work.sequence());
        List<SpanningCommit.Leader> all = new ArrayList<>();
        if (localPart != null) {
            all.add(parts.here(connection, localPart, id));
        }
        remote.forEach((up, part) -> all.add(SpanningCommit.relayed(up, part, id)));
        List<Future<TxDecision>> prepared = new ArrayList<>();
        for (SpanningCommit.Leader l : all) {
            prepared.add(l.prepare());
        }
        Future.join(prepared).onComplete(joined -> connection.context().runOnContext(v -> {
            if (joined.failed()) {
                releasePrepared(all, prepared);
                Throwable cause = joined.cause();
                ErrorCode code = cause instanceof ProtocolException pe && pe.code() != ErrorCode.INTERNAL
                        && pe.code() != ErrorCode.PROTOCOL_ERROR ? pe.code() : ErrorCode.TRANSACTION_ROLLED_BACK;
                connection.replyError(correlationId, code, "XA branch " + xid + ": a part could not be prepared ("
                        + cause.getMessage() + "); it is rolled back");
                return;
            }
            XaBranch branch = new XaBranch(xid, parts.merge(id, prepared));
            decisions.prepareXa(branch).onComplete(ar -> connection.context().runOnContext(x -> {
                TxLogResult r = ar.succeeded() ? ar.result()
                        : TxLogResult.error(ErrorCode.INTERNAL, String.valueOf(ar.cause().getMessage()));
                ErrorCode code = ErrorCode.of(r.errorCode());
                if (r.ok()) {
                    connection.send(Ok.encode(correlationId));
                } else if (code == ErrorCode.NOT_LEADER || code == ErrorCode.INTERNAL) {
                    // in doubt: the parts stay held; each asks the decision log (prepared => waits, else released)
                    connection.replyError(correlationId, ErrorCode.INTERNAL, "XA branch " + xid + " is in doubt:"
                            + " the decision log did not confirm its prepare (" + r.message() + ")");
                } else {
                    releasePrepared(all, prepared);
                    connection.replyError(correlationId, code, r.message());
                }
            }));
        }));
    }

    private static void releasePrepared(List<SpanningCommit.Leader> all, List<Future<TxDecision>> prepared) {
        for (int i = 0; i < all.size(); i++) {
            if (prepared.get(i).succeeded()) {
                all.get(i).finish(false);
            }
        }
    }

    /** Two-phase XA_COMMIT ({@code commit}) or XA_ROLLBACK of a branch prepared through any broker. */
    void finish(ClientConnection connection, int correlationId, WireXid xid, boolean commit) {
        decisions.finishXa(xid, commit).onComplete(ar -> connection.context().runOnContext(v -> {
            TxLogResult r = ar.succeeded() ? ar.result()
                    : TxLogResult.error(ErrorCode.INTERNAL, String.valueOf(ar.cause().getMessage()));
            ErrorCode code = ErrorCode.of(r.errorCode());
            if (!r.ok()) {
                // Out of reach (no decision-log leader yet, or no answer): the client's XAER_RMFAIL, which a
                // transaction manager retries, rather than XAER_RMERR.
                connection.replyError(correlationId, code == ErrorCode.NOT_LEADER || code == ErrorCode.INTERNAL
                        ? ErrorCode.RESOURCE_EXHAUSTED : code, r.message());
                return;
            }
            TxDecision decision = r.prepared().get(0).decision();
            long deadline = System.currentTimeMillis() + FINISH_WAIT_MS;
            List<Future<Void>> told = new ArrayList<>();
            for (TxDecision.Participant p : decision.participants()) {
                Promise<Void> done = Promise.promise();
                tell(new TxXaFinish(p.partition(), commit, decision), deadline, done);
                told.add(done.future());
            }
            Future.join(told).onComplete(x -> connection.context().runOnContext(y ->
                    connection.send(Ok.encode(correlationId))));
        }));
    }

    /** Tells the partition's current leader to finish its part; retried at whoever leads it until the deadline. */
    private void tell(TxXaFinish finish, long deadline, Promise<Void> done) {
        PartitionKey key = PartitionKey.parse(finish.partition());
        String leader = leaders.liveLeaderOf(key.queue(), key.destination());
        Future<TxLogResult> answer = leader == null
                ? Future.succeededFuture(TxLogResult.error(ErrorCode.NOT_LEADER, "no leader known"))
                : decisions.finishXaPart(leader, finish);
        answer.onComplete(ar -> {
            TxLogResult r = ar.succeeded() ? ar.result()
                    : TxLogResult.error(ErrorCode.NOT_LEADER, String.valueOf(ar.cause().getMessage()));
            if (r.ok()) {
                done.complete();
            } else if (ErrorCode.of(r.errorCode()) != ErrorCode.NOT_LEADER
                    || System.currentTimeMillis() >= deadline) {
                LOG.warn("XA branch part {} of {} not finished yet ({}); its leader finishes it by asking the"
                        + " decision log, or its next leader at its gate", finish.partition(),
                        finish.decision().id(), r.message());
                done.complete();
            } else {
                vertx.setTimer(RETRY_MS, t -> tell(finish, deadline, done));
            }
        });
    }

    /** XA_RECOVER: the xids of every prepared, undecided branch in the cluster. */
    void recover(ClientConnection connection, int correlationId) {
        decisions.recoverXa().onComplete(ar -> connection.context().runOnContext(v -> {
            TxLogResult r = ar.succeeded() ? ar.result()
                    : TxLogResult.error(ErrorCode.INTERNAL, String.valueOf(ar.cause().getMessage()));
            if (!r.ok()) {
                // XAER_RMFAIL at the client: the transaction manager's recovery scan tries again later
                connection.replyError(correlationId, ErrorCode.RESOURCE_EXHAUSTED, "the decision log did not answer ("
                        + r.message() + ")");
                return;
            }
            List<WireXid> xids = new ArrayList<>();
            for (XaBranch b : r.prepared()) {
                xids.add(b.xid());
            }
            connection.send(new XaXids(xids).encode(correlationId));
        }));
    }
}
