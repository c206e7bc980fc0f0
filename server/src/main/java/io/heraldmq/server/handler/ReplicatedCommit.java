package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.txlog.DecisionLogClient;
import io.heraldmq.server.txlog.TxDecision;
import io.heraldmq.server.txlog.TxId;
import io.heraldmq.server.txlog.TxLogResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * COMMIT on a clustered broker, the coordinator's side: the checked transaction ({@link TxPlanner}) becomes a
 * {@link TxDecision} that names every partition it touches with this broker's leader epoch there, is committed in
 * the replicated decision log ({@code DecisionLog}), and only then is applied here: batches appended on their
 * partitions (each waiting to be committed), acks settled through their consumers and the changed positions
 * written to the partitions' logs and committed. Then OK, and the parts applied are reported to the decision log.
 * <p>
 * Every partition must be led here with its gate passed (the transactions an earlier leader left are applied), else
 * the transaction is refused (TRANSACTION_ROLLED_BACK) before anything is recorded. A partition whose leadership
 * moves after the decision is not applied here: its new leader applies the part at its gate, which the decision
 * precedes (a gate before it would have fenced the decision: TRANSACTION_ROLLED_BACK). So a decided transaction is
 * applied whole whatever fails afterwards; a decision that got no answer within the client log's deadline is in
 * doubt (INTERNAL: the client reports the outcome unknown).
 */
final class ReplicatedCommit {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedCommit.class);

    private final DecisionLogClient decisions;
    private final String localId;

    ReplicatedCommit(DecisionLogClient decisions, String localId) {
        this.decisions = decisions;
        this.localId = localId;
    }

    void commit(ClientConnection connection, int correlationId, TxPlanner.Plan plan, String what) {
        commit(connection, correlationId, plan, what, System.currentTimeMillis() + LEADERSHIP_WAIT_MS);
    }

    /** How long a commit waits for a partition elected here to pass its gate, as a SUBSCRIBE waits. */
    static final long LEADERSHIP_WAIT_MS = 10_000;

    private void commit(ClientConnection connection, int correlationId, TxPlanner.Plan plan, String what,
                        long deadline) {
        TxPartWork.Described described;
        try {
            described = TxPartWork.describe(plan);
        } catch (TxPartWork.NotReadyYet notYet) {
            if (System.currentTimeMillis() >= deadline) {
                connection.replyError(correlationId, ErrorCode.TRANSACTION_ROLLED_BACK, notYet.getMessage()
                        + " after " + LEADERSHIP_WAIT_MS + " ms; nothing of the transaction was applied");
            } else {
                // elected here a moment ago: its gate (the transactions an earlier leader left) is being passed
                connection.context().owner().setTimer(50, t -> connection.context().runOnContext(v ->
                        commit(connection, correlationId, plan, what, deadline)));
            }
            return;
        } catch (ProtocolException refused) {
            connection.replyFailure(correlationId, refused);
            return;
        }
        TxDecision decision = new TxDecision(new TxId(plan.commit().producerId(), plan.commit().sequence()), localId,
                described.participants(), described.batches(), described.acks());
        int total = plan.bytes();
        connection.producing(total);
        TxPartWork.hold(plan).onComplete(held -> connection.context().runOnContext(h -> {
            if (held.failed()) {
                connection.produced(total);
                connection.replyFailure(correlationId, held.cause());
                return;
            }
            decide(connection, correlationId, plan, decision, described, total, what);
        }));
    }

    private void decide(ClientConnection connection, int correlationId, TxPlanner.Plan plan, TxDecision decision,
                        TxPartWork.Described described, int total, String what) {
        decisions.decide(decision).onComplete(ar -> connection.context().runOnContext(v -> {
            TxLogResult result = ar.succeeded() ? ar.result()
                    : TxLogResult.error(ErrorCode.INTERNAL, String.valueOf(ar.cause().getMessage()));
            if (result.ok()) {
                apply(connection, correlationId, plan, decision, described, total, what);
                return;
            }
            connection.produced(total);
            ErrorCode refusedCode = ErrorCode.of(result.errorCode());
            if (refusedCode != ErrorCode.NOT_LEADER && refusedCode != ErrorCode.INTERNAL) {
                TxPartWork.endHolds(plan, false); // refused: nothing applied, the messages come again
            }
            // in doubt: the holds stay until the consumer closes (its deliveries then return to the queue); the
            // partitions' next leaders settle them if the transaction was decided
            ErrorCode code = ErrorCode.of(result.errorCode());
            if (code == ErrorCode.NOT_LEADER || code == ErrorCode.INTERNAL) {
                connection.replyError(correlationId, ErrorCode.INTERNAL, "the " + what + " is in doubt: the"
                        + " decision log did not confirm it (" + result.message() + ")");
            } else {
                connection.replyError(correlationId, code, result.message());
            }
        }));
    }

    private void apply(ClientConnection connection, int correlationId, TxPlanner.Plan plan, TxDecision decision,
                       TxPartWork.Described described, int total, String what) {
        TestHalt.AFTER_DECISION.haltIfTouched(described.parts().stream().map(TxPartWork.Part::key), decision.id());
        TxPartWork.apply(plan, described).onComplete(ar -> connection.context().runOnContext(v -> {
            connection.produced(total);
            TxPartWork.Applied done = ar.result();
            List<String> mine = done.mine();
            List<String> stuck = done.stuck();
            if (!stuck.isEmpty()) {
                LOG.warn("{} {} is decided but could not be applied to {} here; it is applied when they change leader",
                        what, decision.id(), stuck, done.cause());
                connection.replyError(correlationId, ErrorCode.INTERNAL, "the " + what + " is committed but could"
                        + " not be applied to " + stuck + " yet (" + (done.cause() == null ? "" : done.cause()
                        .getMessage()) + "); it is applied when they change leader");
            } else {
                // decided: what is not applied here is applied by the partitions' next leaders at their gates
                connection.send(Ok.encode(correlationId));
            }
            if (!mine.isEmpty()) {
                decisions.applied(decision.id(), mine).onComplete(a -> {
                    if (a.failed() || !a.result().ok()) {
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("{} {}: applied, but the decision log was not told ({}); a later gate applies it "
                                    + "again, harmlessly", what, decision.id(),
                                    String.valueOf(a.failed() ? a.cause() : a.result().message()));
                        }
                    }
                });
            }
        }));
    }
}
