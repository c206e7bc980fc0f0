package io.heraldmq.server.security;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;

import java.util.HashMap;
import java.util.Set;

/**
 * What one connection's user may do, decided once per (permission, destination) and remembered: the request path
 * pays one hash map lookup (the destination name's hash is cached by the String). Made by {@link Authorizer} when
 * CONNECT is accepted; used on the connection's event loop only, so the maps are not synchronized. Roles are those
 * the user had at CONNECT.
 * <p>
 * A refusal is a {@link ProtocolException} with {@link ErrorCode#NOT_AUTHORIZED} (the client throws
 * {@code JMSSecurityException}, {@code JMSSecurityRuntimeException} in the simplified API) naming the user, the
 * permission and the destination, and an audit line; the connection stays open.
 */
public final class ConnectionAccess {
    /** Everything allowed, no user id stamped: the broker has no users. */
    public static final ConnectionAccess UNRESTRICTED = new ConnectionAccess(null, Set.of(), null, false,
            AuditLog.OFF, null);
    /** Decisions remembered per permission at most; past it the map starts again (a client naming endless names). */
    static final int CACHE_LIMIT = 1024;

    private final String user;
    private final Set<String> roles;
    /** Null: unrestricted. */
    private final Permissions permissions;
    private final boolean stampsUserId;
    private final AuditLog audit;
    private final String connectionId;
    @SuppressWarnings("unchecked")
    private final HashMap<String, Boolean>[] decisions = new HashMap[Permission.values().length];

    ConnectionAccess(String user, Set<String> roles, Permissions permissions, boolean stampsUserId, AuditLog audit,
                     String connectionId) {
        this.user = user;
        this.roles = roles;
        this.permissions = permissions;
        this.stampsUserId = stampsUserId;
        this.audit = audit;
        this.connectionId = connectionId;
    }

    /** The user CONNECT authenticated (or, on a broker without users, named); null for anonymous. */
    public String user() {
        return user;
    }

    /** Whether the broker sets JMSXUserID of this connection's messages to {@link #user()}. */
    public boolean stampsUserId() {
        return stampsUserId;
    }

    /** Whether any request may be refused (users are configured). */
    public boolean restricted() {
        return permissions != null;
    }

    /**
     * Refuses unless the user may do {@code permission} on the destination. Temporary destinations need no
     * permission (see {@link Permission}).
     *
     * @throws ProtocolException NOT_AUTHORIZED, after an audit line
     */
    public void check(Permission permission, DestinationKind kind, String name) {
        if (permissions == null || kind.isTemporary() || allowed(permission, name)) {
            return;
        }
        String what = describe(kind, name);
        audit.denied(user, permission, what, connectionId);
        throw new ProtocolException(ErrorCode.NOT_AUTHORIZED, who() + " has no '" + permission.key()
                + "' permission on " + (kind.isQueue() ? "queue '" : "topic '") + name + "'");
    }

    /**
     * Refuses a broker-wide administrative operation ({@code operation} names it) unless the user has
     * {@code permission} on the pattern {@code #}.
     */
    public void checkBrokerWide(Permission permission, String operation) {
        if (permissions == null || allowed(permission, null)) {
            return;
        }
        audit.denied(user, permission, "*broker*", connectionId);
        throw new ProtocolException(ErrorCode.NOT_AUTHORIZED, who() + " has no '" + permission.key()
                + "' permission on the whole broker (a grant on the pattern #), which " + operation + " needs");
    }

    /**
     * Whether the user may do {@code permission} on the destination named {@code name} (null: broker-wide), without
     * an audit line.
     */
    public boolean allowed(Permission permission, String name) {
        if (permissions == null) {
            return true;
        }
        String key = name == null ? "" : name;
        HashMap<String, Boolean> cache = decisions[permission.ordinal()];
        if (cache == null) {
            cache = decisions[permission.ordinal()] = new HashMap<>();
        }
        Boolean known = cache.get(key);
        if (known != null) {
            return known;
        }
        boolean allowed = permissions.allows(roles, permission, name);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(key, allowed);
        return allowed;
    }

    /** {@code queue://name} or {@code topic://name}, as audit lines name destinations. */
    public static String describe(DestinationKind kind, String name) {
        return (kind.isQueue() ? "queue://" : "topic://") + name;
    }

    private String who() {
        return user == null ? "an anonymous client" : "user '" + user + "'";
    }
}
