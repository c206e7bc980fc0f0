package io.heraldmq.server.meta;

// STAND-IN: replaced by helper/meta at merge.
public record TopicRecord(String name, boolean queue, int partitions, long retentionMs, long retentionBytes, long createdAt) {
}
