package io.heraldmq.server.txlog;

import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** TX_APPLIED: parts of a transaction are applied, if this broker leads the decision log. */
final class TxAppliedHandler implements ReplicationRequestHandler {
    private final DecisionLog log;

    TxAppliedHandler(DecisionLog log) {
        this.log = log;
    }

    @Override
    public Future<Buffer> handle(ReplicationFrame request) {
        TxApplied m = TxApplied.decode(request.body());
        return log.applied(m.id(), m.partitions()).map(result -> result.encode(request.correlationId()));
    }
}
