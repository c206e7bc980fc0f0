package io.heraldmq.server.subscription;

import java.util.Comparator;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Records whose delivery time has not come yet, ordered by it: their JMSDeliveryTime, or the end of the redelivery
 * delay of a released one ({@link PendingDelivery#notBefore}). They hold copies of their records
 * ({@link PendingDelivery#detached()}) so that a few delayed messages do not pin whole batches in memory; they stay
 * unsettled in the log, so after a restart they are read again. Not thread-safe: owned by the partition's context.
 */
final class DelayedDeliveries {
    private final PriorityQueue<PendingDelivery> byTime = new PriorityQueue<>(
            Comparator.comparingLong((PendingDelivery p) -> p.deliveryTime).thenComparingLong(p -> p.offset));
    private final Set<Long> offsets = new HashSet<>();

    void add(PendingDelivery p) {
        if (offsets.add(p.offset)) {
            byTime.add(p.detached());
        }
    }

    boolean contains(long offset) {
        return offsets.contains(offset);
    }

    boolean isEmpty() {
        return byTime.isEmpty();
    }

    /** @return the earliest delivery time, or Long.MAX_VALUE if nothing is delayed */
    long nextDue() {
        PendingDelivery p = byTime.peek();
        return p == null ? Long.MAX_VALUE : p.deliveryTime;
    }

    /** @return the next delivery due at {@code now}, removed, or null */
    PendingDelivery pollDue(long now) {
        PendingDelivery p = byTime.peek();
        if (p == null || p.deliveryTime > now) {
            return null;
        }
        byTime.poll();
        offsets.remove(p.offset);
        return p;
    }
}
