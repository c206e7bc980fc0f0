package io.heraldmq.server.handler;

import io.heraldmq.protocol.CloseSession;
import io.heraldmq.protocol.Frame;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;

/** CLOSE_SESSION, one-way: the session no longer counts in {@code heraldmq_sessions}. */
public final class CloseSessionHandler implements RequestHandler {
    @Override
    public void handle(ClientConnection connection, Frame frame) {
        connection.closeSession(CloseSession.decode(frame.body()).sessionId());
    }
}
