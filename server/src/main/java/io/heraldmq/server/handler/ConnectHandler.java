package io.heraldmq.server.handler;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.security.Authenticator;
import io.heraldmq.server.security.Authorizer;
import io.heraldmq.server.security.ConnectionAccess;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CONNECT: checks the protocol version, the user's credentials and the client id, and names the connection.
 * Anonymous clients are accepted while no users are configured. The password check is slow by design, so it runs
 * on a worker thread; a failed one is answered with AUTHENTICATION_FAILED and the connection is closed.
 * <p>
 * A relay CONNECT (another broker of the cluster relaying one of its clients, {@code relayFor} set) carries the
 * client's user name and, as password, the cluster secret. With a secret configured it is accepted only with that
 * secret (compared in constant time) and the connection then acts as the named user: this broker's permissions
 * apply to the relayed client. Without a secret it is accepted only while no users are configured, so a client
 * cannot pose as a relay to skip authentication.
 */
public final class ConnectHandler implements RequestHandler {
    private final String brokerId;
    private final int maxMessageBytes;
    private final ClientIds clientIds;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    /** UTF-8 of {@code cluster.secret}, or null. */
    private final byte[] relaySecret;
    private final boolean populateUserId;
    private final AtomicLong connections = new AtomicLong();
    /** Connections whose CONNECT is being checked: a second CONNECT meanwhile is a protocol error too. */
    private final Set<ClientConnection> authenticating = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @param relaySecret    {@code cluster.secret}, or null
     * @param populateUserId {@code security.populate.user.id}: CONNECTED tells the client to stamp JMSXUserID
     */
    public ConnectHandler(String brokerId, int maxMessageBytes, ClientIds clientIds, Authenticator authenticator,
                          Authorizer authorizer, String relaySecret, boolean populateUserId) {
        this.brokerId = brokerId;
        this.maxMessageBytes = maxMessageBytes;
        this.clientIds = clientIds;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.relaySecret = relaySecret == null ? null : relaySecret.getBytes(StandardCharsets.UTF_8);
        this.populateUserId = populateUserId;
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
        if (connect.relayFor() != null) {
            if (relaySecret != null ? secretMatches(connect.password())
                    : !authenticator.required()) {
                accept(connection, frame.correlationId(), connect, relaySecret != null || authenticator.required());
            } else {
                refuse(connection, frame.correlationId(), connect, relaySecret == null
                        ? "relay connections are refused: this broker has users and no cluster.secret"
                        : "wrong cluster secret for a relay");
            }
            return;
        }
        if (!authenticator.required()) {
            accept(connection, frame.correlationId(), connect, false);
            return;
        }
        connection.context().owner()
                .executeBlocking(() -> authenticator.authenticate(connect.username(), connect.password()), false)
                .onComplete(ar -> {
                    if (connection.isClosed()) {
                        return;
                    }
                    if (ar.succeeded() && ar.result()) {
                        accept(connection, frame.correlationId(), connect, true);
                    } else {
                        refuse(connection, frame.correlationId(), connect, connect.username() == null
                                ? "no user name" : "unknown user or wrong password");
                    }
                });
    }

    private boolean secretMatches(String given) {
        byte[] g = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
        // MessageDigest.isEqual takes time independent of where the bytes differ (it does reveal the length)
        return MessageDigest.isEqual(relaySecret, g);
    }

    /** The same answer for an unknown user, a wrong password and a bad relay secret; the audit line says which. */
    private void refuse(ClientConnection connection, int correlationId, Connect connect, String reason) {
        authorizer.audit().authenticationFailed(connect.username(), connection.remoteAddress(),
                connect.relayFor() == null ? reason : reason + " (relay for " + connect.relayFor() + ")");
        connection.send(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, "authentication failed for user "
                + (connect.username() == null ? "(none)" : "'" + connect.username() + "'"))
                .encode(correlationId));
        connection.close();
    }

    /**
     * Claims the client id (not for a relay: the relaying broker holds it), then answers CONNECTED. A refused id is
     * answered with INVALID_CLIENT_ID and the connection stays unconnected (the client closes it).
     *
     * @param authenticated whether credentials were checked (worth an audit line)
     */
    private void accept(ClientConnection connection, int correlationId, Connect connect, boolean authenticated) {
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
            ConnectionAccess access = authorizer.access(connect.username(), connectionId);
            connection.connected(connectionId, clientId, connect.username(), relay, access);
            if (connection.isClosed()) {
                clientIds.release(connection);
                return;
            }
            if (authenticated) {
                authorizer.audit().authenticated(connect.username(), connection.remoteAddress(), connectionId,
                        connect.relayFor());
            }
            connection.send(new Connected(Connect.PROTOCOL_VERSION, brokerId, connectionId, maxMessageBytes,
                    populateUserId, populateUserId ? connect.username() : null).encode(correlationId));
        });
    }

    /** Frees the client id of a closed connection. */
    public void disconnected(ClientConnection connection) {
        authenticating.remove(connection);
        clientIds.release(connection);
    }

}
