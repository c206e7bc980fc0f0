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

    /** @param users user name to password hash */
    public Authenticator(Map<String, PasswordHash> users) {
        this.users = Map.copyOf(users);
    }

    public boolean required() {
        return !users.isEmpty();
    }

    /** True if the user exists and the password is right, or if no users are configured. */
    public boolean authenticate(String user, String password) {
        if (!required()) {
            return true;
        }
        PasswordHash stored = user == null ? null : users.get(user);
        char[] given = password == null ? new char[0] : password.toCharArray();
        boolean ok = (stored != null ? stored : Dummy.HASH).matches(given);
        return stored != null && password != null && ok;
    }
}
