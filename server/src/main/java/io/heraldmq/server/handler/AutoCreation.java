package io.heraldmq.server.handler;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.security.AuditLog;
import io.heraldmq.server.security.ConnectionAccess;
import io.heraldmq.server.security.Permission;
import io.heraldmq.server.txlog.ClusterTransactions;
import io.vertx.core.Future;

/**
 * The destination a request names, created on first use (PRODUCE, SUBSCRIBE, COMMIT, and the cluster router for
 * destinations no broker leads yet) only when the connection's user has {@code createDestination} on it. A
 * destination that exists costs the same single map lookup as before; a creation gets an audit line.
 */
public final class AutoCreation {
    private final TopicRegistry topics;
    private final AuditLog audit;

    public AutoCreation(TopicRegistry topics, AuditLog audit) {
        this.topics = topics;
        this.audit = audit;
    }

    /**
     * The destination, created if it does not exist and the user may create it; else failed with NOT_AUTHORIZED.
     * Temporary destinations are never created here ({@link TopicRegistry#get}).
     */
    public Future<Topic> get(ClientConnection connection, DestinationKind kind, String name) {
        if (ClusterTransactions.reserved(name)) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION, "'" + name
                    + "': names starting with __heraldmq. are reserved for the broker's own destinations"));
        }
        if (kind.isTemporary()) {
            return topics.get(kind, name);
        }
        Future<Topic> existing = topics.existing(kind, name);
        if (existing != null) {
            return existing;
        }
        try {
            connection.access().check(Permission.CREATE_DESTINATION, kind, name);
        } catch (ProtocolException refused) {
            return Future.failedFuture(refused);
        }
        return topics.get(kind, name).onSuccess(t -> audit.created(connection.access().user(),
                ConnectionAccess.describe(kind, name)));
    }

    /** Whether {@link #get} would not refuse: the destination exists, or the user may create it. No audit line. */
    public boolean mayGet(ClientConnection connection, DestinationKind kind, String name) {
        return kind.isTemporary() || !connection.access().restricted()
                || connection.access().allowed(Permission.CREATE_DESTINATION, name)
                || topics.existing(kind, name) != null;
    }
}
