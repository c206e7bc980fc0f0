package io.heraldmq.server.security;

import java.util.Map;

/**
 * Checks user names and passwords against the configured users. With no users configured every client is accepted,
 * anonymous or not (the zero-configuration rule). {@link #authenticate} is slow by design: run it on a worker.
 */
public final class Authenticator {
    /** Verified against when the user is unknown, so that an unknown user costs as much as a wrong password. */
    private static final class Dummy {
        static final PasswordHash HASH = PasswordHash.create("no such user".toCharArray());
    }

    /** Replaced whole when a users file changes ({@link #users(Map)}). */
    private volatile Map<String, PasswordHash> users;
    private final boolean allowAnonymous;
    private final boolean alwaysRequired;

    /**
     * @param users          user name to password hash
     * @param allowAnonymous with users configured, still accept a client that gives no user name
     */
    public Authenticator(Map<String, PasswordHash> users, boolean allowAnonymous) {
        this(users, allowAnonymous, false);
    }

    /**
     * @param alwaysRequired check credentials even while no user is known (a users file is configured, and may be
     *                       empty for now)
     */
    public Authenticator(Map<String, PasswordHash> users, boolean allowAnonymous, boolean alwaysRequired) {
        this.users = Map.copyOf(users);
        this.allowAnonymous = allowAnonymous;
        this.alwaysRequired = alwaysRequired;
    }

    /** Replaces the users (a users file was read again); connections already accepted are not affected. */
    public void users(Map<String, PasswordHash> newUsers) {
        this.users = Map.copyOf(newUsers);
    }

    /** False when every CONNECT is accepted without looking at credentials. */
    public boolean required() {
        return alwaysRequired || !users.isEmpty();
    }

    /** Whether {@code user} is a configured user (for a client certificate naming it). */
    public boolean knows(String user) {
        return user != null && users.containsKey(user);
    }

    /**
     * True if the user exists and the password is right, if no users are configured, or if no user name is given
     * and anonymous clients are allowed.
     */
    public boolean authenticate(String user, String password) {
        if (!required() || user == null && allowAnonymous) {
            return true;
        }
        Map<String, PasswordHash> current = users;
        PasswordHash stored = user == null ? null : current.get(user);
        char[] given = password == null ? new char[0] : password.toCharArray();
        boolean ok = (stored != null ? stored : Dummy.HASH).matches(given);
        return stored != null && password != null && ok;
    }
}
