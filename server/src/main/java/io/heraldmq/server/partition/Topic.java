package io.heraldmq.server.partition;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A destination: a queue or a topic, and its partitions. A queue is a topic with one implicit shared subscription.
 * Immutable but for the round-robin counter; safe to use from any context.
 */
public final class Topic {
    private final DestinationKind kind;
    private final String name;
    private final List<Partition> partitions;
    private final AtomicInteger roundRobin = new AtomicInteger();
    /** Consumers attached to any subscription of this destination, so that deleting it can refuse. */
    private final AtomicInteger consumers = new AtomicInteger();

    Topic(DestinationKind kind, String name, List<Partition> partitions) {
        this.kind = kind;
        this.name = name;
        this.partitions = List.copyOf(partitions);
    }

    public DestinationKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public boolean isQueue() {
        return kind.isQueue();
    }

    public List<Partition> partitions() {
        return partitions;
    }

    /** Counts consumers attached to the destination's subscriptions (browsers excluded). */
    public void consumerAttached() {
        consumers.incrementAndGet();
    }

    public void consumerDetached() {
        consumers.decrementAndGet();
    }

    public int consumerCount() {
        return consumers.get();
    }

    /**
     * {@link #choose} for a record batch as a producer sent it: its first record's key is decoded only when it picks
     * among partitions (decoding it otherwise is wasted work on the connection's event loop).
     *
     * @return the partition, or null if {@code explicit} is out of range
     */
    public Partition partitionFor(int explicit, Buffer batch) {
        String key = explicit < 0 && partitions.size() > 1
                ? RecordBatch.recordKey(batch.slice(RecordBatch.HEADER_BYTES, batch.length())) : null;
        if (key == null && explicit < 0 && partitions.size() > 1 && RecordBatch.isIdempotent(batch)) {
            return partitions.get(producerPartition(RecordBatch.producerId(batch), partitions.size()));
        }
        return choose(explicit, key);
    }

    /**
     * The partition of an idempotent producer's batches that have neither a key nor an explicit partition: a hash of
     * the producer id rather than round robin, so that a batch sent again after a lost connection reaches the
     * partition that may hold its first copy (whichever broker routes it, and however many sends came between), where
     * {@link ProducerStates} recognises it. The cost: all of one producer's keyless messages to a destination go to
     * one partition (they keep their send order, as if they had a key, but one producer no longer spreads its load
     * over the partitions; many producers still do).
     */
    static int producerPartition(long producerId, int partitionCount) {
        // Long.hashCode folds the high bits in; producer ids are random, so this spreads producers evenly.
        return Math.floorMod(Long.hashCode(producerId), partitionCount);
    }

    /**
     * Where a batch goes: the explicit partition if the producer named one, else the hash of its key so that one key
     * keeps its order, else round robin.
     *
     * @return the partition, or null if {@code explicit} is out of range
     */
    public Partition choose(int explicit, String key) {
        int n = partitions.size();
        if (explicit >= 0) {
            return explicit < n ? partitions.get(explicit) : null;
        }
        if (n == 1) {
            return partitions.get(0);
        }
        if (key != null) {
            return partitions.get(Math.floorMod(key.hashCode(), n));
        }
        return partitions.get(Math.floorMod(roundRobin.getAndIncrement(), n));
    }

    @Override
    public String toString() {
        return (isQueue() ? "queue " : "topic ") + name;
    }
}
