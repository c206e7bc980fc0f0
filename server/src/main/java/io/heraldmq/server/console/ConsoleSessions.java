package io.heraldmq.server.console;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, by the random id in the session cookie. Sessions end at logout, after
 * {@link #IDLE_NANOS} without a request ({@link #expire}, on a timer) and when the broker stops. At most
 * {@link #MAX} exist: past it a login is refused rather than memory growing (an anonymous session replaces the one
 * idle longest instead, {@link #makeRoom}). Any thread.
 */
final class ConsoleSessions {
    static final long IDLE_NANOS = 30L * 60 * 1_000_000_000L;
    static final int MAX = 1000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, ConsoleSession> byId = new ConcurrentHashMap<>();

    /** 32 random bytes, URL-safe Base64: a session id or a CSRF token. */
    String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    boolean full() {
        return byId.size() >= MAX;
    }

    void add(ConsoleSession s) {
        byId.put(s.id(), s);
    }

    /**
     * Makes room for an anonymous session (a broker without users) by ending the one idle longest when
     * {@link #MAX} are open: a script fetching pages without keeping the cookie must not lock browsers out.
     */
    void makeRoom(java.util.function.Consumer<ConsoleSession> closer) {
        while (full()) {
            ConsoleSession oldest = null;
            for (ConsoleSession s : byId.values()) {
                if (oldest == null || s.lastUsedNanos() - oldest.lastUsedNanos() < 0) {
                    oldest = s;
                }
            }
            if (oldest != null && byId.remove(oldest.id(), oldest)) {
                closer.accept(oldest);
            }
        }
    }

    /** The live session with this id, touched; null if none (unknown, ended or idle too long). */
    ConsoleSession find(String id) {
        ConsoleSession s = id == null ? null : byId.get(id);
        if (s == null) {
            return null;
        }
        if (System.nanoTime() - s.lastUsedNanos() > IDLE_NANOS) {
            return null; // expire() closes it
        }
        s.touch();
        return s;
    }

    /** Ends a session; its connection is closed by the caller, on a worker. */
    ConsoleSession remove(String id) {
        return id == null ? null : byId.remove(id);
    }

    /** Removes the sessions idle too long and hands them to {@code closer}. */
    void expire(java.util.function.Consumer<ConsoleSession> closer) {
        long now = System.nanoTime();
        byId.values().removeIf(s -> {
            if (now - s.lastUsedNanos() > IDLE_NANOS) {
                closer.accept(s);
                return true;
            }
            return false;
        });
    }

    /** Removes every session and hands it to {@code closer}. */
    void clear(java.util.function.Consumer<ConsoleSession> closer) {
        byId.values().removeIf(s -> {
            closer.accept(s);
            return true;
        });
    }
}
