package io.heraldmq.server.txlog;

import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** TX_RESOLVE: the outcome of a transaction, if this broker leads the decision log. */
final class TxResolveHandler implements ReplicationRequestHandler {
    private final DecisionLog log;

    TxResolveHandler(DecisionLog log) {
        this.log = log;
    }

    @Override
    public Future<Buffer> handle(ReplicationFrame request) {
        TxResolve m = TxResolve.decode(request.body());
        return log.resolve(m.id()).map(result -> result.encode(request.correlationId()));
    }
}
