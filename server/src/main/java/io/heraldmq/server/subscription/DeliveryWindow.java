package io.heraldmq.server.subscription;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The records of one subscription in one partition that are ready to be delivered (read ahead, due, not yet
 * delivered), one FIFO per priority level. Iteration goes from the highest priority to the lowest and, within a
 * level, in arrival order; returned deliveries are put at the front of their level so they go out again first.
 * Bounded by the dispatcher, which reads ahead only while {@link #size()} is below its look-ahead. Not thread-safe:
 * owned by the partition's context.
 */
final class DeliveryWindow implements Iterable<PendingDelivery> {
    static final int LEVELS = 10;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<PendingDelivery>[] levels = new ArrayDeque[LEVELS];
    private final Map<Long, PendingDelivery> byOffset = new HashMap<>();

    DeliveryWindow() {
        for (int i = 0; i < LEVELS; i++) {
            levels[i] = new ArrayDeque<>();
        }
    }

    void add(PendingDelivery p) {
        levels[p.priority].addLast(p);
        byOffset.put(p.offset, p);
    }

    /** A returned delivery: ahead of everything else of its priority. */
    void addFirst(PendingDelivery p) {
        levels[p.priority].addFirst(p);
        byOffset.put(p.offset, p);
    }

    /**
     * Moves every delivery of {@code from} to the front of its level here, keeping {@code from}'s order; {@code from}
     * is left empty.
     */
    void takeAllFirst(DeliveryWindow from) {
        for (int i = 0; i < LEVELS; i++) {
            ArrayDeque<PendingDelivery> source = from.levels[i];
            for (Iterator<PendingDelivery> it = source.descendingIterator(); it.hasNext(); ) {
                levels[i].addFirst(it.next());
            }
            source.clear();
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
            private Iterator<PendingDelivery> current = levels[level].iterator();
            private PendingDelivery last;

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (level == 0) {
                        return false;
                    }
                    current = levels[--level].iterator();
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
