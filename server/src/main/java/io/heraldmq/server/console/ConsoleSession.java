package io.heraldmq.server.console;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.server.security.ConnectionAccess;
import io.heraldmq.server.security.Permission;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One browser's console session: its user (null on a broker without users), its CSRF token (synchronizer token,
 * one per session, compared on every POST) and its administrative connection to the broker, the CLI's
 * {@link HeraldAdmin}, opened as that user: the broker checks every operation the console makes as it checks the
 * CLI's. The connection serves one call at a time ({@link #call}); calls run on the console's workers only.
 */
final class ConsoleSession {
    private final String id;
    private final String user;
    private final String csrfToken;
    private final ConnectionAccess access;
    private final Supplier<HeraldAdmin> connect;
    private HeraldAdmin admin;
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile String notice;

    /**
     * @param admin   the connection opened at login, or null to open it with {@code connect} at the first call
     * @param connect opens the connection again (a broker without users: anonymously); null: once it breaks, the
     *                session ends (the password is not kept)
     */
    ConsoleSession(String id, String user, String csrfToken, ConnectionAccess access, HeraldAdmin admin,
                   Supplier<HeraldAdmin> connect) {
        this.id = id;
        this.user = user;
        this.csrfToken = csrfToken;
        this.access = access;
        this.admin = admin;
        this.connect = connect;
    }

    String id() {
        return id;
    }

    String user() {
        return user;
    }

    String csrfToken() {
        return csrfToken;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    void touch() {
        lastUsedNanos = System.nanoTime();
    }

    /** Shown once at the top of the next page (what a POST did). */
    void notice(String text) {
        notice = text;
    }

    String takeNotice() {
        String n = notice;
        notice = null;
        return n;
    }

    /**
     * Refuses unless the user may do {@code permission} on {@code destination} (null: broker-wide). On a broker
     * without users everything is allowed.
     */
    synchronized void require(Permission permission, String destination) {
        if (!access.allowed(permission, destination)) {
            throw new ConsoleRefusal(403, "user " + (user == null ? "(anonymous)" : user) + " lacks the "
                    + permission.key() + " permission on " + (destination == null ? "the broker (#)"
                    : destination));
        }
    }

    /** Runs {@code work} with the session's connection; blocking: console workers only. */
    synchronized <T> T call(Function<HeraldAdmin, T> work) {
        if (admin == null) {
            if (connect == null) {
                throw new ConsoleRefusal(401, "the session's connection to the broker closed: log in again");
            }
            admin = connect.get();
        }
        try {
            return work.apply(admin);
        } catch (io.heraldmq.admin.HeraldAdminException e) {
            if (e.code() == null) { // the connection broke or timed out: a fresh one next time
                closeAdmin();
            }
            throw e;
        }
    }

    synchronized void close() {
        closeAdmin();
    }

    private void closeAdmin() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
