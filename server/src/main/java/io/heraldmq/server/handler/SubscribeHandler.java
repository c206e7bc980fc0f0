package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.meta.SubscriptionRecord;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.security.ConnectionAccess;
import io.heraldmq.server.security.Permission;
import io.heraldmq.server.subscription.MessageFilter;
import io.heraldmq.server.subscription.MessageFilters;
import io.heraldmq.server.subscription.ServerConsumer;
import io.heraldmq.server.subscription.Subscription;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.heraldmq.server.subscription.TemporaryDestinations;
import io.vertx.core.Future;

/**
 * SUBSCRIBE: finds or creates the subscription the request names and attaches a consumer to it. Queues have one
 * implicit subscription, whose consumers each may have a selector of their own; topic consumers get a private
 * subscription unless they name a durable or shared one, and their selector is the subscription's. With the BROWSE
 * flag the "consumer" is a queue browser: it reads the queue without consuming.
 * <p>
 * With users configured: a consumer needs {@code consume} on the destination, a browser {@code browse}; a durable
 * subscription that does not exist yet also needs {@code createDurable}, and one that replaces another (other
 * topic, selector or noLocal) {@code createDurable} on its topic and {@code deleteDurable} on the old one's; a
 * destination used for the first time needs {@code createDestination}.
 */
public final class SubscribeHandler implements RequestHandler {
    private final AutoCreation destinations;
    private final SubscriptionRegistry subscriptions;
    private final TemporaryDestinations temporaries;

    public SubscribeHandler(AutoCreation destinations, SubscriptionRegistry subscriptions,
                            TemporaryDestinations temporaries) {
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.temporaries = temporaries;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Subscribe s = Subscribe.decode(frame.body());
        int correlationId = frame.correlationId();
        if (connection.hasConsumer(s.consumerId())) {
            throw new ProtocolException("consumer id " + s.consumerId() + " is already in use");
        }
        if (s.initialCredit() < 0) {
            throw new ProtocolException("negative initial credit " + s.initialCredit());
        }
        if (s.kind().isTemporary()) {
            temporaries.checkConsumer(connection.connectionId(), s.kind(), s.destination());
            if (s.durable()) {
                throw new ProtocolException(ErrorCode.INVALID_DESTINATION,
                        "a durable subscription cannot be made on a temporary topic");
            }
        }
        checkPermissions(connection, s);
        MessageFilter filter = MessageFilters.create(s.selector(),
                s.noLocal() ? WireMessage.origin(connection.clientId(), connection.clientConnectionId()) : null);
        connection.reserveConsumer();
        Future<io.heraldmq.server.partition.Topic> destination;
        try {
            destination = destinations.get(connection, s.kind(), s.destination());
        } catch (RuntimeException e) {
            connection.consumerCreated();
            throw e;
        }
        // The futures complete on whatever context finished the last step (a partition's, the metadata store's):
        // the rest runs on the connection's event loop, which owns its consumers.
        destination
                .compose(topic -> ledHere(connection, topic, System.currentTimeMillis() + LEADERSHIP_WAIT_MS))
                .compose(topic -> subscription(connection, s, topic, filter))
                .onComplete(ar -> connection.context().runOnContext(v -> {
                    if (ar.failed()) {
                        connection.consumerCreated();
                        connection.replyFailure(correlationId, ar.cause());
                    } else {
                        attach(connection, s, correlationId, ar.result(), filter);
                    }
                }));
    }

    /**
     * Attaches the consumer, on the connection's event loop. It is in the connection's table before any partition
     * can deliver to it: a consumer its broker's router subscribed again at a new leader (after a failover; the
     * client does not wait for that SUBSCRIBE's answer) may have its first message committed at once, and a COMMIT
     * naming a consumer the connection does not know yet is refused ("consumer n is closed"). Registered when the
     * answer came, the consumer was unknown for as long as the answer took to reach the event loop (25 ms measured
     * under load), and was added from whichever thread completed the attach.
     */
    private static void attach(ClientConnection connection, Subscribe s, int correlationId, Subscription sub,
                               MessageFilter filter) {
        boolean[] made = {false}; // the consumer was made: the connection's pending count is settled
        boolean[] registered = {false}; // and it is in the connection's table
        java.util.function.Consumer<ServerConsumer> register = consumer -> {
            made[0] = true;
            connection.consumerCreated();
            if (!connection.isClosed()) {
                connection.addConsumer(consumer);
                registered[0] = true;
            }
        };
        Future<ServerConsumer> attached;
        try {
            // A queue consumer's selector is its own; a topic subscription's selector is the subscription's.
            attached = s.browse()
                    ? sub.browse(s.consumerId(), connection.sender(), s.initialCredit(), filter, register)
                    : sub.attach(s.consumerId(), connection.sender(), s.initialCredit(),
                            sub.topic().isQueue() ? filter : MessageFilter.ALL, register);
        } catch (RuntimeException e) {
            if (!made[0]) {
                connection.consumerCreated();
            }
            attached = Future.failedFuture(e);
        }
        attached.onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.failed()) {
                ServerConsumer consumer = registered[0] ? connection.removeConsumer(s.consumerId()) : null;
                if (consumer != null) { // else never registered, or closed with its connection
                    consumer.close(false);
                }
                connection.replyFailure(correlationId, ar.cause());
            } else if (!registered[0]) {
                ar.result().close(false); // the connection closed before it was attached
            } else if (!connection.isClosed()) {
                connection.send(s.browse() ? Ok.encode(correlationId) : Ok.encodeSubscribed(correlationId,
                        ar.result().subscription().redelivery().forConsumer()));
            }
            // else: closed since, which closed the consumer with the connection's others
        }));
    }

    /** @throws ProtocolException NOT_AUTHORIZED when the user lacks a permission the request needs */
    private void checkPermissions(ClientConnection connection, Subscribe s) {
        ConnectionAccess access = connection.access();
        if (!access.restricted()) {
            return;
        }
        access.check(s.browse() ? Permission.BROWSE : Permission.CONSUME, s.kind(), s.destination());
        if (!s.durable() || s.kind().isQueue() || s.subscriptionName() == null) {
            return;
        }
        String clientId = connection.clientId();
        String id = s.shared() ? SubscriptionRegistry.sharedDurableId(clientId, s.subscriptionName())
                : clientId == null ? null : SubscriptionRegistry.durableId(clientId, s.subscriptionName());
        SubscriptionRecord existing = id == null ? null : subscriptions.definition(id);
        String selector = s.selector() == null || s.selector().isBlank() ? null : s.selector();
        if (existing == null) {
            access.check(Permission.CREATE_DURABLE, s.kind(), s.destination());
        } else if (!existing.topic().equals(s.destination()) || !java.util.Objects.equals(existing.selector(), selector)
                || (!s.shared() && existing.noLocal() != s.noLocal())) {
            access.check(Permission.CREATE_DURABLE, s.kind(), s.destination());
            access.check(Permission.DELETE_DURABLE, io.heraldmq.protocol.DestinationKind.TOPIC, existing.topic());
        }
    }

    /**
     * A clustered destination is consumed on its leader only: a follower's copy has no subscriptions' state, and
     * consuming it would deliver twice. (Relayed here by another broker that thought this one leads.) And only once
     * that leader's epoch is committed: until then it may not yet have applied the subscription definitions and
     * positions that earlier leaders left in its log.
     */
    private static Future<Topic> ledHere(ClientConnection connection, Topic topic, long deadline) {
        for (Partition p : topic.partitions()) {
            PartitionReplica r = p.replication();
            if (r != null && !r.servesConsumers()) {
                if (System.currentTimeMillis() >= deadline) {
                    return Future.failedFuture(new ProtocolException(ErrorCode.NOT_LEADER, "this broker does not"
                            + " lead " + topic + " (the leader of its partition " + p.id() + " is " + r.leader()
                            + ")"));
                }
                // After a failover a partition may for a moment be led elsewhere, until the coordinator gives it
                // back to its destination's leader: wait for that rather than fail the consumer.
                io.vertx.core.Promise<Topic> later = io.vertx.core.Promise.promise();
                connection.context().owner().setTimer(100, t -> connection.context().runOnContext(v ->
                        ledHere(connection, topic, deadline).onComplete(later)));
                return later.future();
            }
        }
        return Future.succeededFuture(topic);
    }

    /** How long a SUBSCRIBE waits for every partition of its destination to be led by this broker. */
    static final long LEADERSHIP_WAIT_MS = 15_000;

    private Future<Subscription> subscription(ClientConnection connection, Subscribe s, Topic topic,
                                              MessageFilter filter) {
        if (topic.isQueue()) {
            return topic.kind().isTemporary() ? subscriptions.temporaryQueue(topic) : subscriptions.queue(topic);
        }
        if (s.browse()) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION,
                    "only a queue can be browsed, not topic " + topic.name()));
        }
        String name = s.subscriptionName();
        if (name == null) {
            return subscriptions.nonDurable(topic, "nd:" + connection.connectionId() + ":" + s.consumerId(), filter);
        }
        String clientId = connection.clientId();
        String selector = s.selector() == null || s.selector().isBlank() ? null : s.selector();
        if (s.durable() && !s.shared()) {
            if (clientId == null) {
                return Future.failedFuture(new ProtocolException(ErrorCode.ILLEGAL_STATE,
                        "an unshared durable subscription needs a client id"));
            }
            return subscriptions.durable(topic, new SubscriptionRecord(SubscriptionRegistry.durableId(clientId, name),
                    topic.name(), name, clientId, true, false, selector, s.noLocal(), -1,
                    System.currentTimeMillis()), filter);
        }
        if (s.durable()) {
            return subscriptions.durable(topic, new SubscriptionRecord(SubscriptionRegistry.sharedDurableId(clientId,
                    name), topic.name(), name, clientId, true, true, selector, false, -1, System.currentTimeMillis()),
                    filter);
        }
        return subscriptions.sharedNonDurable(topic, new SubscriptionRecord(SubscriptionRegistry.sharedId(clientId,
                name), topic.name(), name, clientId, false, true, selector, false, -1, System.currentTimeMillis()),
                filter);
    }
}
