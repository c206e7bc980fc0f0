package io.heraldmq.server.subscription;

import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deliveries that prepared XA branches consumed, by subscription and partition: neither settled nor deliverable
 * until their branch's outcome. Invariant: an offset held here is never given to a consumer, and is settled
 * (commit) or put back counted (rollback) only through {@link PartitionSubscription#settleHeld} and
 * {@link PartitionSubscription#releaseHeld}.
 * <p>
 * This is the smallest mechanism that survives what a delivery in flight does not: its consumer closing, its
 * connection dropping, its subscription closing and opening again, and a broker restart. A live prepare moves the
 * delivery from the dispatcher's in-flight table to here ({@link PartitionSubscription#hold}), keeping its record and
 * delivery count for a rollback's redelivery; after a restart the transaction log puts the offsets of every prepared
 * branch's journaled acks back here ({@link #restore}) before any subscription opens. A dispatcher reads past a held
 * offset as it reads past one in flight; the committed position stays below it, so retention keeps it, and a
 * restart reads it again and finds it held.
 * <p>
 * Each entry is used on its partition's context only (and by {@link #restore} at start-up, before any subscription
 * of it opens); the map of entries is concurrent.
 */
public final class HeldDeliveries {
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    private record Key(String subscriptionId, int partition) {
    }

    /** One held delivery: the count it was delivered with, and its record (null after a restart: read again). */
    record Held(int deliveryCount, Buffer record) {
    }

    /** The held offsets of one subscription in one partition. */
    static final class Entry {
        final Map<Long, Held> offsets = new HashMap<>();

        boolean isHeld(long offset) {
            return !offsets.isEmpty() && offsets.containsKey(offset);
        }
    }

    /** The entry of one subscription's partition; created empty on first use. */
    Entry entry(String subscriptionId, int partition) {
        return entries.computeIfAbsent(new Key(subscriptionId, partition), k -> new Entry());
    }

    /**
     * At start-up, before subscriptions open: {@code offset} is held by a prepared branch found in the journal. Its
     * delivery count is not known any more (counts live in memory): a rollback redelivers it as redelivered.
     */
    public void restore(String subscriptionId, int partition, long offset) {
        entry(subscriptionId, partition).offsets.put(offset, new Held(1, null));
    }

    /**
     * The subscription that held these offsets is gone (a non-durable one whose consumers left, a deleted one): its
     * holds go too. Any thread: nothing reads a gone subscription's entry.
     */
    public void forget(String subscriptionId, int partition) {
        entries.remove(new Key(subscriptionId, partition));
    }

    /** Whether anything is held: for administration and tests. */
    public int count() {
        int n = 0;
        for (Entry e : entries.values()) {
            n += e.offsets.size();
        }
        return n;
    }
}
