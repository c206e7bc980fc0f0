package io.heraldmq.server.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * The broker's fsync meters, which every partition's group commit records into from its flush thread (once per
 * fsync, not per message). {@link #NONE} records nothing.
 */
public record FlushMeters(Timer fsyncLatency, DistributionSummary batch) {
    public static final FlushMeters NONE = new FlushMeters(null, null);

    /** One fsync took {@code nanos} and made {@code waiters} persistent sends durable. */
    public void flushed(long nanos, int waiters) {
        if (fsyncLatency != null) {
            fsyncLatency.record(nanos, TimeUnit.NANOSECONDS);
            if (waiters > 0) {
                batch.record(waiters);
            }
        }
    }
}
