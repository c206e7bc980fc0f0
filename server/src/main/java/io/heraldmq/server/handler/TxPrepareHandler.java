package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.TxPrepare;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.txlog.TxPrepared;

/**
 * TX_PREPARE: the coordinator of a transaction spanning brokers asks this leader, over its relay, to prepare its
 * part ({@link TxParts#prepare}); answered by TX_PREPARED, or ERROR with nothing held. The coordinator's requests
 * carry its own (negative) correlation ids, so answers are written directly ({@code ClientConnection.send} drops
 * those). Refused on a client's own
 * connection: only a broker relaying for a client coordinates.
 */
public final class TxPrepareHandler implements RequestHandler {
    private final TxParts parts;

    public TxPrepareHandler(TxParts parts) {
        this.parts = parts;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        int id = frame.correlationId();
        if (!connection.isRelay()) {
            connection.replyError(id, ErrorCode.NOT_AUTHORIZED, "TX_PREPARE is a request between brokers");
            return;
        }
        TxPrepare prepare = TxPrepare.decode(frame.body());
        parts.prepare(connection, prepare.part()).onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.succeeded()) {
                connection.write(new TxPrepared(ar.result()).encode(id));
            } else {
                ErrorCode code = ar.cause() instanceof ProtocolException pe && pe.code() != ErrorCode.PROTOCOL_ERROR
                        ? pe.code() : ErrorCode.INTERNAL;
                connection.write(new ErrorFrame(code, String.valueOf(ar.cause().getMessage())).encode(id));
            }
        }));
    }
}
