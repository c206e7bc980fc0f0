package io.heraldmq.server.handler;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.net.ConnectionLimits;
import io.heraldmq.server.security.Authenticator;
import io.heraldmq.server.security.CertificateUser;
import io.heraldmq.server.security.LoginBackoff;
import io.heraldmq.server.security.Authorizer;
import io.heraldmq.server.security.ConnectionAccess;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.x500.X500Principal;
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
 * <p>
 * A client that presented a verified certificate over TLS (mutual TLS) is the user its subject's CN names
 * ({@link CertificateUser}), without a password; with users configured, a certificate that names none of them is
 * refused. Before anything else, a client CONNECT is checked against {@code max.connections} and
 * {@code max.connections.per.address}, and once authenticated against {@code max.connections.per.user}
 * ({@link ConnectionLimits}): a refusal is a RESOURCE_EXHAUSTED error naming the limit, a log line, and the socket
 * closed. A password check from an address with recent failures waits for {@link LoginBackoff} first, on a timer.
 */
public final class ConnectHandler implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);
    /** Heartbeat intervals below this are raised to it: a client cannot make the broker run timers at will. */
    public static final int MIN_HEARTBEAT_MS = 100;
    private final String brokerId;
    private final int maxMessageBytes;
    private final ClientIds clientIds;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    /** UTF-8 of {@code cluster.secret}, or null. */
    private final byte[] relaySecret;
    private final boolean populateUserId;
    private final AtomicLong connections = new AtomicLong();
    private final ConnectionLimits limits;
    private final LoginBackoff backoff;
    /** Connections whose CONNECT is being checked: a second CONNECT meanwhile is a protocol error too. */
    private final Set<ClientConnection> authenticating = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @param relaySecret    {@code cluster.secret}, or null
     * @param populateUserId {@code security.populate.user.id}: CONNECTED tells the client to stamp JMSXUserID
     */
    public ConnectHandler(String brokerId, int maxMessageBytes, ClientIds clientIds, Authenticator authenticator,
                          Authorizer authorizer, String relaySecret, boolean populateUserId) {
        this(brokerId, maxMessageBytes, clientIds, authenticator, authorizer, relaySecret, populateUserId,
                new ConnectionLimits(io.heraldmq.server.net.LimitSettings.DEFAULTS), new LoginBackoff(0, 0));
    }

    /**
     * @param limits  connection counts and their limits
     * @param backoff per-address waits after failed logins
     */
    public ConnectHandler(String brokerId, int maxMessageBytes, ClientIds clientIds, Authenticator authenticator,
                          Authorizer authorizer, String relaySecret, boolean populateUserId, ConnectionLimits limits,
                          LoginBackoff backoff) {
        this.limits = limits;
        this.backoff = backoff;
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
        if (connect.relayFor() == null) {
            String refusal = limits.admit(connection);
            if (refusal != null) {
                refuseByLimit(connection, frame.correlationId(), connect.username(), refusal);
                return;
            }
        }
        if (connect.relayFor() != null) {
            if (relaySecret != null ? secretMatches(connect.password())
                    : !authenticator.required()) {
                accept(connection, frame.correlationId(), connect, connect.username(),
                        relaySecret != null || authenticator.required());
            } else {
                refuse(connection, frame.correlationId(), connect, relaySecret == null
                        ? "relay connections are refused: this broker has users and no cluster.secret"
                        : "wrong cluster secret for a relay");
            }
            return;
        }
        X500Principal certificate = connection.peerPrincipal();
        // the broker's own certificate is its console's (AdminUrl): not a user's, the password below logs in
        if (certificate != null && !connection.presentsOwnCertificate()) {
            certificateLogin(connection, frame.correlationId(), connect, certificate);
            return;
        }
        if (!authenticator.required()) {
            accept(connection, frame.correlationId(), connect, connect.username(), false);
            return;
        }
        long delay = backoff.delayMs(connection.remoteHost());
        if (delay > 0) {
            connection.context().owner().setTimer(delay, t -> passwordLogin(connection, frame.correlationId(),
                    connect));
        } else {
            passwordLogin(connection, frame.correlationId(), connect);
        }
    }

    private void passwordLogin(ClientConnection connection, int correlationId, Connect connect) {
        if (connection.isClosed()) {
            return;
        }
        String address = connection.remoteHost();
        connection.context().owner()
                .executeBlocking(() -> authenticator.authenticate(connect.username(), connect.password()), false)
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result()) {
                        backoff.succeeded(address);
                        if (!connection.isClosed()) {
                            accept(connection, correlationId, connect, connect.username(), true);
                        }
                    } else {
                        backoff.failed(address);
                        if (!connection.isClosed()) {
                            refuse(connection, correlationId, connect, connect.username() == null
                                    ? "no user name" : "unknown user or wrong password");
                        }
                    }
                });
    }

    /** Mutual TLS: the certificate's CN is the user; a password, if any, is not looked at. */
    private void certificateLogin(ClientConnection connection, int correlationId, Connect connect,
                                  X500Principal certificate) {
        String user = CertificateUser.commonName(certificate);
        String problem = null;
        if (user == null) {
            problem = "the client certificate " + certificate.getName() + " has no CN to name a user";
        } else if (connect.username() != null && !connect.username().equals(user)) {
            problem = "the client certificate is for user '" + user + "' but CONNECT names user '"
                    + connect.username() + "'";
        } else if (authenticator.required() && !authenticator.knows(user)) {
            problem = "the client certificate " + certificate.getName() + " maps to user '" + user
                    + "', who is not configured on this broker";
        }
        if (problem != null) {
            authorizer.audit().authenticationFailed(user, connection.remoteAddress(), problem);
            LOG.warn("refused {}: {}", connection.remoteAddress(), problem);
            connection.send(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, problem).encode(correlationId));
            connection.close();
            return;
        }
        accept(connection, correlationId, connect, user, authenticator.required());
    }

    /** A connection limit refused the CONNECT: error naming the limit, log line, socket closed. */
    private void refuseByLimit(ClientConnection connection, int correlationId, String user, String reason) {
        LOG.warn("refused a connection from {}{}: {}", connection.remoteAddress(),
                (user == null ? "" : " (user '" + user + "')"), reason);
        connection.send(new ErrorFrame(ErrorCode.RESOURCE_EXHAUSTED, "connection refused: " + reason)
                .encode(correlationId));
        connection.close();
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
    private void accept(ClientConnection connection, int correlationId, Connect connect, String user,
                        boolean authenticated) {
        String clientId = connect.clientId();
        boolean relay = connect.relayFor() != null;
        if (!relay) {
            String refusal = limits.admitUser(connection, user);
            if (refusal != null) {
                refuseByLimit(connection, correlationId, user, refusal);
                return;
            }
        }
        String connectionId = brokerId + "-" + connections.incrementAndGet();
        Future<Void> claimed = clientId == null || relay ? Future.succeededFuture()
                : clientIds.claim(clientId, connectionId);
        claimed.onComplete(ar -> {
            if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
                return;
            }
            ConnectionAccess access = authorizer.access(user, connectionId);
            connection.connected(connectionId, clientId, user, connect.relayFor(), access);
            if (connection.isClosed()) {
                clientIds.release(connection);
                return;
            }
            if (authenticated) {
                authorizer.audit().authenticated(user, connection.remoteAddress(), connectionId,
                        connect.relayFor());
            }
            int heartbeatMs = connect.heartbeatMs() == 0 ? 0 : Math.max(MIN_HEARTBEAT_MS, connect.heartbeatMs());
            if (heartbeatMs > 0) {
                connection.heartbeats(heartbeatMs);
            }
            connection.send(new Connected(Connect.PROTOCOL_VERSION, brokerId, connectionId, maxMessageBytes,
                    populateUserId, populateUserId ? user : null, heartbeatMs).encode(correlationId));
        });
    }

    /** Frees the client id of a closed connection. */
    public void disconnected(ClientConnection connection) {
        authenticating.remove(connection);
        clientIds.release(connection);
    }

}
