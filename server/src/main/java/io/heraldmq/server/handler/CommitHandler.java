package io.heraldmq.server.handler;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.log.DiskSpaceMonitor;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.security.ConnectionAccess;
import io.heraldmq.server.security.Permission;
import io.heraldmq.server.security.UserIdStamp;
import io.heraldmq.server.subscription.ServerConsumer;
import io.heraldmq.server.tx.TransactionLog;
import io.heraldmq.server.tx.TxRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * COMMIT: applies a transaction's sends and consumed acks as one unit. First everything that can refuse it is
 * checked (batch structure, CRC and transaction identity, message sizes, disk space, consumers, destinations, which
 * are created as PRODUCE creates them, and partitions): a refusal then leaves nothing applied. Then the whole
 * transaction goes to the {@link TransactionLog} and is fsynced: from here it is committed, a crash is finished at
 * the next start. Then it is applied: batches appended on their partitions' contexts in order (waiting for the
 * flush policy's durability, so the checkpoint can pass them), acks settled as an ACK would; then OK.
 * <p>
 * A failure after the journal write cannot be undone; it is answered with INTERNAL (the client reports the outcome
 * as unknown) and the transaction is finished at the next start.
 * <p>
 * Permissions are part of the first checks: {@code send} on every destination the transaction sends to, and
 * {@code createDestination} on those that do not exist yet; a refusal (NOT_AUTHORIZED, which the client's commit
 * reports as TransactionRolledBackException caused by a JMSSecurityException) applies nothing. With JMSXUserID
 * populated, batches not stamped with the user are rewritten first ({@link UserIdStamp}).
 */
public final class CommitHandler implements RequestHandler {
    private static final Logger LOG = Logger.getLogger(CommitHandler.class.getName());

    private final AutoCreation destinations;
    private final int maxMessageBytes;
    private final DiskSpaceMonitor disk;
    private final TransactionLog txLog;

    public CommitHandler(AutoCreation destinations, int maxMessageBytes, DiskSpaceMonitor disk,
                         TransactionLog txLog) {
        this.destinations = destinations;
        this.maxMessageBytes = maxMessageBytes;
        this.disk = disk;
        this.txLog = txLog;
    }

    /** One batch and the partition it goes to. */
    private record Routed(Partition partition, TxRecord.Batch batch) {
    }

    /** The consumed deliveries of one consumer. */
    private record Consumed(ServerConsumer consumer, Ack ack) {
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Commit commit = Commit.decode(frame.body());
        int correlationId = frame.correlationId();
        for (Commit.Send s : commit.sends()) {
            RecordBatch.validate(s.batch(), maxMessageBytes);
            if (!RecordBatch.belongsTo(s.batch(), 0, commit.producerId(), commit.sequence())) {
                throw new ProtocolException("a COMMIT batch does not carry the transaction's producer id and sequence");
            }
        }
        String diskFull = disk.refusal();
        if (diskFull != null) {
            connection.replyError(correlationId, ErrorCode.RESOURCE_EXHAUSTED, diskFull);
            return;
        }
        ConnectionAccess access = connection.access();
        List<Buffer> batches = new ArrayList<>(commit.sends().size());
        for (Commit.Send s : commit.sends()) {
            access.check(Permission.SEND, s.kind(), s.destination());
        }
        for (Commit.Send s : commit.sends()) {
            batches.add(access.stampsUserId() ? UserIdStamp.apply(s.batch(), access.user()) : s.batch());
        }
        List<Consumed> consumed = consumed(connection, correlationId, commit);
        if (consumed == null) {
            return;
        }
        List<Future<Topic>> topics = new ArrayList<>();
        for (Commit.Send s : commit.sends()) {
            topics.add(destinations.get(connection, s.kind(), s.destination()));
        }
        Future.all(topics).onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
                return;
            }
            List<Routed> routed = route(connection, correlationId, commit, batches, topics);
            if (routed != null) {
                journalAndApply(connection, correlationId, commit, routed, consumed);
            }
        }));
    }

    /** The consumers whose deliveries the transaction consumed, or null after refusing it. */
    private static List<Consumed> consumed(ClientConnection connection, int correlationId, Commit commit) {
        Map<Integer, List<Commit.Consumed>> byConsumer = new LinkedHashMap<>();
        for (Commit.Consumed c : commit.consumed()) {
            byConsumer.computeIfAbsent(c.consumerId(), id -> new ArrayList<>()).add(c);
        }
        List<Consumed> out = new ArrayList<>(byConsumer.size());
        for (var e : byConsumer.entrySet()) {
            ServerConsumer consumer = connection.consumer(e.getKey());
            if (consumer == null) {
                // its deliveries went back to the destination when it closed: they can no longer be consumed here
                connection.replyError(correlationId, ErrorCode.TRANSACTION_ROLLED_BACK,
                        "consumer " + e.getKey() + " is closed; its messages were returned");
                return null;
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

    /** Picks each batch's partition as PRODUCE does and notes where its log ends now; null after refusing. */
    private static List<Routed> route(ClientConnection connection, int correlationId, Commit commit,
                                      List<Buffer> batches, List<Future<Topic>> destinations) {
        List<Routed> out = new ArrayList<>(commit.sends().size());
        for (int i = 0; i < commit.sends().size(); i++) {
            Commit.Send s = commit.sends().get(i);
            Topic topic = destinations.get(i).result();
            Buffer batch = batches.get(i);
            Partition partition = topic.partitionFor(s.partition(), batch);
            if (partition == null) {
                connection.replyError(correlationId, ErrorCode.INVALID_DESTINATION, "partition " + s.partition()
                        + " does not exist in " + topic);
                return null;
            }
            if (partition.isFenced()) {
                connection.replyError(correlationId, ErrorCode.RESOURCE_EXHAUSTED, "partition " + topic + "-"
                        + partition.id() + " is fenced");
                return null;
            }
            // Read off the partition's context: the log end only grows, so a stale value is still a lower bound.
            out.add(new Routed(partition, new TxRecord.Batch(s.kind(), s.destination(), partition.id(),
                    partition.logEndOffset(), batch)));
        }
        return out;
    }

    private void journalAndApply(ClientConnection connection, int correlationId, Commit commit, List<Routed> routed,
                                 List<Consumed> consumed) {
        List<TxRecord.Batch> batches = new ArrayList<>(routed.size());
        int bytes = 0;
        for (Routed r : routed) {
            batches.add(r.batch());
            bytes += r.batch().batch().length();
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
        int total = bytes;
        connection.producing(total);
        txLog.journal(new TxRecord(0, commit.producerId(), commit.sequence(), batches, acks)).onComplete(journaled -> {
            if (journaled.failed()) {
                connection.produced(total);
                connection.replyError(correlationId, ErrorCode.RESOURCE_EXHAUSTED,
                        "the transaction could not be written to the transaction journal: "
                                + journaled.cause().getMessage());
                return;
            }
            long index = journaled.result();
            List<Future<?>> applied = new ArrayList<>();
            for (Routed r : routed) {
                Promise<Long> appended = Promise.promise();
                Partition p = r.partition();
                // run() keeps submission order per partition: the transaction's batches land in journal order,
                // which recovery relies on
                p.run(() -> p.append(r.batch().batch(), true).onComplete(appended));
                applied.add(appended.future());
            }
            for (Consumed c : consumed) {
                applied.add(c.consumer().settle(c.ack()));
            }
            Future.all(applied).onComplete(done -> {
                connection.produced(total);
                if (done.succeeded()) {
                    txLog.applied(index);
                    connection.send(Ok.encode(correlationId));
                } else {
                    LOG.log(Level.WARNING, "transaction " + index + " is journaled but could not be applied; the next"
                            + " start applies it", done.cause());
                    connection.replyError(correlationId, ErrorCode.INTERNAL, "the transaction is committed but "
                            + "could not be applied yet (" + done.cause().getMessage() + "); the broker applies it "
                            + "when it restarts");
                }
            });
        });
    }
}
