package io.heraldmq.server;

/**
 * Settings of one queue or topic from the broker configuration ({@code topic.<name>.partitions},
 * {@code topic.<name>.retention.ms}, {@code topic.<name>.retention.bytes}, and the same under {@code queue.}).
 * An unset value is 0 for partitions and -1 for the retention limits; the broker's defaults then apply.
 *
 * @param partitions     partitions the destination is created with; applies only when it is created, because the
 *                       partition of a keyed message must not change under existing data
 * @param retentionMs    delete closed segments whose newest record is older than this
 * @param retentionBytes delete the oldest closed segments while the partition stays at least this large
 */
public record DestinationSettings(int partitions, long retentionMs, long retentionBytes) {
    public static final DestinationSettings NONE = new DestinationSettings(0, -1, -1);

    DestinationSettings withPartitions(int n) {
        return new DestinationSettings(n, retentionMs, retentionBytes);
    }

    DestinationSettings withRetentionMs(long ms) {
        return new DestinationSettings(partitions, ms, retentionBytes);
    }

    DestinationSettings withRetentionBytes(long bytes) {
        return new DestinationSettings(partitions, retentionMs, bytes);
    }
}
