package io.heraldmq.server.subscription;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * The records of one subscription in one partition that are ready to be delivered (read ahead, due, not yet
 * delivered), one level per priority. Iteration goes from the highest priority to the lowest and, within a level, in
 * offset order: records arrive in log order, and a delivery put back (released, returned, set aside) takes its place
 * by offset, so it goes out again ahead of every later record of its level however the acks that returned it were
 * split or ordered.
 * Bounded by the dispatcher, which reads ahead only while {@link #size()} is below its look-ahead. Not thread-safe:
 * owned by the partition's context.
 */
final class DeliveryWindow implements Iterable<PendingDelivery> {
    static final int LEVELS = 10;

    @SuppressWarnings("unchecked")
    private final TreeMap<Long, PendingDelivery>[] levels = new TreeMap[LEVELS];
    private final Map<Long, PendingDelivery> byOffset = new HashMap<>();

    DeliveryWindow() {
        for (int i = 0; i < LEVELS; i++) {
            levels[i] = new TreeMap<>();
        }
    }

    /** A record read from the log, or a delivery put back: either way it takes its place by offset. */
    void add(PendingDelivery p) {
        levels[p.priority].put(p.offset, p);
        byOffset.put(p.offset, p);
    }

    /** Moves every delivery of {@code from} here, each to its place by offset; {@code from} is left empty. */
    void takeAll(DeliveryWindow from) {
        for (int i = 0; i < LEVELS; i++) {
            levels[i].putAll(from.levels[i]);
            from.levels[i].clear();
        }
        byOffset.putAll(from.byOffset);
        from.byOffset.clear();
    }

    boolean contains(long offset) {
        return byOffset.containsKey(offset);
    }

    /** @return the held delivery at {@code offset}, or null */
    PendingDelivery get(long offset) {
        return byOffset.get(offset);
    }

    int size() {
        return byOffset.size();
    }

    boolean isEmpty() {
        return byOffset.isEmpty();
    }

    /** Highest priority first; {@link Iterator#remove()} is supported. */
    @Override
    public Iterator<PendingDelivery> iterator() {
        return new Iterator<>() {
            private int level = LEVELS - 1;
            private Iterator<PendingDelivery> current = levels[level].values().iterator();
            private PendingDelivery last;

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (level == 0) {
                        return false;
                    }
                    current = levels[--level].values().iterator();
                }
                return true;
            }

            @Override
            public PendingDelivery next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                last = current.next();
                return last;
            }

            @Override
            public void remove() {
                current.remove();
                byOffset.remove(last.offset);
            }
        };
    }
}
