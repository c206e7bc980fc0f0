package io.heraldmq.server.meta;

// STAND-IN: replaced by helper/meta at merge.
public record MetaStoreOptions(long commitIntervalMs, int commitBatchSize) {
    public static MetaStoreOptions defaults() {
        return new MetaStoreOptions(100, 1000);
    }
}
