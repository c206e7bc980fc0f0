package io.heraldmq.server.gateway;

import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.TxFinish;
import io.heraldmq.protocol.TxPrepare;
import io.heraldmq.server.handler.TestHalt;
import io.heraldmq.server.handler.TxParts;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.txlog.DecisionLogClient;
import io.heraldmq.server.txlog.TxDecision;
import io.heraldmq.server.txlog.TxId;
import io.heraldmq.server.txlog.TxLogResult;
import io.heraldmq.server.txlog.TxPrepared;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A COMMIT whose destinations are led by different brokers, coordinated by the client's own broker: a two-phase
 * commit whose decision is the replicated decision log's DECISION record.
 * <ol>
 *   <li>PREPARE: each leader gets its part (its sends, its consumers' deliveries): over the client's relay to it
 *       (TX_PREPARE, where the relayed consumers live), or here for this broker's own part ({@link TxParts}). Each
 *       checks its part as a COMMIT, holds the consumed deliveries and answers the part as the decision names it
 *       (partitions with its leader epochs, batch lower bounds, durable acks). Nothing is applied.</li>
 *   <li>DECIDE: the parts are merged into one {@link TxDecision} with this broker as coordinator and committed in the
 *       decision log (TX_DECIDE), which refuses it if a partition's gate passed the epoch its leader prepared it in.
 *       A refused prepare or decision: every prepared part is released (TX_FINISH release) and the client gets
 *       TRANSACTION_ROLLED_BACK (nothing was applied).</li>
 *   <li>APPLY: every leader is told to apply its part (TX_FINISH apply) and reports it APPLIED; OK once every
 *       leader answered. A leader lost meanwhile counts as done: the decided part is applied by that leader itself
 *       (its relay closed, it asks TX_RESOLVE) or by its partitions' next leaders at their gates.</li>
 * </ol>
 * If this broker dies at any point the leaders resolve their parts through the decision log (see {@link TxParts}),
 * so a transaction is either applied whole or not at all. The decision log answering neither way within its
 * deadline leaves the commit in doubt (INTERNAL), the parts prepared until they resolve themselves.
 */
final class SpanningCommit {
    private final String localId;
    private final DecisionLogClient decisions;
    private final TxParts local;

    SpanningCommit(String localId, DecisionLogClient decisions, TxParts local) {
        this.localId = localId;
        this.decisions = decisions;
        this.local = local;
    }

    /** One leader's part: prepared and finished here, or over a relay. */
    interface Leader {
        Future<TxDecision> prepare();

        /** Completes with null when done, else why the part could not be applied there yet. */
        Future<String> finish(boolean apply);
    }

    /**
     * Coordinates {@code commit} and answers the client ({@code correlationId}) on its connection.
     *
     * @param localPart the part for destinations and consumers of this broker, or null
     * @param remote    each other leader's relay and its part
     */
    void commit(ClientConnection connection, int correlationId, Commit commit, Commit localPart,
                Map<Upstream, Commit> remote) {
        TxId id = new TxId(commit.producerId(), commit.sequence());
        List<Leader> leaders = new ArrayList<>();
        if (localPart != null) {
            leaders.add(here(connection, localPart, id));
        }
        remote.forEach((up, part) -> leaders.add(relayed(up, part, id)));
        List<Future<TxDecision>> prepared = new ArrayList<>();
        for (Leader l : leaders) {
            prepared.add(l.prepare());
        }
        Future.join(prepared).onComplete(all -> connection.context().runOnContext(v -> {
            if (all.failed()) {
                Throwable cause = all.cause();
                for (int i = 0; i < leaders.size(); i++) {
                    if (prepared.get(i).succeeded()) {
                        leaders.get(i).finish(false);
                    }
                }
                ErrorCode code = cause instanceof ProtocolException pe && pe.code() != ErrorCode.INTERNAL
                        && pe.code() != ErrorCode.PROTOCOL_ERROR ? pe.code() : ErrorCode.TRANSACTION_ROLLED_BACK;
                connection.replyError(correlationId, code, "a part of the transaction could not be prepared ("
                        + cause.getMessage() + "); nothing of it was applied");
                return;
            }
            decide(connection, correlationId, id, leaders, merge(id, prepared));
        }));
    }

    private void decide(ClientConnection connection, int correlationId, TxId id, List<Leader> leaders,
                        TxDecision decision) {
        decisions.decide(decision).onComplete(ar -> connection.context().runOnContext(v -> {
            TxLogResult result = ar.succeeded() ? ar.result()
                    : TxLogResult.error(ErrorCode.INTERNAL, String.valueOf(ar.cause().getMessage()));
            ErrorCode code = ErrorCode.of(result.errorCode());
            if (!result.ok() && (code == ErrorCode.NOT_LEADER || code == ErrorCode.INTERNAL)) {
                // in doubt: the parts stay prepared; each resolves itself through the decision log
                connection.replyError(correlationId, ErrorCode.INTERNAL, "the transaction is in doubt: the decision"
                        + " log did not confirm it (" + result.message() + ")");
                return;
            }
            if (!result.ok()) {
                leaders.forEach(l -> l.finish(false));
                connection.replyError(correlationId, code, result.message());
                return;
            }
            TestHalt.AFTER_DECISION.haltIfTouched(decision.participants().stream().map(p -> p.partition()), id);
            List<Future<String>> finished = new ArrayList<>();
            for (Leader l : leaders) {
                finished.add(l.finish(true));
            }
            Future.join(finished).onComplete(done -> connection.context().runOnContext(x -> {
                List<String> stuck = new ArrayList<>();
                for (Future<String> f : finished) {
                    if (f.succeeded() && f.result() != null) {
                        stuck.add(f.result());
                    }
                }
                if (stuck.isEmpty()) {
                    connection.send(Ok.encode(correlationId));
                } else {
                    connection.replyError(correlationId, ErrorCode.INTERNAL, "the transaction is committed but"
                            + " could not be applied everywhere yet (" + String.join("; ", stuck) + "); it is applied"
                            + " when those partitions change leader");
                }
            }));
        }));
    }

    /** The parts as one decision, this broker its coordinator; batches of one partition keep their order. */
    TxDecision merge(TxId id, List<Future<TxDecision>> parts) {
        List<TxDecision.Participant> participants = new ArrayList<>();
        List<TxDecision.Batch> batches = new ArrayList<>();
        List<TxDecision.Ack> acks = new ArrayList<>();
        for (Future<TxDecision> f : parts) {
            TxDecision part = f.result();
            int base = participants.size();
            participants.addAll(part.participants());
            for (TxDecision.Batch b : part.batches()) {
                batches.add(new TxDecision.Batch(base + b.participant(), b.lowerBound(), b.batch()));
            }
            for (TxDecision.Ack a : part.acks()) {
                acks.add(new TxDecision.Ack(base + a.participant(), a.subscriptionId(), a.offset()));
            }
        }
        return new TxDecision(id, localId, participants, batches, acks);
    }

    Leader here(ClientConnection connection, Commit part, TxId id) {
        return new Leader() {
            @Override
            public Future<TxDecision> prepare() {
                return local.prepare(connection, part);
            }

            @Override
            public Future<String> finish(boolean apply) {
                return local.finish(id, apply).map(stuck -> stuck.isEmpty() ? null : localId + ": " + stuck);
            }
        };
    }

    static Leader relayed(Upstream up, Commit part, TxId id) {
        return new Leader() {
            @Override
            public Future<TxDecision> prepare() {
                return up.request(new TxPrepare(part).encode(up.nextOwnId())).compose(answer -> {
                    if (answer.type() == FrameType.TX_PREPARED) {
                        return Future.succeededFuture(TxPrepared.decode(answer.body()).part());
                    }
                    return Future.failedFuture(refusal(up, answer));
                });
            }

            @Override
            public Future<String> finish(boolean apply) {
                return up.request(new TxFinish(id.producerId(), id.sequence(), apply).encode(up.nextOwnId()))
                        .transform(ar -> {
                            if (ar.failed() || ar.result().type() == FrameType.OK) {
                                // lost: the leader resolves its part itself (or its successor's gate applies it)
                                return Future.succeededFuture(null);
                            }
                            return Future.succeededFuture(up.brokerId() + ": "
                                    + refusal(up, ar.result()).getMessage());
                        });
            }
        };
    }

    private static ProtocolException refusal(Upstream up, Frame answer) {
        if (answer.type() == FrameType.ERROR) {
            ErrorFrame e = ErrorFrame.decode(answer.body());
            return new ProtocolException(e.code(), "broker " + up.brokerId() + ": " + e.message());
        }
        return new ProtocolException(ErrorCode.INTERNAL, "broker " + up.brokerId() + " answered " + answer.type());
    }
}
