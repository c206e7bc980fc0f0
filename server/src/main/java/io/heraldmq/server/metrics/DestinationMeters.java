package io.heraldmq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Registers the series of one destination's partitions and subscriptions (tags {@code kind}, {@code destination},
 * {@code partition}, and {@code subscription}). Each registration returns a {@link Registration} that removes its
 * meters; the meters read the owner's {@link PartitionFigures} or {@link SubscriptionFigures} when scraped.
 * {@link #NONE} registers nothing.
 */
public final class DestinationMeters {
    public static final DestinationMeters NONE = new DestinationMeters(null, Tags.empty());

    /** Removes the meters it registered (those still registered under its ids by it, not by a successor). */
    public static final class Registration {
        static final Registration NONE = new Registration(null, List.of());
        private final MeterRegistry registry;
        private final List<Meter> meters;

        private Registration(MeterRegistry registry, List<Meter> meters) {
            this.registry = registry;
            this.meters = meters;
        }

        public void close() {
            for (Meter m : meters) {
                if (registry.find(m.getId().getName()).tags(m.getId().getTags()).meter() == m) {
                    registry.remove(m);
                }
            }
        }
    }

    private final MeterRegistry registry;
    private final Tags tags;

    DestinationMeters(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
    }

    /**
     * The series of one partition. {@code logSize}, {@code segments} and the offsets must be readable from any thread
     * without blocking.
     */
    public Registration partition(int partition, PartitionFigures f, LongSupplier logSize, LongSupplier segments,
                                  LongSupplier logStart, LongSupplier logEnd) {
        if (registry == null) {
            return Registration.NONE;
        }
        Tags t = tags.and("partition", Integer.toString(partition));
        List<Meter> meters = new ArrayList<>();
        meters.add(counter("messages.in", "records appended", t, f.messagesIn));
        meters.add(counter("bytes.in", "bytes of the batches appended", t, f.bytesIn));
        meters.add(counter("messages.replicated", "records a follower copied from its leader", t, f.replicatedIn));
        meters.add(counter("messages.out", "deliveries to consumers, redeliveries included", t, f.messagesOut));
        meters.add(counter("bytes.out", "bytes of the records delivered", t, f.bytesOut));
        meters.add(counter("retention.deleted.segments", "segments retention deleted", t, f.retentionSegments));
        meters.add(counter("retention.deleted.bytes", "bytes retention deleted", t, f.retentionBytes));
        meters.add(gauge("log.size", "bytes of the partition's segments", "bytes", t, logSize));
        meters.add(gauge("log.segments", "segment files of the partition", null, t, segments));
        meters.add(gauge("log.start.offset", "the oldest offset the log still holds", null, t, logStart));
        meters.add(gauge("log.end.offset", "the offset the next record gets", null, t, logEnd));
        meters.add(gauge("replication.lag", "led partitions: records the slowest follower lacks", "messages", t,
                f.replicationLag::get));
        return new Registration(registry, meters);
    }

    /**
     * The series of one durable subscription (a queue's, or a durable topic subscription) in one partition.
     * {@code controlRecords} counts the control records in [from, to), from any thread.
     */
    public Registration subscription(String subscription, int partition, SubscriptionFigures f, LongSupplier logEnd,
                                     java.util.function.LongBinaryOperator controlRecords) {
        if (registry == null) {
            return Registration.NONE;
        }
        Tags t = tags.and("subscription", subscription, "partition", Integer.toString(partition));
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge("subscription.backlog", "messages not yet settled (in flight included)", "messages", t,
                () -> f.backlog(logEnd.getAsLong(), controlRecords)));
        meters.add(gauge("subscription.lag", "age of the oldest record not yet settled; 0 without backlog",
                "seconds", t, () -> f.lagSeconds(logEnd.getAsLong(), System.currentTimeMillis())));
        meters.add(gauge("subscription.in.flight", "deliveries not yet settled", "messages", t, f.inFlight::get));
        meters.add(gauge("subscription.consumers", "consumers attached", null, t, f.consumers::get));
        meters.add(counter("subscription.redelivered", "deliveries that were not the first", t, f.redelivered));
        meters.add(counter("subscription.expired", "records skipped as expired", t, f.expired));
        meters.add(counter("subscription.dead.lettered", "records moved to the dead-letter queue", t,
                f.deadLettered));
        return new Registration(registry, meters);
    }

    private Meter counter(String name, String description, Tags t, OwnedLong value) {
        Meter.Id id = new Meter.Id(BrokerMetrics.PREFIX + name, t, null, description, Meter.Type.COUNTER);
        registry.remove(id);
        return FunctionCounter.builder(id.getName(), value, OwnedLong::get).tags(t).description(description)
                .register(registry);
    }

    private Meter gauge(String name, String description, String unit, Tags t, LongSupplier value) {
        return gauge(name, description, unit, t, (DoubleSupplier) value::getAsLong);
    }

    private Meter gauge(String name, String description, String unit, Tags t, DoubleSupplier value) {
        Meter.Id id = new Meter.Id(BrokerMetrics.PREFIX + name, t, unit, description, Meter.Type.GAUGE);
        registry.remove(id);
        return Gauge.builder(id.getName(), value, DoubleSupplier::getAsDouble).tags(t).description(description)
                .baseUnit(unit).strongReference(true).register(registry);
    }
}
