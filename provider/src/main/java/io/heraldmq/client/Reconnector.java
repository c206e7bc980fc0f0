package io.heraldmq.client;

/**
 * When and where the next reconnect attempt goes: the addresses of the URL in turn, starting with the one after the
 * address that was lost (a single address is tried again and again: a restarting broker), the first attempt at once
 * and then after a delay that starts at {@value #FIRST_DELAY_MS} ms and doubles up to {@value #MAX_DELAY_MS} ms, until
 * {@code timeoutMs} after the loss. Not thread-safe: used on the connection's event loop.
 */
final class Reconnector {
    static final long FIRST_DELAY_MS = 100;
    static final long MAX_DELAY_MS = 1_000;

    private final int addressCount;
    private final long timeoutMs;
    private int address;
    private long delayMs;
    private long deadlineNanos;
    private int attempts;

    /** @param address index of the address in use before any loss */
    Reconnector(int addressCount, long timeoutMs, int address) {
        this.addressCount = addressCount;
        this.timeoutMs = timeoutMs;
        this.address = address;
    }

    /** A connection was lost: the clock starts. */
    void lost(long nowNanos) {
        deadlineNanos = nowNanos + timeoutMs * 1_000_000L;
        delayMs = 0;
        attempts = 0;
    }

    /** Whether the reconnect timeout has run out. */
    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    /** The address to try next; moves on by one each call. */
    int nextAddress() {
        address = (address + 1) % addressCount;
        attempts++;
        return address;
    }

    /** How long to wait before the attempt after a failed one, and doubles it for the next. */
    long nextDelayMs() {
        delayMs = delayMs == 0 ? FIRST_DELAY_MS : Math.min(MAX_DELAY_MS, delayMs * 2);
        return delayMs;
    }

    int attempts() {
        return attempts;
    }

    /** The address connected to. */
    int address() {
        return address;
    }
}
