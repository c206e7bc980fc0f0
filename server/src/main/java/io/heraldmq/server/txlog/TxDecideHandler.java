package io.heraldmq.server.txlog;

import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** TX_DECIDE: records a transaction's decision, if this broker leads the decision log. */
final class TxDecideHandler implements ReplicationRequestHandler {
    private final DecisionLog log;

    TxDecideHandler(DecisionLog log) {
        this.log = log;
    }

    @Override
    public Future<Buffer> handle(ReplicationFrame request) {
        TxDecide m = TxDecide.decode(request.body());
        return log.decide(m.decision()).map(result -> result.encode(request.correlationId()));
    }
}
