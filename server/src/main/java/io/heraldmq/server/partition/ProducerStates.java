package io.heraldmq.server.partition;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one partition knows of its idempotent producers ({@link RecordBatch#ATTR_IDEMPOTENT}): per producer id, the
 * sequence of the newest batch of that producer in this partition's log and where that batch lies. It lets
 * {@link Partition} recognise a batch sent again after a lost connection (the client re-sends the same bytes on its
 * new connection, to this broker restarted or to the one that took over the partition) and answer with the stored
 * copy's offset instead of storing it twice.
 * <p>
 * Rules, per partition:
 * <ul>
 *   <li>a batch whose sequence is at most the newest one known for its producer is a duplicate. If it is that newest
 *       batch, the answer is exactly its base offset. If it is older (a producer with several sends in flight whose
 *       later ones were stored too), the exact offset is no longer known: the answer is the base offset of the
 *       producer's newest batch, an upper bound of where the retried one lies. Clients only use the offset as
 *       information, so this costs nothing but precision;</li>
 *   <li>a larger sequence is new, also when it skips numbers: the producer's batches in between went to other
 *       partitions or destinations.</li>
 * </ul>
 * Bounded memory: at most {@code maxProducers} producers per partition (default {@value #DEFAULT_MAX_PRODUCERS}), the
 * least recently used one forgotten first. A producer forgotten that way (it has not sent to this partition while
 * that many others did) and then retrying its last batch gets it stored a second time: a duplicate is possible only
 * for a producer that idles while more than that many others send to the same partition, exactly as it retries.
 * <p>
 * Rebuilt when the partition opens from the batch headers of the last {@value #REBUILD_SCAN_BYTES} bytes (16 MiB) of
 * the log (at least that much, rounded back to an index entry, see
 * {@link io.heraldmq.server.log.PartitionLog#offsetBytesBeforeEnd}): a retry comes within the client's reconnect
 * timeout (30 s by default), so the bound only matters for a partition that took more than 16 MiB from other
 * producers between a batch and its retry; such a retry is stored a second time. Rebuilt the same way after a
 * truncation (entries above the cut are gone).
 * <p>
 * Not thread-safe: used on the partition's context only (or by one worker thread before it is published to it).
 */
public final class ProducerStates {
    public static final int DEFAULT_MAX_PRODUCERS = 10_000;
    /** How much of the log's tail the rebuild reads. */
    public static final long REBUILD_SCAN_BYTES = 16L << 20;
    /** {@link #duplicateOf} for a batch that is not a duplicate. */
    public static final long NOT_DUPLICATE = -1;

    /** The newest batch of one producer in this partition. */
    private static final class Entry {
        int sequence;
        long baseOffset;
        long lastOffset;
    }

    private final LinkedHashMap<Long, Entry> producers;

    public ProducerStates(int maxProducers) {
        if (maxProducers < 1) {
            throw new IllegalArgumentException("maxProducers must be at least 1");
        }
        // access order: get() in duplicateOf and put() in appended both count as use, so eviction is LRU
        this.producers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
                return size() > maxProducers;
            }
        };
    }

    public ProducerStates() {
        this(DEFAULT_MAX_PRODUCERS);
    }

    /**
     * Checks a batch about to be appended.
     *
     * @return {@link #NOT_DUPLICATE}, or the base offset to answer for a batch already stored (see the class comment
     *         for an older sequence)
     */
    public long duplicateOf(Buffer batch) {
        if (!RecordBatch.isIdempotent(batch)) {
            return NOT_DUPLICATE;
        }
        Entry e = producers.get(RecordBatch.producerId(batch));
        if (e == null || RecordBatch.baseSequence(batch) > e.sequence) {
            return NOT_DUPLICATE;
        }
        return e.baseOffset;
    }

    /**
     * The last offset of the batch {@link #duplicateOf} answered for: a persistent duplicate is answered once that
     * is durable, as the first send would have been. Call right after {@link #duplicateOf} returned an offset.
     */
    public long duplicateLastOffset(Buffer batch) {
        Entry e = producers.get(RecordBatch.producerId(batch));
        return e == null ? -1 : e.lastOffset;
    }

    /**
     * Records a batch that was just appended (its base offset set): by a leader, a single node or a follower copying
     * its leader. Batches other than idempotent ones are ignored; an older sequence than the one known (a follower
     * copying what a former leader stored) does not move the producer back.
     */
    public void appended(Buffer batch) {
        if (!RecordBatch.isIdempotent(batch)) {
            return;
        }
        long producerId = RecordBatch.producerId(batch);
        int sequence = RecordBatch.baseSequence(batch);
        Entry e = producers.get(producerId);
        if (e == null) {
            e = new Entry();
            producers.put(producerId, e);
        } else if (sequence <= e.sequence) {
            return;
        }
        e.sequence = sequence;
        e.baseOffset = RecordBatch.baseOffset(batch);
        e.lastOffset = RecordBatch.lastOffset(batch);
    }

    /** {@link #appended} for every batch of a buffer of whole batches back to back (a read or a fetch). */
    public void appendedAll(Buffer batches) {
        int pos = 0;
        while (batches.length() - pos >= RecordBatch.HEADER_BYTES) {
            int size = RecordBatch.sizeAt(batches, pos);
            if (size < RecordBatch.HEADER_BYTES || pos + size > batches.length()) {
                return;
            }
            appended(batches.slice(pos, pos + size));
            pos += size;
        }
    }

    /** How many producers are known. */
    public int size() {
        return producers.size();
    }

    /** Reads batches of a log, for {@link #rebuild}. */
    @FunctionalInterface
    public interface LogReader {
        /** Whole batches starting with the one holding {@code offset}; empty at the log end. */
        Buffer read(long offset) throws java.io.IOException;
    }

    /**
     * The state of a log read from {@code fromOffset} to {@code endOffset}: every idempotent batch header there, in
     * order. Blocking (reads the log): on a worker.
     */
    public static ProducerStates rebuild(LogReader log, long fromOffset, long endOffset, int maxProducers)
            throws java.io.IOException {
        ProducerStates states = new ProducerStates(maxProducers);
        long at = fromOffset;
        while (at < endOffset) {
            Buffer batches = log.read(at);
            if (batches.length() == 0) {
                break;
            }
            long next = at;
            int pos = 0;
            while (batches.length() - pos >= RecordBatch.HEADER_BYTES) {
                int size = RecordBatch.sizeAt(batches, pos);
                Buffer batch = batches.slice(pos, pos + size);
                if (RecordBatch.baseOffset(batch) >= endOffset) {
                    return states;
                }
                states.appended(batch);
                next = Math.max(next, RecordBatch.nextOffset(batch));
                pos += size;
            }
            if (next <= at) {
                break; // no progress: nothing more to read
            }
            at = next;
        }
        return states;
    }
}
