package io.heraldmq.server.subscription;

/**
 * A hash map from {@code long} keys to values, for the dispatcher's per-delivery bookkeeping: a put and a remove per
 * delivery allocate nothing (a {@code HashMap<Long, V>} boxes the key and allocates a node for each). Open
 * addressing with linear probing, laid out for keys that are mostly consecutive (see {@link #slot}). Removal shifts the run back, so there are no
 * tombstones. Null values are not allowed. Not thread-safe.
 */
final class LongKeyMap<V> {
    /** Receives the entries of {@link #forEach}. */
    interface Visitor<V> {
        void visit(long key, V value);
    }

    private long[] keys;
    private Object[] values;
    private int mask;
    private int size;

    LongKeyMap() {
        keys = new long[16];
        values = new Object[16];
        mask = 15;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean containsKey(long key) {
        return get(key) != null;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** @return the value it replaced, or null */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size > (mask + 1) / 2) {
            grow();
        }
        return null;
    }

    /** @return the value removed, or null */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                shiftBack(i);
                size--;
                return old;
            }
        }
        return null;
    }

    void forEach(Visitor<V> visitor) {
        long[] k = keys;
        Object[] v = values;
        for (int i = 0; i < v.length; i++) {
            if (v[i] != null) {
                @SuppressWarnings("unchecked") V value = (V) v[i];
                visitor.visit(k[i], value);
            }
        }
    }

    /** Empties slot {@code gap} and moves later entries of its run back so every entry stays reachable. */
    private void shiftBack(int gap) {
        for (int j = (gap + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            // The entry at j may fill the gap unless its home slot lies cyclically in (gap, j].
            boolean homeBetween = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!homeBetween) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        values[gap] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        int capacity = oldValues.length * 2;
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                int j = slot(oldKeys[i]);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }

    private int slot(long key) {
        // Every other slot: consecutive keys (offsets in flight) sit close together, which keeps the table's memory
        // access sequential, yet with a free slot between them, so a removal's shift stops at once. (Adjacent slots
        // would make one long run that every removal walks; scattered slots cost a cache miss per access.)
        return (int) (key << 1) & mask;
    }
}
