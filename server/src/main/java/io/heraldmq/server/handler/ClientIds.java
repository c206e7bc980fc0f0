package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.net.ClientConnection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client ids in use: JMS allows one connection per client id. Shared by CONNECT (an id set on the factory) and
 * SET_CLIENT_ID (an id set on the connection afterwards). Safe from any event loop.
 */
public final class ClientIds {
    /** Client id to the connection holding it. */
    private final Map<String, String> holders = new ConcurrentHashMap<>();

    /**
     * Takes {@code clientId} for the connection.
     *
     * @throws ProtocolException INVALID_CLIENT_ID if it is empty or another connection holds it
     */
    public void claim(String clientId, String connectionId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_CLIENT_ID, "client id must not be empty");
        }
        String holder = holders.putIfAbsent(clientId, connectionId);
        if (holder != null && !holder.equals(connectionId)) {
            throw new ProtocolException(ErrorCode.INVALID_CLIENT_ID, "client id '" + clientId
                    + "' is already in use by another connection");
        }
    }

    /** Frees the client id of a closed connection. */
    public void release(ClientConnection connection) {
        if (connection.clientId() != null) {
            holders.remove(connection.clientId(), connection.connectionId());
        }
    }
}
