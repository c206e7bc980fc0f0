package io.heraldmq.connect.http;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Bounds the bytes of request bodies held at once, across connections: a request reserves its size (its
 * {@code Content-Length}, or {@code max.request.bytes} when that is unknown) before its body is read, and a request
 * that does not fit waits, paused, so its client's {@code write} blocks (TCP backpressure) instead of this process
 * growing. Reservations are whole and granted in arrival order, so requests that each fit cannot starve one another
 * half-read. Event-loop confined.
 */
final class BodyBudget {
    private record Waiter(long bytes, Runnable granted) {
    }

    private final long limit;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private long used;

    BodyBudget(long limit) {
        this.limit = limit;
    }

    /** Runs {@code granted} once {@code bytes} (at most the limit) are reserved: now, or after others release. */
    void acquire(long bytes, Runnable granted) {
        if (waiting.isEmpty() && used + bytes <= limit) {
            used += bytes;
            granted.run();
        } else {
            waiting.add(new Waiter(bytes, granted));
        }
    }

    /** Gives back a reservation and grants the waiters that now fit, in order. */
    void release(long bytes) {
        used -= bytes;
        while (!waiting.isEmpty() && used + waiting.peekFirst().bytes() <= limit) {
            Waiter w = waiting.pollFirst();
            used += w.bytes();
            w.granted().run();
        }
    }

    /** Forgets a request still waiting (its connection closed); false if it was already granted. */
    boolean cancel(Runnable granted) {
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
            if (it.next().granted() == granted) {
                it.remove();
                release(0); // the head may have changed
                return true;
            }
        }
        return false;
    }

    long used() {
        return used;
    }
}
