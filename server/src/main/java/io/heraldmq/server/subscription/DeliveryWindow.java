package io.heraldmq.server.subscription;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The records of one subscription in one partition that are ready to be delivered (read ahead, due, not yet
 * delivered), one level per priority. Iteration goes from the highest priority to the lowest and, within a level, in
 * offset order: records arrive in log order, and a delivery put back (released, returned, set aside) takes its place
 * by offset, so it goes out again ahead of every later record of its level however the acks that returned it were
 * split or ordered.
 * <p>
 * Each level is an array sorted by offset. Records read from the log arrive in offset order and leave mostly from
 * the front, so both are O(1) and allocate nothing per record (a tree or hash map allocated an entry and boxed the
 * offset, for every record and subscription); a put-back shifts the part of its level behind it, which the bounded
 * window keeps short. Bounded by the dispatcher, which reads ahead only while {@link #size()} is below its
 * look-ahead. Not thread-safe: owned by the partition's context.
 */
final class DeliveryWindow implements Iterable<PendingDelivery> {
    static final int LEVELS = 10;

    private final Level[] levels = new Level[LEVELS];
    private int size;

    DeliveryWindow() {
        for (int i = 0; i < LEVELS; i++) {
            levels[i] = new Level();
        }
    }

    /** A record read from the log, or a delivery put back: either way it takes its place by offset. */
    void add(PendingDelivery p) {
        if (levels[p.priority].add(p)) {
            size++;
        }
    }

    /** Moves every delivery of {@code from} here, each to its place by offset; {@code from} is left empty. */
    void takeAll(DeliveryWindow from) {
        for (int i = 0; i < LEVELS; i++) {
            levels[i].merge(from.levels[i]);
        }
        size = 0;
        for (Level l : levels) {
            size += l.size();
        }
        from.size = 0;
    }

    boolean contains(long offset) {
        return get(offset) != null;
    }

    /** @return the held delivery at {@code offset}, or null */
    PendingDelivery get(long offset) {
        if (size == 0) {
            return null;
        }
        for (Level l : levels) {
            int i = l.indexOf(offset);
            if (i >= 0) {
                return l.at(i);
            }
        }
        return null;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Highest priority first; {@link Iterator#remove()} is supported. */
    @Override
    public Iterator<PendingDelivery> iterator() {
        return new Iterator<>() {
            private int level = LEVELS - 1;
            /** Index in {@code levels[level]} of the next element. */
            private int next;
            private boolean removable;

            @Override
            public boolean hasNext() {
                while (next >= levels[level].size()) {
                    if (level == 0) {
                        return false;
                    }
                    level--;
                    next = 0;
                    removable = false;
                }
                return true;
            }

            @Override
            public PendingDelivery next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                removable = true;
                return levels[level].at(next++);
            }

            @Override
            public void remove() {
                if (!removable) {
                    throw new IllegalStateException();
                }
                removable = false;
                levels[level].removeAt(--next);
                size--;
            }
        };
    }

    /** One priority level: {@code items[start, end)} in increasing offset order, no offset twice. */
    private static final class Level {
        private static final PendingDelivery[] EMPTY = new PendingDelivery[0];
        private PendingDelivery[] items = EMPTY;
        private int start;
        private int end;

        int size() {
            return end - start;
        }

        PendingDelivery at(int i) {
            return items[start + i];
        }

        /** @return false if it replaced a delivery at the same offset */
        boolean add(PendingDelivery p) {
            if (start == end || items[end - 1].offset < p.offset) {
                ensureRoomAtEnd();
                items[end++] = p;
                return true;
            }
            if (items[start].offset > p.offset && start > 0) {
                items[--start] = p;
                return true;
            }
            int i = indexOf(p.offset);
            if (i >= 0) {
                items[start + i] = p;
                return false;
            }
            ensureRoomAtEnd(); // may move the elements: the index is relative to start
            int at = start + (-i - 1);
            System.arraycopy(items, at, items, at + 1, end - at);
            items[at] = p;
            end++;
            return true;
        }

        /** @return the index (from the first element) of {@code offset}, or {@code -(insertion point) - 1} */
        int indexOf(long offset) {
            int lo = start;
            int hi = end - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long o = items[mid].offset;
                if (o < offset) {
                    lo = mid + 1;
                } else if (o > offset) {
                    hi = mid - 1;
                } else {
                    return mid - start;
                }
            }
            return -(lo - start) - 1;
        }

        void removeAt(int i) {
            int at = start + i;
            if (at == start) {
                items[start++] = null;
            } else {
                System.arraycopy(items, at + 1, items, at, end - at - 1);
                items[--end] = null;
            }
            if (start == end) {
                start = 0;
                end = 0;
            }
        }

        /** Takes every element of {@code other}, which is left empty; same offset: {@code other}'s wins. */
        void merge(Level other) {
            if (other.size() == 0) {
                return;
            }
            if (size() == 0) {
                PendingDelivery[] swap = items;
                items = other.items;
                start = other.start;
                end = other.end;
                other.items = swap;
                other.start = 0;
                other.end = 0;
                return;
            }
            PendingDelivery[] merged = new PendingDelivery[Math.max(16, size() + other.size())];
            int n = 0;
            int a = start;
            int b = other.start;
            while (a < end || b < other.end) {
                if (b == other.end || (a < end && items[a].offset < other.items[b].offset)) {
                    merged[n++] = items[a++];
                } else {
                    if (a < end && items[a].offset == other.items[b].offset) {
                        a++;
                    }
                    merged[n++] = other.items[b++];
                }
            }
            items = merged;
            start = 0;
            end = n;
            Arrays.fill(other.items, other.start, other.end, null);
            other.start = 0;
            other.end = 0;
        }

        private void ensureRoomAtEnd() {
            if (end < items.length) {
                return;
            }
            int n = size();
            if (start > 0 && n < items.length / 2) {
                System.arraycopy(items, start, items, 0, n);
                Arrays.fill(items, Math.max(n, start), end, null); // below start they were nulled on removal
            } else {
                items = Arrays.copyOfRange(items, start, start + Math.max(16, items.length * 2));
            }
            start = 0;
            end = n;
        }
    }
}
