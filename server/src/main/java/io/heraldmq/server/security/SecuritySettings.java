package io.heraldmq.server.security;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Authorization and audit settings, the part of {@link io.heraldmq.server.BrokerConfig} beside the users and their
 * password hashes (which stay {@code user.<name>} there). Immutable.
 *
 * @param roles          {@code user.<name>.roles}, {@code security.anonymous.roles}
 * @param permissions    {@code permission.<permission>.<pattern>}
 * @param populateUserId {@code security.populate.user.id}: the broker sets {@code JMSXUserID} of every message sent
 *                       to the sending connection's user (the one CONNECT authenticated), whatever the client put
 *                       there; absent for anonymous clients
 * @param auditEnabled   {@code audit.enabled}: audit lines are written at all
 * @param auditFile      {@code audit.file}: the file audit lines go to (appended); null = the logger
 *                       {@code io.heraldmq.audit}, i.e. the broker's own log unless the logging configuration
 *                       routes it elsewhere
 * @param usersFile      {@code security.users.file}: more {@code user.<name>} and {@code user.<name>.roles} lines in
 *                       a file of their own, read at start and again whenever it changes ({@link UsersFile}); null =
 *                       none. Its users count as configured users, even while it lists none
 */
public record SecuritySettings(Roles roles, Permissions permissions, boolean populateUserId, boolean auditEnabled,
                               Path auditFile, Path usersFile) {
    public static final String POPULATE_USER_ID_KEY = "security.populate.user.id";
    public static final String AUDIT_ENABLED_KEY = "audit.enabled";
    public static final String AUDIT_FILE_KEY = "audit.file";
    public static final String USERS_FILE_KEY = "security.users.file";
    /** The keys of fixed name; {@code user.<name>.roles} and {@code permission.*} come on top ({@link #owns}). */
    public static final Set<String> KEYS = Set.of(POPULATE_USER_ID_KEY, AUDIT_ENABLED_KEY, AUDIT_FILE_KEY,
            USERS_FILE_KEY, Roles.ANONYMOUS_KEY);
    public static final SecuritySettings DEFAULTS = new SecuritySettings(Roles.NONE, Permissions.NONE, false, true,
            null, null);

    public SecuritySettings {
        if (roles == null || permissions == null) {
            throw new IllegalArgumentException("roles and permissions must not be null");
        }
    }

    /** Whether this class reads {@code key} (so the broker's configuration does not refuse it as unknown). */
    public static boolean owns(String key) {
        return KEYS.contains(key) || key.startsWith(Permissions.PREFIX) || Roles.isRolesKey(key);
    }

    /** These settings with the keys of {@code settings} this class owns replaced. */
    public SecuritySettings with(Map<?, ?> settings) {
        return new SecuritySettings(roles.with(settings), permissions.with(settings),
                bool(settings, POPULATE_USER_ID_KEY, populateUserId), bool(settings, AUDIT_ENABLED_KEY, auditEnabled),
                path(settings, AUDIT_FILE_KEY, auditFile), path(settings, USERS_FILE_KEY, usersFile));
    }

    private static Path path(Map<?, ?> settings, String key, Path dflt) {
        Object v = settings.get(key);
        return v == null ? dflt : v.toString().isBlank() ? null : Path.of(v.toString().trim());
    }

    /**
     * Checks these settings against the configured users.
     *
     * @throws IllegalArgumentException for roles of a user that has no password
     */
    public void check(Set<String> users) {
        if (usersFile != null) {
            return; // the file may give the password (or the roles) of a user the other names
        }
        for (String user : roles.users()) {
            if (!users.contains(user)) {
                throw new IllegalArgumentException(Roles.USER_PREFIX + user + Roles.SUFFIX + " gives roles to a user"
                        + " without a password: add " + Roles.USER_PREFIX + user + " = <hash> (heraldmq hash-password)");
            }
        }
    }

    private static boolean bool(Map<?, ?> settings, String key, boolean dflt) {
        Object v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
        };
    }
}
