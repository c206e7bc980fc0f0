package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.TxOutcome;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.txlog.DecisionLogClient;
import io.heraldmq.server.txlog.TxId;
import io.vertx.core.Future;

/**
 * TX_OUTCOME: a client whose COMMIT lost its answer with its connection asks, once reconnected (to any broker),
 * whether it committed. A clustered broker asks the decision log ({@link #resolve}), which rolls an undecided
 * transaction back for good, so the answer is final either way. A single node does not keep every outcome (its
 * journal is checkpointed away) and answers ILLEGAL_STATE: the commit stays in doubt.
 */
public final class TxOutcomeHandler implements RequestHandler {
    private final DecisionLogClient decisions;

    /** @param decisions null on a single node */
    public TxOutcomeHandler(DecisionLogClient decisions) {
        this.decisions = decisions;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        TxOutcome q = TxOutcome.decode(frame.body());
        int id = frame.correlationId();
        if (decisions == null) {
            connection.replyError(id, ErrorCode.ILLEGAL_STATE, "a single broker does not keep the outcome of every"
                    + " transaction; the commit stays in doubt");
            return;
        }
        answer(connection, id, decisions, new TxId(q.producerId(), q.sequence()), "the outcome could not be learned");
    }

    /**
     * Answers request {@code correlationId} with the outcome of {@code txId}: OK, TRANSACTION_ROLLED_BACK, or
     * INTERNAL with {@code unknown} when the decision log could not be asked. Also the relaying broker's answer to a
     * COMMIT whose leader was lost ({@code ClusterRouter}).
     */
    public static void answer(ClientConnection connection, int correlationId, DecisionLogClient decisions, TxId txId,
                              String unknown) {
        resolve(decisions, txId).onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.succeeded()) {
                connection.send(Ok.encode(correlationId));
            } else if (ar.cause() instanceof io.heraldmq.protocol.ProtocolException pe
                    && pe.code() == ErrorCode.TRANSACTION_ROLLED_BACK) {
                connection.replyError(correlationId, pe.code(), pe.getMessage());
            } else {
                connection.replyError(correlationId, ErrorCode.INTERNAL, unknown + ": "
                        + ar.cause().getMessage());
            }
        }));
    }

    /**
     * The outcome of a transaction: succeeds if it committed; fails with a ProtocolException of
     * TRANSACTION_ROLLED_BACK if it did not, INTERNAL if the decision log could not be asked.
     */
    public static Future<Void> resolve(DecisionLogClient decisions, TxId txId) {
        return decisions.resolve(txId).compose(r -> {
            if (r.ok()) {
                return Future.succeededFuture();
            }
            ErrorCode code = ErrorCode.of(r.errorCode());
            return Future.failedFuture(new io.heraldmq.protocol.ProtocolException(
                    code == ErrorCode.TRANSACTION_ROLLED_BACK ? code : ErrorCode.INTERNAL,
                    code == ErrorCode.TRANSACTION_ROLLED_BACK ? r.message()
                            : "the outcome of transaction " + txId + " could not be learned: " + r.message()));
        });
    }
}
