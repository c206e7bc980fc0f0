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

    private final Map<String, PasswordHash> users;
    private final boolean allowAnonymous;

    /**
     * @param users          user name to password hash
     * @param allowAnonymous with users configured, still accept a client that gives no user name
     */
    public Authenticator(Map<String, PasswordHash> users, boolean allowAnonymous) {
        this.users = Map.copyOf(users);
        this.allowAnonymous = allowAnonymous;
    }

    /** False when every CONNECT is accepted without looking at credentials. */
    public boolean required() {
        return !users.isEmpty();
    }

    /**
     * True if the user exists and the password is right, if no users are configured, or if no user name is given
     * and anonymous clients are allowed.
     */
    public boolean authenticate(String user, String password) {
        if (!required() || user == null && allowAnonymous) {
            return true;
        }
        PasswordHash stored = user == null ? null : users.get(user);
        char[] given = password == null ? new char[0] : password.toCharArray();
        boolean ok = (stored != null ? stored : Dummy.HASH).matches(given);
        return stored != null && password != null && ok;
    }
}
