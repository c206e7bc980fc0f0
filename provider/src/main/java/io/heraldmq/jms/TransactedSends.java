package io.heraldmq.jms;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sends of a transacted session's open transaction. Each message is encoded once, at send time, straight into the
 * record batch of its target, so commit costs one PRODUCE frame per run of sends to one target rather than one per
 * message, and nothing
 * reaches the broker before commit. A target is a destination, an explicit partition (or none), the persistence of
 * the batch and the routing key: the broker picks one partition per batch from its first record's key, so records
 * with different keys must not share a batch.
 * <p>
 * Each commit is one transaction (producerId, sequence): the producer id is drawn at random for the session, the
 * sequence counts its commits; every batch carries both in its header, so the broker's transaction recovery can
 * tell which of a transaction's batches a log already holds.
 */
final class TransactedSends {
    /** Where a batch goes: its records share all of this (the broker routes and stores a batch whole). */
    private record Target(DestinationKind kind, String destination, int partition, boolean persistent, String key) {
        Route route() {
            return new Route(kind, destination, partition);
        }
    }

    /** A destination (and explicit partition): the unit within which send order must hold. */
    private record Route(DestinationKind kind, String destination, int partition) {
    }

    private record Batch(Target target, RecordBatch.Builder builder) {
    }

    /** The batches of one commit and the transaction identity stamped on them. */
    record Transaction(long producerId, int sequence, List<Produce> produces) {
    }

    private final int maxBatchBytes;
    private final long producerId = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    private int sequence;
    /** Every batch, in the order it was started. */
    private final List<Batch> batches = new ArrayList<>();
    /**
     * Per destination, its newest batch. A record joins it only if it has the same persistence and key; otherwise it
     * starts a new batch, so a PERSISTENT message sent after a NON_PERSISTENT one (or after another key) to the same
     * destination is stored after it, in send order, as Artemis and Classic keep it.
     */
    private final Map<Route, Batch> newest = new HashMap<>();

    /** @param maxBatchBytes a batch is closed before it grows past this (the broker's largest message) */
    TransactedSends(int maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
    }

    synchronized void add(HeraldDestination destination, int partition, boolean persistent, long timestamp,
                          String key, Buffer message) {
        Target target = new Target(destination.kind(), destination.name(), partition, persistent, key);
        Batch last = newest.get(target.route());
        int recordBytes = RecordBatch.recordBytes(key, message);
        if (last == null || !last.target().equals(target) || last.builder().bytes() + recordBytes > maxBatchBytes) {
            last = new Batch(target, new RecordBatch.Builder(persistent ? RecordBatch.ATTR_PERSISTENT : 0,
                    Math.min(maxBatchBytes, Math.max(4096, recordBytes * 16))));
            batches.add(last);
            newest.put(target.route(), last);
        }
        last.builder().add(timestamp, key, message);
    }

    /**
     * The PRODUCE requests of the transaction, in the order their batches were started (so in send order per
     * destination), stamped with the next transaction identity; the transaction is emptied.
     */
    synchronized Transaction drain() {
        int seq = sequence++;
        List<Produce> out = new ArrayList<>(batches.size());
        for (Batch b : batches) {
            Target t = b.target();
            out.add(new Produce(Produce.FLAG_ACK, t.kind(), t.destination(), t.partition(), -1,
                    b.builder().transaction(producerId, seq).build()));
        }
        clear();
        return new Transaction(producerId, seq, out);
    }

    /** Whether the open transaction has no sends. */
    synchronized boolean isEmpty() {
        return batches.isEmpty();
    }

    synchronized void clear() {
        batches.clear();
        newest.clear();
    }
}
