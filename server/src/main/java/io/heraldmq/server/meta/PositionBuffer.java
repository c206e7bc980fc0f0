package io.heraldmq.server.meta;

import java.util.HashMap;
import java.util.Map;

/**
 * Positions committed but not yet written: the latest per (subscription, partition) wins, so a subscription that
 * acks ten thousand messages between two writes costs one row, not ten thousand.
 *
 * <p>Called from every partition's context, hence synchronized; the critical sections are a map put or a swap.
 * It only says when to write ({@link Signal}); {@link MetaStore} does the timing and the writing.
 */
final class PositionBuffer {
    /** What the caller of {@link #put} must do next. */
    enum Signal {
        /** Nothing: a write is already due (timer armed). */
        NONE,
        /** The buffer was clean: start the commit-interval timer. */
        ARM_TIMER,
        /** commitBatchSize updates since the last drain: write now. */
        FLUSH_NOW
    }

    private final int batchSize;
    private Map<PositionKey, Position> pending = new HashMap<>();
    private int updates;
    private boolean timerArmed;

    PositionBuffer(int batchSize) {
        this.batchSize = batchSize;
    }

    synchronized Signal put(PositionKey key, Position p) {
        pending.put(key, p);
        if (++updates >= batchSize) {
            return Signal.FLUSH_NOW;
        }
        if (!timerArmed) {
            timerArmed = true;
            return Signal.ARM_TIMER;
        }
        return Signal.NONE;
    }

    /** Takes everything buffered; the buffer starts clean (a timer still pending will find it empty or newer). */
    synchronized Map<PositionKey, Position> drain() {
        Map<PositionKey, Position> out = pending;
        pending = new HashMap<>();
        updates = 0;
        timerArmed = false;
        return out;
    }

    /**
     * Puts back a batch whose write failed, unless a newer position arrived meanwhile. Returns true if the caller
     * must arm the timer so the retry happens.
     */
    synchronized boolean restore(Map<PositionKey, Position> failed) {
        failed.forEach(pending::putIfAbsent);
        if (pending.isEmpty() || timerArmed) {
            return false;
        }
        timerArmed = true;
        return true;
    }

    /** Buffered positions of one subscription, so reads see what was committed but not written yet. */
    synchronized Map<Integer, Position> pendingFor(String subscriptionId) {
        Map<Integer, Position> out = new HashMap<>();
        pending.forEach((k, v) -> {
            if (k.subscriptionId().equals(subscriptionId)) {
                out.put(k.partition(), v);
            }
        });
        return out;
    }

    /** A copy of every buffered position. */
    synchronized Map<PositionKey, Position> pending() {
        return new HashMap<>(pending);
    }

    synchronized int size() {
        return pending.size();
    }
}
