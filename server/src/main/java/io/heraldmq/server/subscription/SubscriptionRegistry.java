package io.heraldmq.server.subscription;

import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.partition.Topic;
import io.vertx.core.Future;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The subscriptions that several consumers can share or that outlive their consumers: queues' implicit subscriptions,
 * durable and shared topic subscriptions. A subscription is opened once, on first use, at its stored position.
 * Safe from any context.
 */
public final class SubscriptionRegistry {
    private final MetaStore meta;
    private final Map<String, Future<Subscription>> open = new ConcurrentHashMap<>();

    public SubscriptionRegistry(MetaStore meta) {
        this.meta = meta;
    }

    /** The implicit subscription of a queue: competing consumers, starting at the oldest message. */
    public Future<Subscription> queue(Topic queue) {
        String id = "queue:" + queue.name();
        return open.computeIfAbsent(id, k -> Subscription.open(k, queue, true, MessageFilter.ALL,
                Subscription.Start.LOG_START, meta, () -> { }));
    }

    /** A durable topic subscription: starts at the log end when new, keeps its position while nobody consumes. */
    public Future<Subscription> durable(Topic topic, String id, MessageFilter filter) {
        return open.computeIfAbsent(id, k -> Subscription.open(k, topic, true, filter, Subscription.Start.LOG_END,
                meta, () -> { }));
    }

    /** A shared non-durable topic subscription: exists while it has consumers. */
    public Future<Subscription> sharedNonDurable(Topic topic, String id, MessageFilter filter) {
        return open.computeIfAbsent(id, k -> Subscription.open(k, topic, false, filter, Subscription.Start.LOG_END,
                meta, () -> remove(k)));
    }

    /** A private subscription for one non-durable topic consumer. */
    public Future<Subscription> nonDurable(Topic topic, String id, MessageFilter filter) {
        AtomicReference<Subscription> self = new AtomicReference<>();
        return Subscription.open(id, topic, false, filter, Subscription.Start.LOG_END, meta, () -> self.get().close())
                .onSuccess(self::set);
    }

    private void remove(String id) {
        Future<Subscription> f = open.remove(id);
        if (f != null) {
            f.onSuccess(Subscription::close);
        }
    }

    /** Stops every open subscription's dispatch. */
    public Future<Void> close() {
        open.values().forEach(f -> f.onSuccess(Subscription::close));
        open.clear();
        return meta.flushPositions();
    }
}
