package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.SetClientId;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;

/** SET_CLIENT_ID: gives a connection that connected without a client id one, under the same uniqueness rule. */
public final class SetClientIdHandler implements RequestHandler {
    private final ClientIds clientIds;

    public SetClientIdHandler(ClientIds clientIds) {
        this.clientIds = clientIds;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        SetClientId request = SetClientId.decode(frame.body());
        if (connection.clientId() != null) {
            throw new ProtocolException(ErrorCode.ILLEGAL_STATE, "the connection already has client id '"
                    + connection.clientId() + "'");
        }
        if (connection.isRelay()) {
            // the relaying broker claimed it for its client
            connection.assignClientId(request.clientId());
            connection.send(Ok.encode(frame.correlationId()));
            return;
        }
        clientIds.claim(request.clientId(), connection.connectionId()).onComplete(ar -> {
            if (ar.failed()) {
                connection.replyFailure(frame.correlationId(), ar.cause());
                return;
            }
            if (connection.clientId() != null) {
                // a second SET_CLIENT_ID raced this one and won
                clientIds.releaseId(request.clientId(), connection.connectionId());
                connection.replyFailure(frame.correlationId(), new ProtocolException(ErrorCode.ILLEGAL_STATE,
                        "the connection already has client id '" + connection.clientId() + "'"));
                return;
            }
            connection.assignClientId(request.clientId());
            if (connection.isClosed()) {
                clientIds.release(connection);
                return;
            }
            connection.send(Ok.encode(frame.correlationId()));
        });
    }
}
