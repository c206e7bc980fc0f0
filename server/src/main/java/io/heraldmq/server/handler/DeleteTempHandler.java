package io.heraldmq.server.handler;

import io.heraldmq.protocol.DeleteTemp;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.subscription.TemporaryDestinations;

/**
 * DELETE_TEMP: deletes a temporary destination this connection created. The client refuses while it has consumers on
 * it (only the owning connection can have any).
 */
public final class DeleteTempHandler implements RequestHandler {
    private final TemporaryDestinations temporaries;

    public DeleteTempHandler(TemporaryDestinations temporaries) {
        this.temporaries = temporaries;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        DeleteTemp request = DeleteTemp.decode(frame.body());
        int correlationId = frame.correlationId();
        temporaries.delete(connection.connectionId(), request.kind(), request.name()).onComplete(ar -> {
            if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
            } else {
                connection.send(Ok.encode(correlationId));
            }
        });
    }
}
