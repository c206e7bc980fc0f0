package io.heraldmq.server.net;

import java.util.HashSet;
import java.util.Set;

/**
 * The ids of what a client opened on its connection and has not closed yet (its producers, its sessions). Changed on
 * the connection's event loop only; {@link #count} is read from any thread by the meters, so it is a volatile copy of
 * the set's size rather than a concurrent set on the request path.
 */
final class OpenIds {
    private final Set<Integer> ids = new HashSet<>();
    private volatile int count;

    boolean contains(int id) {
        return ids.contains(id);
    }

    /** @return how many are open now, {@code id} included (an id already open counts once) */
    int add(int id) {
        ids.add(id);
        count = ids.size();
        return count;
    }

    /** An unknown id is ignored: the client's close may cross a failover that forgot it. */
    void remove(int id) {
        ids.remove(id);
        count = ids.size();
    }

    void clear() {
        ids.clear();
        count = 0;
    }

    /** Any thread. */
    int count() {
        return count;
    }
}
