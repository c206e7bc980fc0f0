package io.heraldmq.server.subscription;

import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.meta.Position;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.replication.PartitionReplica;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A subscription to a topic (or a queue's implicit one): one {@link PartitionSubscription} per partition, a filter,
 * and whether its position is durable. Durable subscriptions (queues, durable topic subscriptions) commit their
 * positions to the metadata store; non-durable ones live only as long as their consumers.
 */
public final class Subscription {
    /** Where a subscription with no stored position starts. */
    public enum Start { LOG_START, LOG_END }

    private final String id;
    private final Topic topic;
    private final boolean durable;
    private final MessageFilter filter;
    private final MetaStore meta;
    private final DeadLetters deadLetters;
    private final Runnable onLastConsumerGone;
    private final PartitionSubscription[] parts;
    private final HeldDeliveries held;
    private final AtomicInteger consumers = new AtomicInteger();
    /** Read by each partition's retention check; administration may change it. */
    private volatile long retentionMs;

    private Subscription(String id, Topic topic, boolean durable, MessageFilter filter, MetaStore meta,
                         DeadLetters deadLetters, HeldDeliveries held, Runnable onLastConsumerGone) {
        this.held = held;
        this.id = id;
        this.topic = topic;
        this.durable = durable;
        this.filter = filter;
        this.meta = meta;
        this.deadLetters = deadLetters;
        this.onLastConsumerGone = onLastConsumerGone;
        this.parts = new PartitionSubscription[topic.partitions().size()];
    }

    /**
     * Opens a subscription at its stored positions, or at {@code start} in partitions it has none for.
     *
     * @param held               the deliveries prepared XA branches hold, which this subscription must skip
     * @param onLastConsumerGone called when the last consumer closes (non-durable subscriptions delete themselves)
     * @param retentionMs        how long the log keeps what this subscription has not acknowledged (when the
     *                           destination's limits alone would delete it)
     */
    public static Future<Subscription> open(String id, Topic topic, boolean durable, MessageFilter filter,
                                            Start start, MetaStore meta, DeadLetters deadLetters,
                                            HeldDeliveries held, Runnable onLastConsumerGone, long retentionMs) {
        Subscription s = new Subscription(id, topic, durable, filter, meta, deadLetters, held, onLastConsumerGone);
        s.retentionMs = retentionMs;
        Future<Map<Integer, Position>> stored = deadLetters.policy(topic).compose(policy ->
                durable ? meta.loadPositions(id) : Future.succeededFuture(Map.of()));
        AtomicBoolean startRecorded = new AtomicBoolean();
        List<Future<Void>> replicated = new java.util.concurrent.CopyOnWriteArrayList<>();
        return stored.compose(positions -> {
            List<Future<Void>> opened = new ArrayList<>();
            for (Partition p : topic.partitions()) {
                Promise<Void> done = Promise.promise();
                p.run(() -> {
                    Position pos = positions.get(p.id());
                    if (pos == null) {
                        long at = start == Start.LOG_START ? p.logStartOffset() : p.visibleEnd();
                        pos = new Position(at, new long[0]);
                        if (durable) {
                            // Recorded now so that a restart resumes here, not at a later log end; and, in a
                            // cluster, committed in the log so that a new leader resumes here too.
                            meta.commitPosition(id, p.id(), pos);
                            startRecorded.set(true);
                            PartitionReplica replica = p.replication();
                            if (replica != null) {
                                replicated.add(replica.appendMetadata(
                                        new io.heraldmq.server.replication.ControlRecord.PositionChange(id, pos)));
                            }
                        }
                    }
                    PartitionSubscription ps = new PartitionSubscription(s, p, pos, held);
                    s.parts[p.id()] = ps;
                    p.addListener(ps);
                    done.complete();
                });
                opened.add(done.future());
            }
            // A new durable subscription exists for the client once this completes: its start must survive a
            // crash, or a restart would begin it again at a later log end and lose what was sent in between.
            return Future.all(opened)
                    .compose(v -> startRecorded.get() ? meta.syncPositions() : Future.succeededFuture())
                    .compose(v -> Future.all(replicated))
                    .map(s);
        });
    }

    public String id() {
        return id;
    }

    public Topic topic() {
        return topic;
    }

    /** Whether its position is kept in the metadata store (queues, durable topic subscriptions). */
    public boolean durable() {
        return durable;
    }

    /** A queue's implicit subscription: priorities, message groups and per-consumer selectors apply. */
    boolean queue() {
        return topic.isQueue();
    }

    MessageFilter filter() {
        return filter;
    }

    /** How long the log keeps what this subscription has not acknowledged. */
    public long retentionMs() {
        return retentionMs;
    }

    /** Changes {@link #retentionMs()}; the partitions' next retention checks apply it. */
    public void retention(long newRetentionMs) {
        retentionMs = newRetentionMs;
    }

    public int consumerCount() {
        return consumers.get();
    }

    /** Redelivery delay, delivery limit and dead letter queue of the subscription's destination. */
    public RedeliveryPolicy redelivery() {
        return deadLetters.current(topic);
    }

    /**
     * Stores a dead-letter copy of a record of this subscription (see {@link DeadLetters#write}); the future
     * completes on the dead letter queue's partition context.
     */
    Future<Void> deadLetter(Buffer record, int deliveries, String reason) {
        try {
            return deadLetters.write(topic, redelivery(), record, deliveries, reason);
        } catch (RuntimeException e) {
            return Future.failedFuture(e); // a failure, not a record left half dead-lettered
        }
    }

    void commit(int partition, Position position) {
        commit(partition, position, true);
    }

    /**
     * Stores the position; in a replicated partition also sends it to the followers (coalesced), except when
     * {@code replicate} is false: the settling of control records, which would otherwise write a control record
     * for every one it settles, forever. A new leader settles those again as it reads them.
     */
    void commit(int partition, Position position, boolean replicate) {
        meta.commitPosition(id, partition, position);
        if (replicate) {
            PartitionReplica replica = topic.partitions().get(partition).replication();
            if (replica != null) {
                replica.positionChanged(id, position);
            }
        }
    }

    /**
     * Attaches a consumer to every partition with {@code credit} messages of credit in each.
     *
     * @param out where the consumer's DELIVER frames go (thread-safe)
     */
    public Future<ServerConsumer> attach(int consumerId, Function<Buffer, Future<Void>> out, int credit) {
        return attach(consumerId, out, credit, MessageFilter.ALL);
    }

    /**
     * Attaches a consumer with a selector of its own (queue consumers): it is sent only records {@code filter}
     * accepts; records no consumer accepts stay in the queue.
     */
    public Future<ServerConsumer> attach(int consumerId, Function<Buffer, Future<Void>> out, int credit, MessageFilter filter) {
        return attach(consumerId, out, credit, filter, consumer -> { });
    }

    /**
     * As {@link #attach(int, Function, int, MessageFilter)}, telling {@code made} of the consumer, on the caller's
     * thread, before any partition may deliver to it: its handler registers it there, so that a request naming it
     * (a COMMIT of its first delivery, a CREDIT) finds it however soon it comes.
     */
    public Future<ServerConsumer> attach(int consumerId, Function<Buffer, Future<Void>> out, int credit,
                                         MessageFilter filter, Consumer<ServerConsumer> made) {
        consumers.incrementAndGet();
        topic.consumerAttached();
        return link(new ServerConsumer(consumerId, this, out, parts.length, false), credit, filter, false, made);
    }

    /**
     * Attaches a queue browser: each partition is read on a private cursor from the queue's committed position to
     * the log end of now, without consuming; after the last message an empty DELIVER marks the end. {@code made}
     * as for {@link #attach(int, Function, int, MessageFilter, Consumer)}.
     */
    public Future<ServerConsumer> browse(int consumerId, Function<Buffer, Future<Void>> out, int credit,
                                         MessageFilter filter, Consumer<ServerConsumer> made) {
        return link(new ServerConsumer(consumerId, this, out, parts.length, true), credit, filter, true, made);
    }

    private Future<ServerConsumer> link(ServerConsumer consumer, int credit, MessageFilter filter, boolean browse,
                                        Consumer<ServerConsumer> made) {
        made.accept(consumer);
        List<Future<Void>> attached = new ArrayList<>();
        for (PartitionSubscription ps : parts) {
            ConsumerLink link = new ConsumerLink(consumer, ps, credit, filter);
            consumer.link(ps.partition().id(), link);
            Promise<Void> done = Promise.promise();
            ps.partition().run(() -> {
                if (browse) {
                    ps.attachBrowser(link);
                } else {
                    ps.attach(link);
                }
                done.complete();
            });
            attached.add(done.future());
        }
        return Future.all(attached).map(consumer);
    }

    Future<Void> consumerClosed() {
        topic.consumerDetached();
        if (consumers.decrementAndGet() == 0) {
            onLastConsumerGone.run();
        }
        return Future.succeededFuture();
    }

    /** Messages behind in each partition, by partition id; each is read on its partition's context. */
    public Future<long[]> backlog() {
        long[] out = new long[parts.length];
        List<Future<Void>> read = new ArrayList<>();
        for (PartitionSubscription ps : parts) {
            Promise<Void> done = Promise.promise();
            ps.partition().run(() -> {
                out[ps.partition().id()] = ps.backlog();
                done.complete();
            });
            read.add(done.future());
        }
        return Future.all(read).map(out);
    }

    /**
     * Messages skipped because they expired before delivery, summed over partitions (each read on its context).
     * Counted in memory since this subscription was opened: a restart, or a seek that reopens it, starts again at 0.
     */
    public Future<Long> expired() {
        long[] out = new long[parts.length];
        List<Future<Void>> read = new ArrayList<>();
        for (PartitionSubscription ps : parts) {
            Promise<Void> done = Promise.promise();
            ps.partition().run(() -> {
                out[ps.partition().id()] = ps.expired();
                done.complete();
            });
            read.add(done.future());
        }
        return Future.all(read).map(v -> {
            long sum = 0;
            for (long n : out) {
                sum += n;
            }
            return sum;
        });
    }

    /**
     * The branch that held these offsets of one partition committed ({@code commit}) or rolled back: they are
     * settled, or come again counted.
     *
     * @return completes on the partition's context once done
     */
    public Future<Void> endHold(int partition, long[] offsets, boolean commit) {
        PartitionSubscription ps = parts[partition];
        Promise<Void> done = Promise.promise();
        ps.partition().run(() -> {
            for (long offset : offsets) {
                if (commit) {
                    ps.settleHeld(offset);
                } else {
                    ps.releaseHeld(offset);
                }
            }
            done.complete();
        });
        return done.future();
    }

    /** Stops dispatch in every partition; the stored position (if durable) stays. */
    public Future<Void> close() {
        List<Future<Void>> closed = new ArrayList<>();
        for (PartitionSubscription ps : parts) {
            if (ps == null) {
                continue;
            }
            Promise<Void> done = Promise.promise();
            ps.partition().run(() -> {
                ps.close();
                done.complete();
            });
            closed.add(done.future());
        }
        return Future.all(closed).mapEmpty();
    }
}
