package io.heraldmq.server.meta;

import java.util.Objects;

/**
 * A topic (or queue: {@code queue == true}, a topic with one implicit shared subscription) as stored in the
 * {@code topics} table. Retention limits of 0 or less mean "no limit of that kind"; the broker decides.
 */
public record TopicRecord(String name, boolean queue, int partitions, long retentionMs, long retentionBytes,
                          long createdAt) {
    public TopicRecord {
        Objects.requireNonNull(name, "name");
    }
}
