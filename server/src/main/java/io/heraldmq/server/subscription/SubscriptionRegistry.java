package io.heraldmq.server.subscription;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.cluster.ClusterDurableNames;
import io.heraldmq.server.log.RetentionHold;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.meta.Position;
import io.heraldmq.server.meta.SubscriptionRecord;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The subscriptions that several consumers can share or that outlive their consumers: queues' implicit subscriptions,
 * durable and shared topic subscriptions. A subscription is opened once, on first use, at its stored position.
 * Durable subscriptions' definitions (topic, selector, noLocal) are stored in the metadata store when created, so
 * that after a restart a consumer asking for another definition replaces the subscription, as JMS requires, rather
 * than resuming it. Safe from any context.
 */
public final class SubscriptionRegistry {
    private final MetaStore meta;
    private final DeadLetters deadLetters;
    /** The deliveries prepared XA branches hold; every subscription skips them. */
    private final HeldDeliveries held = new HeldDeliveries();
    private final Map<String, Future<Subscription>> open = new ConcurrentHashMap<>();
    /** Definitions of durable subscriptions (stored) and shared non-durable ones (while they exist), by id. */
    private final Map<String, SubscriptionRecord> definitions = new ConcurrentHashMap<>();
    /** Private subscriptions of non-durable topic consumers, by id, for administration to list. */
    private final Map<String, Subscription> nonDurable = new ConcurrentHashMap<>();
    /**
     * Positions stored when the broker started, by subscription id and partition: what durable subscriptions and
     * queues that nobody has opened since keep of the log against retention ({@link #closedHolds}). Read once at
     * start-up rather than from the metadata store at every retention check, which runs on a partition's context
     * and must not wait for JDBC. Never updated: an open subscription gives its live position instead, and a
     * stored one that is older only keeps more for the short time a subscription is reopened.
     */
    private final Map<String, Map<Integer, Position>> startPositions = new ConcurrentHashMap<>();
    /**
     * Clustered: sends a durable subscription's creation, change or deletion with its topic's log (to the other
     * replicas), completing once committed there; null on a single node.
     */
    private volatile Function<DefinitionChange, Future<Void>> replicator;
    /** Clustered: durable subscription names in use on each broker; null on a single node. */
    private volatile ClusterDurableNames clusterNames;

    /** A durable subscription created or changed ({@code record} set) or deleted ({@code record} null). */
    public record DefinitionChange(String topic, String id, SubscriptionRecord record) {
    }
    private final long defaultRetentionMs;

    /**
     * @param defaultRetentionMs retention of subscriptions that have none of their own: queues', non-durable ones,
     *                           and durable ones until administration sets theirs
     */
    public SubscriptionRegistry(MetaStore meta, DeadLetters deadLetters, long defaultRetentionMs) {
        this.meta = meta;
        this.deadLetters = deadLetters;
        this.defaultRetentionMs = defaultRetentionMs;
    }

    /** The deliveries prepared XA branches hold. */
    public HeldDeliveries held() {
        return held;
    }

    /**
     * The destination a durable subscription (a queue's or a durable topic subscription) reads, by id: for ending the
     * holds of a prepared branch found in the journal, which names subscriptions only. Null if there is no such
     * durable subscription (deleted since).
     */
    public DestinationRef destinationOf(String id) {
        if (id.startsWith("queue:")) {
            return new DestinationRef(DestinationKind.QUEUE, id.substring("queue:".length()));
        }
        SubscriptionRecord r = definitions.get(id);
        return r != null && r.durable() ? new DestinationRef(DestinationKind.TOPIC, r.topic()) : null;
    }

    /** A destination by kind and name. */
    public record DestinationRef(DestinationKind kind, String name) {
    }

    /**
     * The subscription with this id, opened if it is a durable one that nobody has open (its dispatcher is then idle
     * until a consumer attaches): where a prepared XA branch's held deliveries are settled or released, through the
     * subscription's own position, so that nothing else writes that position meanwhile.
     *
     * @return null if there is no such subscription any more (a non-durable one that ended, a deleted one)
     */
    public Future<Subscription> openForHolds(String id, Topic topic) {
        Future<Subscription> f = opened(id);
        if (f != null) {
            return f;
        }
        if (id.equals(queueId(topic.name())) && topic.isQueue()) {
            return queue(topic);
        }
        SubscriptionRecord r = definitions.get(id);
        if (r == null || !r.durable() || !r.topic().equals(topic.name()) || topic.isQueue()) {
            return null;
        }
        // Without noLocal: an idle dispatcher filters nothing, and the first consumer with noLocal reopens it.
        return open.computeIfAbsent(id, k -> Subscription.open(k, topic, true,
                MessageFilters.create(r.selector(), null), Subscription.Start.LOG_START, meta, deadLetters, held,
                () -> lastConsumerGone(k, topic), retentionFor(k)));
    }

    /** Id of an unshared durable subscription: client id and name. */
    public static String durableId(String clientId, String name) {
        return "durable:" + clientId + ":" + name;
    }

    /** Id of a shared durable subscription: client id (empty if not set) and name. */
    public static String sharedDurableId(String clientId, String name) {
        return "shared-durable:" + (clientId == null ? "" : clientId) + ":" + name;
    }

    /** Id of a shared non-durable subscription: client id (empty if not set) and name. */
    public static String sharedId(String clientId, String name) {
        return "shared:" + (clientId == null ? "" : clientId) + ":" + name;
    }

    /**
     * Reads the stored durable subscription definitions and every stored position; call once at start-up, before
     * the destinations open (their retention checks ask {@link #closedHolds}).
     */
    public Future<Void> load() {
        return meta.loadSubscriptions().compose(records -> {
            for (SubscriptionRecord r : records) {
                definitions.put(r.id(), r);
            }
            return loadPositions();
        });
    }

    /** Reads the stored positions again, e.g. after transaction recovery settled acks into them. */
    public Future<Void> loadPositions() {
        return meta.loadAllPositions().map(positions -> {
            startPositions.putAll(positions);
            return null;
        });
    }

    /**
     * What the subscriptions of a destination that are not open keep of one partition's log against retention:
     * a queue's implicit subscription (from its stored position, or all of the log if it has none: it would start
     * at the log start) and the durable subscriptions of a topic, from the positions stored at start-up. Open
     * subscriptions give their own holds on the partition. Runs on the partition's context; reads memory only.
     */
    public List<RetentionHold> closedHolds(DestinationKind kind, String destination, int partition) {
        if (kind.isQueue()) {
            String id = queueId(destination);
            if (isOpen(id)) {
                return List.of();
            }
            Position stored = startPosition(id, partition);
            return List.of(new RetentionHold(stored == null ? 0 : stored.committedOffset(), defaultRetentionMs));
        }
        List<RetentionHold> holds = new ArrayList<>();
        for (SubscriptionRecord r : definitions.values()) {
            if (r.durable() && r.topic().equals(destination) && !isOpen(r.id())) {
                // Without a stored position in this partition it would start at the log end: it needs nothing.
                Position stored = startPosition(r.id(), partition);
                if (stored != null) {
                    holds.add(new RetentionHold(stored.committedOffset(), retentionOf(r)));
                }
            }
        }
        return holds;
    }

    private boolean isOpen(String id) {
        Future<Subscription> f = open.get(id);
        return f != null && f.succeeded();
    }

    private Position startPosition(String id, int partition) {
        Map<Integer, Position> positions = startPositions.get(id);
        return positions == null ? null : positions.get(partition);
    }

    /** The retention of the subscription with this id (its own if it is durable, else the default). */
    public long retentionFor(String id) {
        SubscriptionRecord r = definitions.get(id);
        return r != null && r.durable() ? retentionOf(r) : defaultRetentionMs;
    }

    /** Stored definitions made before subscriptions had a retention of their own say -1: the default. */
    private long retentionOf(SubscriptionRecord r) {
        return r.retentionMs() > 0 ? r.retentionMs() : defaultRetentionMs;
    }

    private static SubscriptionRecord withRetention(SubscriptionRecord r, long retentionMs) {
        return new SubscriptionRecord(r.id(), r.topic(), r.name(), r.clientId(), r.durable(), r.shared(),
                r.selector(), r.noLocal(), retentionMs, r.createdAt());
    }

    /**
     * Sets the retention of a durable subscription of {@code topic}, named by its id or, if that is unambiguous, by
     * its subscription name: stored, and applied to the open subscription at once (from the next retention check).
     *
     * @return the subscription's id; fails with INVALID_DESTINATION if the topic has no such durable subscription,
     *         INVALID_ARGUMENT if it is not durable or the name is ambiguous
     */
    public Future<String> setRetention(String topic, String subscription, long retentionMs) {
        if (retentionMs < 1) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_ARGUMENT,
                    "a subscription's retention must be positive, was " + retentionMs + " ms"));
        }
        SubscriptionRecord r;
        try {
            r = durableOf(topic, subscription);
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
        SubscriptionRecord updated = withRetention(r, retentionMs);
        if (!definitions.replace(r.id(), r, updated)) {
            return illegalState("subscription '" + r.id() + "' changed meanwhile; try again");
        }
        return meta.saveSubscription(updated)
                .compose(v -> replicate(new DefinitionChange(updated.topic(), updated.id(), updated))).map(v -> {
            Future<Subscription> f = open.get(r.id());
            if (f != null) {
                f.onSuccess(s -> s.retention(retentionMs));
            }
            return r.id();
        });
    }

    private SubscriptionRecord durableOf(String topic, String subscription) {
        SubscriptionRecord byId = definitions.get(subscription);
        if (byId != null) {
            if (!byId.durable()) {
                throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "subscription '" + subscription + "' is not"
                        + " durable: it lives only while it has consumers and keeps the default retention");
            }
            if (!byId.topic().equals(topic)) {
                throw new ProtocolException(ErrorCode.INVALID_DESTINATION, "subscription '" + subscription
                        + "' is a subscription of topic '" + byId.topic() + "', not of '" + topic + "'");
            }
            return byId;
        }
        if (subscription.startsWith("queue:")) {
            throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "a queue's own subscription keeps the broker's"
                    + " subscription.retention.ms; set the queue's retention instead");
        }
        List<SubscriptionRecord> named = new ArrayList<>();
        for (SubscriptionRecord r : definitions.values()) {
            if (r.durable() && r.topic().equals(topic) && r.name().equals(subscription)) {
                named.add(r);
            }
        }
        if (named.size() > 1) {
            throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "topic '" + topic + "' has "
                    + named.size() + " durable subscriptions named '" + subscription + "' ("
                    + named.stream().map(SubscriptionRecord::id).sorted().toList() + "); give the id");
        }
        if (named.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_DESTINATION, "topic '" + topic + "' has no durable"
                    + " subscription '" + subscription + "'");
        }
        return named.get(0);
    }

    /** The implicit subscription of a queue: competing consumers, starting at the oldest message. */
    public Future<Subscription> queue(Topic queue) {
        String id = queueId(queue.name());
        return open.computeIfAbsent(id, k -> Subscription.open(k, queue, true, MessageFilter.ALL,
                Subscription.Start.LOG_START, meta, deadLetters, held, () -> { }, retentionFor(k)));
    }

    /**
     * The implicit subscription of a temporary queue: like a queue's, but its position is never stored (the queue
     * does not outlive its connection). Closed by {@link #closeTemporaryQueue}.
     */
    public Future<Subscription> temporaryQueue(Topic queue) {
        return open.computeIfAbsent(temporaryQueueId(queue.name()), k -> Subscription.open(k, queue, false,
                MessageFilter.ALL, Subscription.Start.LOG_START, meta, deadLetters, held, () -> { }, retentionFor(k)));
    }

    /** Stops the implicit subscription of a deleted temporary queue. */
    public Future<Void> closeTemporaryQueue(String name) {
        Future<Subscription> f = open.remove(temporaryQueueId(name));
        return f == null ? Future.succeededFuture() : f.compose(Subscription::close, e -> Future.succeededFuture());
    }

    private static String temporaryQueueId(String name) {
        return "temp-queue:" + name;
    }

    /**
     * A durable topic subscription (unshared or shared, as {@code wanted} says): starts at the log end when new,
     * keeps its position while nobody consumes. If it exists with another topic, selector or noLocal, it is
     * deleted and created anew (JMS: equivalent to unsubscribing and subscribing again) unless a consumer is active
     * on it, which is ILLEGAL_STATE (SUBSCRIPTION_CONFLICT for a shared one: a plain JMSException on the client, as
     * the specification and Artemis have it); so is a second consumer on an unshared one, and a name that the other
     * kind of durable subscription of this client id already uses (SUBSCRIPTION_CONFLICT when a shared one is wanted).
     */
    public Future<Subscription> durable(Topic topic, SubscriptionRecord wanted, MessageFilter filter) {
        ClusterDurableNames names = clusterNames;
        if (names == null) {
            return durableHere(topic, wanted, filter);
        }
        // Another broker may have the name open on another topic: this broker cannot see its consumers.
        String id = wanted.id();
        return names.inUseOnOtherTopic(id, wanted.topic()).compose(other -> other == null
                ? durableHere(topic, wanted, filter)
                : Future.<Subscription>failedFuture(new ProtocolException(conflict(wanted), "durable subscription '"
                        + wanted.name() + "' has an active consumer on topic '" + other + "'; it cannot change its"
                        + " topic now")))
                .compose(sub -> names.inUse(id, wanted.topic()).map(sub));
    }

    /**
     * A durable subscription's (or a queue's) last consumer here closed: in a cluster its name is free for other
     * topics again. Every open of a durable subscription passes this, whoever opened it first.
     */
    private void lastConsumerGone(String id, Topic topic) {
        ClusterDurableNames names = clusterNames;
        if (names != null) {
            names.unused(id, topic.name());
        }
    }

    /**
     * Clustered brokers: a durable subscription name in use on one topic is refused on another cluster-wide
     * ({@link ClusterDurableNames}), not only on this broker.
     */
    public void checkNamesInCluster(ClusterDurableNames names) {
        this.clusterNames = names;
    }

    private Future<Subscription> durableHere(Topic topic, SubscriptionRecord wanted, MessageFilter filter) {
        String id = wanted.id();
        String other = wanted.shared() ? durableId(wanted.clientId(), wanted.name())
                : sharedDurableId(wanted.clientId(), wanted.name());
        if (definitions.containsKey(other)) {
            return Future.failedFuture(new ProtocolException(conflict(wanted), "a " + (wanted.shared() ? "non-shared"
                    : "shared") + " durable subscription named '" + wanted.name()
                    + "' already exists for this client id"));
        }
        SubscriptionRecord stored = definitions.get(id);
        Future<Subscription> subscription;
        if (stored != null && sameDefinition(stored, wanted)) {
            Future<Subscription> current = open.get(id);
            if (current != null && wanted.noLocal() && !wanted.shared()) {
                // Its noLocal filter names the connection that opened it; an idle one is reopened (at its stored
                // position) so that the filter names this connection. An active one is refused below anyway.
                subscription = current.transform(ar -> {
                    if (ar.succeeded() && ar.result().consumerCount() > 0) {
                        return current;
                    }
                    open.remove(id, current);
                    Future<Void> closed = ar.succeeded() ? ar.result().close() : Future.succeededFuture();
                    return closed.compose(v -> open.computeIfAbsent(id,
                            k -> Subscription.open(k, topic, true, filter, Subscription.Start.LOG_START, meta,
                                    deadLetters, held, () -> lastConsumerGone(k, topic), retentionFor(k))));
                });
            } else {
                // An existing subscription resumes at its stored positions. A partition without one (its start was
                // lost, or the partition is younger than the subscription) starts at the log start: a redelivery
                // can be told apart by the application, a loss cannot.
                subscription = open.computeIfAbsent(id, k -> Subscription.open(k, topic, true, filter,
                        Subscription.Start.LOG_START, meta, deadLetters, held, () -> lastConsumerGone(k, topic),
                        retentionFor(k)));
            }
        } else {
            Future<Void> cleared = stored == null ? Future.succeededFuture() : deleteIfIdle(id,
                    "durable subscription '" + wanted.name() + "' has an active consumer; it cannot change its"
                            + " topic, selector or noLocal setting now", conflict(wanted));
            // A new durable subscription keeps the broker's default retention until administration changes it.
            SubscriptionRecord created = wanted.retentionMs() > 0 ? wanted : withRetention(wanted,
                    defaultRetentionMs);
            subscription = cleared.compose(v -> {
                definitions.put(id, created);
                return meta.saveSubscription(created);
            }).compose(v -> replicate(new DefinitionChange(created.topic(), id, created))).compose(v -> open.computeIfAbsent(id, k -> Subscription.open(k, topic, true, filter,
                    Subscription.Start.LOG_END, meta, deadLetters, held, () -> lastConsumerGone(k, topic),
                    retentionFor(k))));
        }
        if (wanted.shared()) {
            return subscription;
        }
        return subscription.compose(s -> s.consumerCount() > 0 ? illegalState("durable subscription '"
                + wanted.name() + "' already has an active consumer and is not shared") : Future.succeededFuture(s));
    }

    /**
     * A shared non-durable topic subscription: exists while it has consumers. Another definition while it exists
     * (so while it has consumers) is ILLEGAL_STATE.
     */
    public Future<Subscription> sharedNonDurable(Topic topic, SubscriptionRecord wanted, MessageFilter filter) {
        String id = wanted.id();
        SubscriptionRecord stored = definitions.putIfAbsent(id, wanted);
        if (stored != null && !sameDefinition(stored, wanted)) {
            return illegalState("shared subscription '" + wanted.name() + "' has active consumers with another"
                    + " topic or selector");
        }
        return open.computeIfAbsent(id, k -> Subscription.open(k, topic, false, filter, Subscription.Start.LOG_END,
                meta, deadLetters, held, () -> remove(k), defaultRetentionMs));
    }

    /** A private subscription for one non-durable topic consumer. */
    public Future<Subscription> nonDurable(Topic topic, String id, MessageFilter filter) {
        AtomicReference<Subscription> self = new AtomicReference<>();
        return Subscription.open(id, topic, false, filter, Subscription.Start.LOG_END, meta, deadLetters, held, () -> {
            nonDurable.remove(id);
            self.get().close();
        }, defaultRetentionMs).onSuccess(s -> {
            self.set(s);
            nonDurable.put(id, s);
        });
    }

    /** The stored durable or live shared definition with this id, or null. */
    public SubscriptionRecord definition(String id) {
        return definitions.get(id);
    }

    /** Stored durable and live shared definitions, by id: a snapshot for administration. */
    public Map<String, SubscriptionRecord> definitions() {
        return Map.copyOf(definitions);
    }

    /** The open subscription with this id (durable, shared, queue or private non-durable), or null. */
    public Future<Subscription> opened(String id) {
        Future<Subscription> f = open.get(id);
        if (f != null) {
            return f;
        }
        Subscription s = nonDurable.get(id);
        return s == null ? null : Future.succeededFuture(s);
    }

    /** The private subscriptions of non-durable topic consumers: a snapshot for administration. */
    public List<Subscription> nonDurableSubscriptions() {
        return List.copyOf(nonDurable.values());
    }

    /** Id of a queue's implicit subscription. */
    public static String queueId(String queue) {
        return "queue:" + queue;
    }

    /**
     * Moves a durable subscription or a queue to new positions, as an administrator asks: refused with ILLEGAL_STATE
     * while a consumer is attached (a live move would have to recall deliveries in flight). The open subscription
     * is closed, the new positions are committed, and it is opened again from there; a consumer that subscribes
     * meanwhile waits for the reopened one. Records after the new position are delivered as new ones (delivery count
     * 1), as if never delivered, even when they were acknowledged before.
     *
     * @param target the new offset of a partition, or a future of null to leave that partition where it is
     * @return the partitions moved and their new offsets
     */
    public Future<Map<Integer, Long>> seek(String id, Topic topic, MessageFilter filter,
                                           Function<Partition, Future<Long>> target) {
        Future<Subscription> current = open.get(id);
        if (current != null && current.succeeded() && current.result().consumerCount() > 0) {
            return illegalState(activeSeekMessage(id));
        }
        Promise<Subscription> replacement = Promise.promise();
        Future<Subscription> previous = open.put(id, replacement.future());
        Future<Void> idle = previous == null ? Future.succeededFuture() : previous.transform(ar ->
                ar.succeeded() && ar.result().consumerCount() > 0 ? illegalState(activeSeekMessage(id))
                        : Future.succeededFuture());
        return idle.transform(check -> {
            if (check.failed()) {
                // Put the untouched subscription back; whoever waits on the replacement gets it too.
                open.replace(id, replacement.future(), previous);
                previous.onComplete(replacement);
                return Future.failedFuture(check.cause());
            }
            Future<Void> closed = previous == null ? Future.succeededFuture()
                    : previous.compose(Subscription::close, e -> Future.succeededFuture());
            Map<Integer, Long> moved = new TreeMap<>();
            Future<Void> committed = closed.compose(v -> {
                List<Future<Void>> targets = new ArrayList<>();
                for (Partition p : topic.partitions()) {
                    targets.add(target.apply(p).map(offset -> {
                        if (offset != null) {
                            synchronized (moved) {
                                moved.put(p.id(), offset);
                            }
                            meta.commitPosition(id, p.id(), new Position(offset));
                        }
                        return null;
                    }));
                }
                return Future.all(targets).mapEmpty();
            });
            return committed.transform(ar -> {
                Subscription.open(id, topic, true, filter, topic.isQueue() ? Subscription.Start.LOG_START
                        : Subscription.Start.LOG_END, meta, deadLetters, held, () -> lastConsumerGone(id, topic),
                        retentionFor(id))
                        .onComplete(replacement);
                return ar.succeeded() ? Future.succeededFuture(moved) : Future.failedFuture(ar.cause());
            });
        });
    }

    private static String activeSeekMessage(String id) {
        return "subscription '" + id + "' has an active consumer; close it before moving the subscription";
    }

    /**
     * Deletes a durable (or shared durable) subscription by id, as an administrator asks.
     *
     * @return fails with INVALID_DESTINATION if there is no such durable subscription, ILLEGAL_STATE if a consumer is
     *         active on it
     */
    public Future<Void> delete(String id) {
        SubscriptionRecord r = definitions.get(id);
        if (r == null || !r.durable()) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION,
                    "there is no durable subscription '" + id + "'" + (id.startsWith("queue:")
                            ? " (a queue's own subscription goes with the queue: delete the queue)" : "")));
        }
        return deleteIfIdle(id, "subscription '" + id + "' has an active consumer; close it before deleting it");
    }

    /**
     * Forgets every subscription of a destination that is being deleted: their dispatch stops and their
     * definitions go (the metadata store deletes their rows with the destination), consumers or not.
     */
    public Future<Void> forgetDestination(Topic destination) {
        List<Future<Void>> closed = new ArrayList<>();
        if (destination.isQueue()) {
            String id = queueId(destination.name());
            // a queue created again under this name starts a new log: the old position must not hold it
            startPositions.remove(id);
            Future<Subscription> f = open.remove(id);
            if (f != null) {
                closed.add(f.compose(Subscription::close, e -> Future.succeededFuture()));
            }
            closed.add(meta.deleteSubscription(id));
            return Future.join(closed).mapEmpty();
        }
        for (SubscriptionRecord r : List.copyOf(definitions.values())) {
            if (r.topic().equals(destination.name())) {
                definitions.remove(r.id());
                startPositions.remove(r.id());
                Future<Subscription> f = open.remove(r.id());
                if (f != null) {
                    closed.add(f.compose(Subscription::close, e -> Future.succeededFuture()));
                }
            }
        }
        for (Subscription s : List.copyOf(nonDurable.values())) {
            if (s.topic() == destination) {
                nonDurable.remove(s.id());
                closed.add(s.close());
            }
        }
        return Future.join(closed).mapEmpty();
    }

    /**
     * Deletes a durable subscription and its stored position ({@code Session.unsubscribe}): the client id's
     * unshared one of that name if there is one, else the shared one.
     *
     * @return fails with INVALID_DESTINATION if there is none, ILLEGAL_STATE if a consumer is active on it
     */
    public Future<Void> unsubscribe(String clientId, String name) {
        String id = null;
        if (clientId != null && definitions.containsKey(durableId(clientId, name))) {
            id = durableId(clientId, name);
        } else if (definitions.containsKey(sharedDurableId(clientId, name))) {
            id = sharedDurableId(clientId, name);
        }
        if (id == null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION,
                    "there is no durable subscription named '" + name + "'"
                            + (clientId == null ? "" : " for client id '" + clientId + "'")));
        }
        return deleteIfIdle(id, "durable subscription '" + name + "' has an active consumer; close it before"
                + " unsubscribing");
    }

    /** Deletes the subscription (definition, position, open dispatch) unless a consumer is active on it. */
    private Future<Void> deleteIfIdle(String id, String activeMessage) {
        return deleteIfIdle(id, activeMessage, ErrorCode.ILLEGAL_STATE);
    }

    /** @param whenActive the error when a consumer is active on it */
    private Future<Void> deleteIfIdle(String id, String activeMessage, ErrorCode whenActive) {
        Future<Subscription> current = open.get(id);
        Future<Void> idle = current == null ? Future.succeededFuture() : current.transform(ar ->
                ar.succeeded() && ar.result().consumerCount() > 0
                        ? Future.<Void>failedFuture(new ProtocolException(whenActive, activeMessage))
                        : Future.succeededFuture());
        return idle.compose(v -> {
            Future<Subscription> f = open.remove(id);
            SubscriptionRecord deleted = definitions.remove(id);
            if (deleted != null && deleted.durable()) {
                replicate(new DefinitionChange(deleted.topic(), id, null));
            }
            startPositions.remove(id);
            Future<Void> closed = f == null ? Future.succeededFuture()
                    : f.compose(Subscription::close, e -> Future.succeededFuture());
            // After the close, nothing commits a position for it any more; the delete drops buffered ones too.
            return closed.compose(x -> meta.deleteSubscription(id));
        });
    }

    /**
     * The error for a durable subscription that clashes with one in use: SUBSCRIPTION_CONFLICT (a plain JMSException on
     * the client, as the specification words it for createSharedDurableConsumer) when a shared one is wanted.
     */
    private static ErrorCode conflict(SubscriptionRecord wanted) {
        return wanted.shared() ? ErrorCode.SUBSCRIPTION_CONFLICT : ErrorCode.ILLEGAL_STATE;
    }

    private static boolean sameDefinition(SubscriptionRecord a, SubscriptionRecord b) {
        return a.topic().equals(b.topic()) && Objects.equals(blankToNull(a.selector()), blankToNull(b.selector()))
                && a.noLocal() == b.noLocal();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static <T> Future<T> illegalState(String message) {
        return Future.failedFuture(new ProtocolException(ErrorCode.ILLEGAL_STATE, message));
    }

    private void remove(String id) {
        definitions.remove(id);
        Future<Subscription> f = open.remove(id);
        if (f != null) {
            f.onSuccess(Subscription::close);
        }
    }

    /**
     * The topic of the durable subscription {@code Session.unsubscribe(name)} would delete for this client id (its
     * unshared one, else the shared one), or null if this broker knows none.
     */
    public String topicOfDurable(String clientId, String name) {
        SubscriptionRecord r = clientId == null ? null : definitions.get(durableId(clientId, name));
        if (r == null) {
            r = definitions.get(sharedDurableId(clientId, name));
        }
        return r == null ? null : r.topic();
    }

    /** Clustered brokers: definition changes travel with their topic's log through {@code replicator}. */
    public void replicateWith(Function<DefinitionChange, Future<Void>> replicator) {
        this.replicator = replicator;
    }

    private Future<Void> replicate(DefinitionChange change) {
        Function<DefinitionChange, Future<Void>> r = replicator;
        return r == null ? Future.succeededFuture() : r.apply(change);
    }

    /**
     * A follower learned of a committed definition change from its leader: stored here as well, so that this broker
     * has the subscription if it becomes the leader. Nothing is open for it here (followers serve no consumers).
     */
    public Future<Void> applyReplicated(DefinitionChange change) {
        if (change.record() == null) {
            definitions.remove(change.id());
            startPositions.remove(change.id());
            return meta.deleteSubscription(change.id());
        }
        definitions.put(change.id(), change.record());
        return meta.saveSubscription(change.record());
    }

    /** Writes the buffered positions out and syncs the store: everything applied so far survives a crash. */
    public Future<Void> syncPositions() {
        return meta.syncPositions();
    }

    /** A follower learned of a committed position from its leader (see {@link #applyReplicated}). */
    /** The stored positions of a subscription by partition (empty if it has none: deleted, or never stored). */
    public Future<Map<Integer, Position>> storedPositions(String id) {
        return meta.loadPositions(id);
    }

    public void applyReplicatedPosition(String id, int partition, Position position) {
        startPositions.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(partition, position);
        meta.commitPosition(id, partition, position);
    }

    /**
     * This broker stopped leading {@code topic}: its subscriptions here close (their consumers are told by their
     * connections closing, see the caller), so that nothing is delivered from a follower's copy.
     */
    public Future<Void> closeOpen(Topic topic) {
        List<Future<Void>> closed = new ArrayList<>();
        for (Map.Entry<String, Future<Subscription>> e : List.copyOf(open.entrySet())) {
            Future<Subscription> f = e.getValue();
            if (f.succeeded() && f.result().topic() == topic && open.remove(e.getKey(), f)) {
                closed.add(f.result().close());
            }
        }
        for (Subscription s : List.copyOf(nonDurable.values())) {
            if (s.topic() == topic) {
                nonDurable.remove(s.id());
                closed.add(s.close());
            }
        }
        return Future.join(closed).mapEmpty();
    }

    /** Stops every open subscription's dispatch. */
    public Future<Void> close() {
        open.values().forEach(f -> f.onSuccess(Subscription::close));
        open.clear();
        return meta.flushPositions();
    }
}
