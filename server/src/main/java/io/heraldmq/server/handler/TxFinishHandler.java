package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.TxFinish;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.txlog.TxId;

/**
 * TX_FINISH: the coordinator of a transaction spanning brokers tells this leader to apply (decided) or release its
 * prepared part ({@link TxParts#finish}); OK once done, INTERNAL when a decided part could not be applied here yet
 * (its partitions' next leaders apply it at their gates). Refused on a client's own connection.
 */
public final class TxFinishHandler implements RequestHandler {
    private final TxParts parts;

    public TxFinishHandler(TxParts parts) {
        this.parts = parts;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        int id = frame.correlationId();
        if (!connection.isRelay()) {
            connection.replyError(id, ErrorCode.NOT_AUTHORIZED, "TX_FINISH is a request between brokers");
            return;
        }
        TxFinish finish = TxFinish.decode(frame.body());
        parts.finish(new TxId(finish.producerId(), finish.sequence()), finish.apply())
                .onComplete(ar -> connection.context().runOnContext(v -> {
                    if (ar.succeeded() && ar.result().isEmpty()) {
                        connection.write(Ok.encode(id));
                    } else {
                        connection.write(new ErrorFrame(ErrorCode.INTERNAL, "the part is decided but could not be applied"
                                + " to " + (ar.succeeded() ? ar.result() : ar.cause().getMessage()) + " yet; it is"
                                + " applied when they change leader").encode(id));
                    }
                }));
    }
}
