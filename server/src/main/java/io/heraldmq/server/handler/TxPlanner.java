package io.heraldmq.server.handler;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.log.DiskSpaceMonitor;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.security.ConnectionAccess;
import io.heraldmq.server.security.Permission;
import io.heraldmq.server.security.UserIdStamp;
import io.heraldmq.server.subscription.ServerConsumer;
import io.heraldmq.server.tx.TxRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a transaction a client sent (COMMIT, XA_PREPARE, one-phase XA_COMMIT) and resolves where each part goes,
 * before anything of it is journaled: batch structure, CRC and transaction identity, message sizes, disk space,
 * permissions ({@code send}, and {@code createDestination} for a destination created by it), consumers, destinations
 * (created as PRODUCE creates them) and partitions. A refusal leaves nothing applied. With JMSXUserID populated,
 * batches not stamped with the user are rewritten first ({@link UserIdStamp}).
 */
final class TxPlanner {
    private final AutoCreation destinations;
    private final int maxMessageBytes;
    private final DiskSpaceMonitor disk;

    TxPlanner(AutoCreation destinations, int maxMessageBytes, DiskSpaceMonitor disk) {
        this.destinations = destinations;
        this.maxMessageBytes = maxMessageBytes;
        this.disk = disk;
    }

    /** One batch and the partition it goes to. */
    record Routed(Partition partition, TxRecord.Batch batch) {
    }

    /** The consumed deliveries of one consumer. */
    record Consumed(ServerConsumer consumer, Ack ack) {
    }

    /** A checked transaction: its batches routed, its consumers found. */
    record Plan(Commit commit, List<Routed> routed, List<Consumed> consumed) {
        /** The journal record: the batches, and the acks of durable subscriptions (others die with the broker). */
        TxRecord record() {
            List<TxRecord.Batch> batches = new ArrayList<>(routed.size());
            for (Routed r : routed) {
                batches.add(r.batch());
            }
            List<TxRecord.Ack> acks = new ArrayList<>();
            for (Consumed c : consumed) {
                if (c.consumer().subscription().durable()) {
                    String subscription = c.consumer().subscription().id();
                    for (int i = 0; i < c.ack().count(); i++) {
                        acks.add(new TxRecord.Ack(subscription, c.ack().partitions()[i], c.ack().offsets()[i]));
                    }
                }
            }
            return new TxRecord(0, commit.producerId(), commit.sequence(), batches, acks);
        }

        /** Bytes of its batches: what the connection has on its way to partitions while it is applied. */
        int bytes() {
            int bytes = 0;
            for (Routed r : routed) {
                bytes += r.batch().batch().length();
            }
            return bytes;
        }
    }

    /**
     * Checks {@code commit}. A malformed batch throws {@link ProtocolException} (PROTOCOL_ERROR: the connection is
     * closed); any other refusal fails the future with a ProtocolException carrying its code.
     *
     * @return completes on the connection's context
     */
    Future<Plan> plan(ClientConnection connection, Commit commit) {
        for (Commit.Send s : commit.sends()) {
            RecordBatch.validate(s.batch(), maxMessageBytes);
            if (!RecordBatch.belongsTo(s.batch(), 0, commit.producerId(), commit.sequence())) {
                throw new ProtocolException("a transaction's batch does not carry its producer id and sequence");
            }
        }
        String diskFull = disk.refusal();
        if (diskFull != null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED, diskFull));
        }
        ConnectionAccess access = connection.access();
        List<Buffer> batches = new ArrayList<>(commit.sends().size());
        List<Consumed> consumed;
        try {
            for (Commit.Send s : commit.sends()) {
                access.check(Permission.SEND, s.kind(), s.destination());
            }
            for (Commit.Send s : commit.sends()) {
                batches.add(access.stampsUserId() ? UserIdStamp.apply(s.batch(), access.user()) : s.batch());
            }
            consumed = consumed(connection, commit);
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
        List<Future<Topic>> topics = new ArrayList<>();
        for (Commit.Send s : commit.sends()) {
            topics.add(destinations.get(connection, s.kind(), s.destination()));
        }
        Promise<Plan> planned = Promise.promise();
        Future.all(topics).onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.failed()) {
                planned.fail(ar.cause());
                return;
            }
            try {
                planned.complete(new Plan(commit, route(commit, batches, topics), consumed));
            } catch (ProtocolException e) {
                planned.fail(e);
            }
        }));
        return planned.future();
    }

    /** The consumers whose deliveries the transaction consumed. */
    private static List<Consumed> consumed(ClientConnection connection, Commit commit) {
        Map<Integer, List<Commit.Consumed>> byConsumer = new LinkedHashMap<>();
        for (Commit.Consumed c : commit.consumed()) {
            byConsumer.computeIfAbsent(c.consumerId(), id -> new ArrayList<>()).add(c);
        }
        List<Consumed> out = new ArrayList<>(byConsumer.size());
        for (var e : byConsumer.entrySet()) {
            ServerConsumer consumer = connection.consumer(e.getKey());
            if (consumer == null) {
                // its deliveries went back to the destination when it closed: they can no longer be consumed here
                throw new ProtocolException(ErrorCode.TRANSACTION_ROLLED_BACK,
                        "consumer " + e.getKey() + " is closed; its messages were returned");
            }
            int n = e.getValue().size();
            int[] partitions = new int[n];
            long[] offsets = new long[n];
            for (int i = 0; i < n; i++) {
                partitions[i] = e.getValue().get(i).partition();
                offsets[i] = e.getValue().get(i).offset();
            }
            out.add(new Consumed(consumer, new Ack(e.getKey(), Ack.CONSUMED, partitions, offsets)));
        }
        return out;
    }

    /** Picks each batch's partition as PRODUCE does and notes where its log ends now. */
    private static List<Routed> route(Commit commit, List<Buffer> batches, List<Future<Topic>> topics) {
        List<Routed> out = new ArrayList<>(commit.sends().size());
        for (int i = 0; i < commit.sends().size(); i++) {
            Commit.Send s = commit.sends().get(i);
            Topic topic = topics.get(i).result();
            Buffer batch = batches.get(i);
            Partition partition = topic.partitionFor(s.partition(), batch);
            if (partition == null) {
                throw new ProtocolException(ErrorCode.INVALID_DESTINATION, "partition " + s.partition()
                        + " does not exist in " + topic);
            }
            if (partition.isFenced()) {
                throw new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED, "partition " + topic + "-"
                        + partition.id() + " is fenced");
            }
            // Read off the partition's context: both only grow, so a stale value is still a lower bound. A
            // replicated partition's log end may be cut back by its next leader, its high watermark never is.
            long lowerBound = partition.replication() != null ? partition.visibleEnd() : partition.logEndOffset();
            out.add(new Routed(partition, new TxRecord.Batch(s.kind(), s.destination(), partition.id(), lowerBound,
                    batch)));
        }
        return out;
    }
}
