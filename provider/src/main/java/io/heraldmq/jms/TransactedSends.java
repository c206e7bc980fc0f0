package io.heraldmq.jms;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sends of a transacted session's open transaction. Each message is encoded once, at send time, straight into the
 * record batch of its target, so commit costs one PRODUCE frame per target rather than one per message, and nothing
 * reaches the broker before commit. A target is a destination, an explicit partition (or none), the persistence of
 * the batch and the routing key: the broker picks one partition per batch from its first record's key, so records
 * with different keys must not share a batch.
 * <p>
 * Each commit is one transaction (producerId, sequence): the producer id is drawn at random for the session, the
 * sequence counts its commits; every batch carries both in its header, so the broker's transaction recovery can
 * tell which of a transaction's batches a log already holds.
 */
final class TransactedSends {
    private record Target(DestinationKind kind, String destination, int partition, boolean persistent, String key) {
    }

    /** The batches of one commit and the transaction identity stamped on them. */
    record Transaction(long producerId, int sequence, List<Produce> produces) {
    }

    private final int maxBatchBytes;
    private final long producerId = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    private int sequence;
    private final Map<Target, List<RecordBatch.Builder>> batches = new LinkedHashMap<>();

    /** @param maxBatchBytes a batch is closed before it grows past this (the broker's largest message) */
    TransactedSends(int maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
    }

    synchronized void add(HeraldDestination destination, int partition, boolean persistent, long timestamp,
                          String key, Buffer message) {
        Target target = new Target(destination.kind(), destination.name(), partition, persistent, key);
        List<RecordBatch.Builder> list = batches.computeIfAbsent(target, t -> new ArrayList<>(1));
        RecordBatch.Builder last = list.isEmpty() ? null : list.get(list.size() - 1);
        int recordBytes = RecordBatch.recordBytes(key, message);
        if (last == null || last.bytes() + recordBytes > maxBatchBytes) {
            last = new RecordBatch.Builder(persistent ? RecordBatch.ATTR_PERSISTENT : 0,
                    Math.min(maxBatchBytes, Math.max(4096, recordBytes * 16)));
            list.add(last);
        }
        last.add(timestamp, key, message);
    }

    /**
     * The PRODUCE requests of the transaction, in send order per target, stamped with the next transaction identity;
     * the transaction is emptied.
     */
    synchronized Transaction drain() {
        int seq = sequence++;
        List<Produce> out = new ArrayList<>();
        for (Map.Entry<Target, List<RecordBatch.Builder>> e : batches.entrySet()) {
            Target t = e.getKey();
            for (RecordBatch.Builder b : e.getValue()) {
                out.add(new Produce(Produce.FLAG_ACK, t.kind, t.destination, t.partition, -1,
                        b.transaction(producerId, seq).build()));
            }
        }
        batches.clear();
        return new Transaction(producerId, seq, out);
    }

    synchronized void clear() {
        batches.clear();
    }
}
