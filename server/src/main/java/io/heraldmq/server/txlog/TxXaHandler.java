package io.heraldmq.server.txlog;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** TX_XA: an XA request, if this broker leads the decision log. */
final class TxXaHandler implements ReplicationRequestHandler {
    private final DecisionLog log;

    TxXaHandler(DecisionLog log) {
        this.log = log;
    }

    @Override
    public Future<Buffer> handle(ReplicationFrame request) {
        TxXa m = TxXa.decode(request.body());
        Future<TxLogResult> answer = switch (m.op()) {
            case TxXa.PREPARE -> m.xid() == null || m.decision() == null ? bad(m)
                    : log.prepareXa(new XaBranch(m.xid(), m.decision()));
            case TxXa.COMMIT, TxXa.ROLLBACK -> m.xid() == null ? bad(m) : log.finishXa(m.xid(), m.op() == TxXa.COMMIT);
            case TxXa.RECOVER -> log.recoverXa();
            default -> bad(m);
        };
        return answer.map(result -> result.encode(request.correlationId()));
    }

    private static Future<TxLogResult> bad(TxXa m) {
        return Future.succeededFuture(TxLogResult.error(ErrorCode.PROTOCOL_ERROR, "malformed TX_XA (op " + m.op()
                + ")"));
    }
}
