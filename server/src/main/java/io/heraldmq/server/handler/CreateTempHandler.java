package io.heraldmq.server.handler;

import io.heraldmq.protocol.CreateTemp;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.subscription.TemporaryDestinations;

/** CREATE_TEMP: creates a temporary queue or topic owned by this connection. */
public final class CreateTempHandler implements RequestHandler {
    private final TemporaryDestinations temporaries;

    public CreateTempHandler(TemporaryDestinations temporaries) {
        this.temporaries = temporaries;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        CreateTemp request = CreateTemp.decode(frame.body());
        int correlationId = frame.correlationId();
        temporaries.create(connection.connectionId(), request.kind(), request.name()).onComplete(ar -> {
            if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
            } else if (connection.isClosed()) {
                // The connection went while the log was being created: nobody will delete it otherwise.
                temporaries.connectionClosed(connection.connectionId());
            } else {
                connection.send(Ok.encode(correlationId));
            }
        });
    }
}
