package io.heraldmq.server.meta;

/**
 * Tuning of {@link MetaStore}'s position batching.
 *
 * @param commitIntervalMs longest time a committed position waits in memory before it is written
 * @param commitBatchSize  number of {@link MetaStore#commitPosition} calls after which a write starts at once
 */
public record MetaStoreOptions(long commitIntervalMs, int commitBatchSize) {
    public MetaStoreOptions {
        if (commitIntervalMs <= 0) {
            throw new IllegalArgumentException("commitIntervalMs must be > 0: " + commitIntervalMs);
        }
        if (commitBatchSize <= 0) {
            throw new IllegalArgumentException("commitBatchSize must be > 0: " + commitBatchSize);
        }
    }

    public static MetaStoreOptions defaults() {
        return new MetaStoreOptions(100, 1000);
    }
}
