package io.heraldmq.server.handler;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CONNECT: checks the protocol version and the client id, and names the connection. Anonymous clients are accepted
 * while no users are configured.
 */
public final class ConnectHandler implements RequestHandler {
    private final String brokerId;
    private final int maxMessageBytes;
    private final AtomicLong connections = new AtomicLong();
    /** Client id to the connection holding it: JMS allows one connection per client id. */
    private final Map<String, String> clientIds = new ConcurrentHashMap<>();

    public ConnectHandler(String brokerId, int maxMessageBytes) {
        this.brokerId = brokerId;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Connect connect = Connect.decode(frame.body());
        if (connection.connectionId() != null) {
            throw new ProtocolException("CONNECT sent twice");
        }
        if (connect.protocolVersion() != Connect.PROTOCOL_VERSION) {
            // The frame layout beyond the version may differ: answer and close, nothing else is safe.
            connection.fail(new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "protocol version "
                    + connect.protocolVersion() + " is not supported; this broker speaks version "
                    + Connect.PROTOCOL_VERSION));
            return;
        }
        String connectionId = brokerId + "-" + connections.incrementAndGet();
        String clientId = connect.clientId();
        if (clientId != null) {
            if (clientId.isEmpty()) {
                throw new ProtocolException(ErrorCode.INVALID_CLIENT_ID, "client id must not be empty");
            }
            String holder = clientIds.putIfAbsent(clientId, connectionId);
            if (holder != null) {
                throw new ProtocolException(ErrorCode.INVALID_CLIENT_ID, "client id '" + clientId
                        + "' is already in use by another connection");
            }
        }
        connection.connected(connectionId, clientId, connect.username());
        connection.send(new Connected(Connect.PROTOCOL_VERSION, brokerId, connectionId, maxMessageBytes)
                .encode(frame.correlationId()));
    }

    /** Frees the client id of a closed connection. */
    public void disconnected(ClientConnection connection) {
        if (connection.clientId() != null) {
            clientIds.remove(connection.clientId(), connection.connectionId());
        }
    }
}
