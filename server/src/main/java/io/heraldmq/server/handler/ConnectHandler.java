package io.heraldmq.server.handler;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.net.ClientConnection;
import io.vertx.core.Future;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.security.Authenticator;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CONNECT: checks the protocol version, the user's credentials and the client id, and names the connection.
 * Anonymous clients are accepted while no users are configured. The password check is slow by design, so it runs
 * on a worker thread; a failed one is answered with AUTHENTICATION_FAILED and the connection is closed.
 */
public final class ConnectHandler implements RequestHandler {
    private final String brokerId;
    private final int maxMessageBytes;
    private final ClientIds clientIds;
    private final Authenticator authenticator;
    private final AtomicLong connections = new AtomicLong();
    /** Connections whose CONNECT is being checked: a second CONNECT meanwhile is a protocol error too. */
    private final Set<ClientConnection> authenticating = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    public ConnectHandler(String brokerId, int maxMessageBytes, ClientIds clientIds, Authenticator authenticator) {
        this.brokerId = brokerId;
        this.maxMessageBytes = maxMessageBytes;
        this.clientIds = clientIds;
        this.authenticator = authenticator;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Connect connect = Connect.decode(frame.body());
        if (connection.connectionId() != null || !authenticating.add(connection)) {
            throw new ProtocolException("CONNECT sent twice");
        }
        if (connect.protocolVersion() != Connect.PROTOCOL_VERSION) {
            // The frame layout beyond the version may differ: answer and close, nothing else is safe.
            connection.fail(new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "protocol version "
                    + connect.protocolVersion() + " is not supported; this broker speaks version "
                    + Connect.PROTOCOL_VERSION));
            return;
        }
        if (!authenticator.required()) {
            accept(connection, frame.correlationId(), connect);
            return;
        }
        connection.context().owner()
                .executeBlocking(() -> authenticator.authenticate(connect.username(), connect.password()), false)
                .onComplete(ar -> {
                    if (connection.isClosed()) {
                        return;
                    }
                    if (ar.succeeded() && ar.result()) {
                        accept(connection, frame.correlationId(), connect);
                    } else {
                        // The same answer for an unknown user and a wrong password.
                        connection.send(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, "authentication failed for"
                                + " user " + (connect.username() == null ? "(none)" : "'" + connect.username() + "'"))
                                .encode(frame.correlationId()));
                        connection.close();
                    }
                });
    }

    /**
     * Claims the client id (not for a relay: the relaying broker holds it), then answers CONNECTED. A refused id is
     * answered with INVALID_CLIENT_ID and the connection stays unconnected (the client closes it).
     */
    private void accept(ClientConnection connection, int correlationId, Connect connect) {
        String connectionId = brokerId + "-" + connections.incrementAndGet();
        String clientId = connect.clientId();
        boolean relay = connect.relayFor() != null;
        Future<Void> claimed = clientId == null || relay ? Future.succeededFuture()
                : clientIds.claim(clientId, connectionId);
        claimed.onComplete(ar -> {
            if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
                return;
            }
            connection.connected(connectionId, clientId, connect.username(), relay);
            if (connection.isClosed()) {
                clientIds.release(connection);
                return;
            }
            connection.send(new Connected(Connect.PROTOCOL_VERSION, brokerId, connectionId, maxMessageBytes)
                    .encode(correlationId));
        });
    }

    /** Frees the client id of a closed connection. */
    public void disconnected(ClientConnection connection) {
        authenticating.remove(connection);
        clientIds.release(connection);
    }
}
