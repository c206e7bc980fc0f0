package io.heraldmq.server.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing per source address: after a failed login from an address, every CONNECT from it waits
 * before its credentials are checked, {@code first} ms after one failure and twice as long after each further one,
 * up to {@code max}. A successful login from the address, or {@link #QUIET_MS} without a failure, forgets it. The
 * caller waits on a timer, never on a thread. Any thread.
 */
public final class LoginBackoff {
    /** Failures older than this are forgotten. */
    public static final long QUIET_MS = 60_000;
    /** Above this many addresses, the quiet ones are dropped at the next failure: bounded memory. */
    private static final int MAX_ADDRESSES = 10_000;

    private record Failures(int count, long lastNanos) {
    }

    private final long firstMs;
    private final long maxMs;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** @param maxMs the longest wait; 0 = no backoff at all */
    public LoginBackoff(long firstMs, long maxMs) {
        this.firstMs = firstMs;
        this.maxMs = maxMs;
    }

    /** How long a CONNECT from {@code address} waits before its credentials are checked; 0 = not at all. */
    public long delayMs(String address) {
        Failures f = failures.get(address);
        if (f == null || maxMs == 0) {
            return 0;
        }
        if (System.nanoTime() - f.lastNanos > QUIET_MS * 1_000_000) {
            failures.remove(address, f);
            return 0;
        }
        int doublings = Math.min(f.count - 1, 30);
        return Math.min(maxMs, firstMs << doublings);
    }

    public void failed(String address) {
        if (maxMs == 0) {
            return;
        }
        if (failures.size() >= MAX_ADDRESSES) {
            long now = System.nanoTime();
            failures.values().removeIf(f -> now - f.lastNanos > QUIET_MS * 1_000_000);
        }
        failures.merge(address, new Failures(1, System.nanoTime()),
                (old, one) -> new Failures(old.count + 1, one.lastNanos));
    }

    public void succeeded(String address) {
        failures.remove(address);
    }
}
