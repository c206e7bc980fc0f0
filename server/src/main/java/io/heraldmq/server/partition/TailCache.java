package io.heraldmq.server.partition;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;

/**
 * The most recent batches of one partition, in memory, so that consumers keeping up with producers are served the
 * very buffers that were appended, without a disk read or a copy. Bounded by bytes; the oldest batches leave first.
 * Owned by the partition's context: not thread-safe.
 */
final class TailCache {
    private final long maxBytes;
    private final ArrayList<Buffer> batches = new ArrayList<>();
    private int head;
    /** Index of the batch {@link #find} returned last. */
    private int hint = -1;
    private long bytes;

    TailCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void add(Buffer batch) {
        if (maxBytes == 0) {
            return;
        }
        batches.add(batch);
        bytes += batch.length();
        while (bytes > maxBytes && batches.size() - head > 1) {
            bytes -= batches.get(head).length();
            batches.set(head++, null);
        }
        if (head > 1024 && head > batches.size() / 2) {
            batches.subList(0, head).clear();
            hint -= head;
            head = 0;
        }
    }

    /** @return the cached batch that contains {@code offset}, or null if it is not cached */
    Buffer find(long offset) {
        int lo = head;
        int hi = batches.size() - 1;
        if (lo > hi || offset < RecordBatch.baseOffset(batches.get(lo))) {
            return null;
        }
        // Consumers keeping up ask for what follows the batch they asked for last: look there first.
        int next = hint + 1;
        if (next >= lo && next <= hi) {
            Buffer b = batches.get(next);
            if (offset >= RecordBatch.baseOffset(b) && offset <= RecordBatch.lastOffset(b)) {
                hint = next;
                return b;
            }
        }
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Buffer b = batches.get(mid);
            if (offset < RecordBatch.baseOffset(b)) {
                hi = mid - 1;
            } else if (offset > RecordBatch.lastOffset(b)) {
                lo = mid + 1;
            } else {
                hint = mid;
                return b;
            }
        }
        return null;
    }

    void clear() {
        batches.clear();
        head = 0;
        hint = -1;
        bytes = 0;
    }
}
