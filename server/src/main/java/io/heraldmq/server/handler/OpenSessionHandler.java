package io.heraldmq.server.handler;

import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.OpenSession;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;

/**
 * OPEN_SESSION, one-way: counts the session for {@code heraldmq_sessions}. A broker keeps no state per session (the
 * client does acknowledgement and transactions), so nothing else reads it. Never relayed in a cluster: a session
 * names no destination.
 */
public final class OpenSessionHandler implements RequestHandler {
    @Override
    public void handle(ClientConnection connection, Frame frame) {
        connection.openSession(OpenSession.decode(frame.body()).sessionId());
    }
}
