package io.heraldmq.server.tx;

import java.util.TreeSet;

/**
 * Which journaled transactions are fully applied: every index at or below {@link #appliedThrough()} has its batches
 * appended (durable as the flush policy promises) and its acks handed to the metadata store's position buffer. The
 * checkpoint may pass such an index once the positions are synced. Called from the writer thread and from handlers'
 * contexts, hence synchronized; each call is a set insert or removal.
 */
final class TxSettlement {
    private final TreeSet<Long> unapplied = new TreeSet<>();
    private long lastJournaled;

    TxSettlement(long lastJournaled) {
        this.lastJournaled = lastJournaled;
    }

    synchronized void journaled(long index) {
        unapplied.add(index);
        lastJournaled = Math.max(lastJournaled, index);
    }

    synchronized void applied(long index) {
        unapplied.remove(index);
    }

    /** The highest index journaled so far. */
    synchronized long lastJournaled() {
        return lastJournaled;
    }

    /** The highest index such that it and every one below it are applied. */
    synchronized long appliedThrough() {
        return unapplied.isEmpty() ? lastJournaled : unapplied.first() - 1;
    }
}
