package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.XaRollback;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.tx.XaTransactions;

/** XA_ROLLBACK: rolls a prepared branch back ({@link XaTransactions#decide}). */
public final class XaRollbackHandler implements RequestHandler {
    private final XaTransactions xa;
    private final boolean clustered;

    public XaRollbackHandler(XaTransactions xa, boolean clustered) {
        this.xa = xa;
        this.clustered = clustered;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        XaRollback rollback = XaRollback.decode(frame.body());
        int correlationId = frame.correlationId();
        if (clustered) {
            connection.replyError(correlationId, ErrorCode.XA_UNKNOWN_XID, XaPrepareHandler.CLUSTERED);
            return;
        }
        xa.decide(rollback.xid(), false, false).onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.succeeded()) {
                connection.send(Ok.encode(correlationId));
            } else {
                connection.replyFailure(correlationId, ar.cause());
            }
        }));
    }
}
