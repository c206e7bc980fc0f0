package io.heraldmq.server.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * The broker's authorization: hands every accepted connection its {@link ConnectionAccess} from the configured
 * roles and permissions. With no users configured everything is allowed (the zero-configuration rule); with users,
 * whatever no permission grants is refused (default deny).
 */
public final class Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);

    private final SecuritySettings settings;
    private final boolean enforced;
    private final AuditLog audit;
    /** Replaced whole when a users file changes ({@link #roles(Roles)}). */
    private volatile Roles roles;

    /**
     * @param users the configured users (by name); none (and no users file) = everything allowed
     */
    public Authorizer(Set<String> users, SecuritySettings settings, AuditLog audit) {
        this.settings = settings;
        this.enforced = !users.isEmpty() || settings.usersFile() != null;
        this.audit = audit;
        this.roles = settings.roles();
        if (enforced && settings.permissions().isEmpty()) {
            LOG.warn("users are configured but no permission.* line grants anything: every request but CONNECT will "
                    + "be refused (default deny). Grant with e.g. permission.send.# = <role>");
        }
    }

    /** Zero configuration: everything allowed, nothing stamped, nothing audited. */
    public static Authorizer unrestricted() {
        return new Authorizer(Set.of(), SecuritySettings.DEFAULTS, AuditLog.OFF);
    }

    public AuditLog audit() {
        return audit;
    }

    /** The access of an accepted connection of {@code user} (null: anonymous). */
    public ConnectionAccess access(String user, String connectionId) {
        if (!enforced && !settings.populateUserId()) {
            return ConnectionAccess.UNRESTRICTED;
        }
        return new ConnectionAccess(user, roles.of(user), enforced ? settings.permissions() : null,
                settings.populateUserId(), audit, connectionId);
    }

    /** Replaces the roles (a users file was read again); connections already accepted keep theirs. */
    public void roles(Roles newRoles) {
        this.roles = newRoles;
    }

    @Override
    public String toString() {
        return "Authorizer[" + (enforced ? roles + " " + settings.permissions() : "unrestricted")
                + "]";
    }

}
