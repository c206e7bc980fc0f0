package io.heraldmq.server.subscription;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.metrics.OwnedLong;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.buffer.Buffer;

/**
 * Keeps the timestamp of the oldest record one subscription has not settled in one partition (the record at its
 * committed offset), from which {@code heraldmq_subscription_lag_seconds} is measured, without reading the log for
 * it. Where it looks, cheapest first:
 * <ol>
 *   <li>the record itself, when the dispatcher holds it (in flight, read ahead) or reads it for dispatch later;</li>
 *   <li>the partition's tail cache;</li>
 *   <li>else a bound from memory, {@link Partition#timestampBound}: the newest timestamp the time index records at
 *       or before the record (one entry per index interval), replaced by the record's own as soon as the dispatcher
 *       reads it.</li>
 * </ol>
 * The timestamp is the record's: the producer's clock when it sent the message (the broker does not restamp).
 * Context: the partition's; the figure is read by any thread.
 */
final class BacklogAge {
    private final Partition partition;
    private final OwnedLong oldestTimestamp;
    /** The committed offset {@link #oldestTimestamp} describes. */
    private long offset = -1;
    /** Whether it is that record's own timestamp rather than a bound. */
    private boolean exact;

    BacklogAge(Partition partition, OwnedLong oldestTimestamp) {
        this.partition = partition;
        this.oldestTimestamp = oldestTimestamp;
    }

    /**
     * Whether {@link #track} has something to do: the committed offset moved, or it sits where no timestamp was
     * known (the log end, say) and records may have arrived there since. One comparison in the common case.
     */
    boolean stale(long committed) {
        return committed != offset || oldestTimestamp.get() < 0 && committed < partition.logEndOffset();
    }

    /**
     * The committed offset may have moved.
     *
     * @param held the record at {@code committed} if the dispatcher holds it in memory, else null
     */
    void track(long committed, Buffer held) {
        offset = committed;
        exact = true;
        if (held != null) {
            oldestTimestamp.set(RecordBatch.recordTimestamp(held));
            return;
        }
        if (committed >= partition.logEndOffset()) {
            oldestTimestamp.set(-1);
            return;
        }
        Buffer batch = partition.readCached(committed);
        long cached = batch == null ? -1 : timestampIn(batch, committed);
        if (cached >= 0) {
            oldestTimestamp.set(cached);
            return;
        }
        exact = false;
        oldestTimestamp.set(partition.timestampBound(committed));
    }

    /** The dispatcher read the record at {@code readOffset}: if it is the oldest unsettled one, its time is exact. */
    void read(long readOffset, Buffer record) {
        if (!exact && readOffset == offset) {
            exact = true;
            oldestTimestamp.set(RecordBatch.recordTimestamp(record));
        }
    }

    /** The timestamp of the record at {@code recordOffset} in one batch; -1 if it holds none. */
    private static long timestampIn(Buffer batch, long recordOffset) {
        if (recordOffset < RecordBatch.baseOffset(batch) || recordOffset > RecordBatch.lastOffset(batch)) {
            return -1;
        }
        long[] found = {-1};
        RecordBatch.forEachRecord(batch, (offset, record) -> {
            if (offset == recordOffset) {
                found[0] = RecordBatch.recordTimestamp(record);
            }
        });
        return found[0];
    }
}
