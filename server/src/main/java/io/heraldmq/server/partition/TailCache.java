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
        // Offsets are dense and batches of one producer tend to hold alike counts: guess the index from the
        // offset, and search only if the guess misses.
        long first = RecordBatch.baseOffset(batches.get(lo));
        long span = RecordBatch.lastOffset(batches.get(hi)) + 1 - first;
        int guess = lo + (int) ((offset - first) * (hi - lo + 1) / Math.max(1, span));
        if (guess >= lo && guess <= hi) {
            Buffer b = batches.get(guess);
            if (offset >= RecordBatch.baseOffset(b) && offset <= RecordBatch.lastOffset(b)) {
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
                return b;
            }
        }
        return null;
    }

    void clear() {
        batches.clear();
        head = 0;
        bytes = 0;
    }
}
