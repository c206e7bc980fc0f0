package io.heraldmq.server.net;

import io.heraldmq.protocol.Frame;

/** Handles one type of request frame, on the connection's event loop. One implementation per frame type. */
@FunctionalInterface
public interface RequestHandler {
    /**
     * @throws io.heraldmq.protocol.ProtocolException for bad input: PROTOCOL_ERROR closes the connection, other codes
     *                                                are answered with an ERROR frame
     */
    void handle(ClientConnection connection, Frame frame);
}
