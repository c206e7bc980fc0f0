package io.heraldmq.server.meta;

import java.util.Objects;

/**
 * A subscription definition as stored in the {@code subscriptions} table. {@code id} is a key the broker builds
 * (for example from client id, name and shared flag); the store treats it as opaque. {@code clientId} and
 * {@code selector} may be null.
 */
public record SubscriptionRecord(String id, String topic, String name, String clientId, boolean durable,
                                 boolean shared, String selector, boolean noLocal, long retentionMs,
                                 long createdAt) {
    public SubscriptionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(name, "name");
    }
}
