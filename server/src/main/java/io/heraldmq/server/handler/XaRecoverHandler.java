package io.heraldmq.server.handler;

import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.XaRecover;
import io.heraldmq.protocol.XaXids;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.tx.XaTransactions;

/** XA_RECOVER: answers XA_XIDS with the prepared and heuristically decided branches. */
public final class XaRecoverHandler implements RequestHandler {
    private final XaTransactions xa;

    public XaRecoverHandler(XaTransactions xa) {
        this.xa = xa;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        XaRecover.decode(frame.body());
        connection.send(new XaXids(xa.recoverable()).encode(frame.correlationId()));
    }
}
