package io.heraldmq.server.meta;

import java.util.Objects;

/**
 * A topic (or queue: {@code queue == true}, a topic with one implicit shared subscription) as stored in the
 * {@code topics} table. A retention limit of -1 means "the broker's default" ({@code log.retention.ms},
 * {@code log.retention.bytes}); 0 or more is the destination's own limit.
 */
public record TopicRecord(String name, boolean queue, int partitions, long retentionMs, long retentionBytes,
                          long createdAt) {
    public TopicRecord {
        Objects.requireNonNull(name, "name");
    }
}
