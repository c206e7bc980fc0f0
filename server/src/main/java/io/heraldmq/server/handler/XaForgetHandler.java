package io.heraldmq.server.handler;

import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.XaForget;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.tx.XaTransactions;

/** XA_FORGET: forgets a heuristically decided branch ({@link XaTransactions#forget}). */
public final class XaForgetHandler implements RequestHandler {
    private final XaTransactions xa;

    public XaForgetHandler(XaTransactions xa) {
        this.xa = xa;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        XaForget forget = XaForget.decode(frame.body());
        int correlationId = frame.correlationId();
        xa.forget(forget.xid()).onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.succeeded()) {
                connection.send(Ok.encode(correlationId));
            } else {
                connection.replyFailure(correlationId, ar.cause());
            }
        }));
    }
}
