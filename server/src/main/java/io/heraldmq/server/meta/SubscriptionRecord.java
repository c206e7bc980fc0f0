package io.heraldmq.server.meta;

// STAND-IN: replaced by helper/meta at merge.
public record SubscriptionRecord(String id, String topic, String name, String clientId, boolean durable, boolean shared,
                                 String selector, boolean noLocal, long retentionMs, long createdAt) {
}
