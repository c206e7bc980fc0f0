package io.heraldmq.server.txlog;

import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** TX_GATE: a partition's new leader asks for the transactions to apply, if this broker leads the decision log. */
final class TxGateHandler implements ReplicationRequestHandler {
    private final DecisionLog log;

    TxGateHandler(DecisionLog log) {
        this.log = log;
    }

    @Override
    public Future<Buffer> handle(ReplicationFrame request) {
        TxGate m = TxGate.decode(request.body());
        return log.gate(m.partition(), m.leaderEpoch()).map(result -> result.encode(request.correlationId()));
    }
}
