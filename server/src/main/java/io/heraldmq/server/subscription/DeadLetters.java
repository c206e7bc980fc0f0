package io.heraldmq.server.subscription;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.RedeliveryDefaults;
import io.heraldmq.server.meta.DeadLetterSettings;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.partition.TopicRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Redelivery policies by destination and the writing of dead letters. A destination's policy comes from its
 * {@code dead_letter_settings} row (key: kind and name), else from the broker's defaults; it is read when the
 * destination's first subscription opens and kept in memory, and {@link #update} changes both. A dead letter is a
 * new record in the dead letter queue (an ordinary queue, created on first use) with the original message plus
 * {@value #ORIGINAL_DESTINATION}, {@value #DELIVERY_COUNT} and {@value #FAILURE_REASON}; the message is decoded and
 * encoded again for that, which is fine because dead letters are rare. Safe from any context.
 */
public final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** Where the message was when it died, as {@code queue://name} or {@code topic://name}. */
    public static final String ORIGINAL_DESTINATION = "JMS_HeraldOriginalDestination";
    /** How many times the message had been delivered. */
    public static final String DELIVERY_COUNT = "JMS_HeraldDeliveryCount";
    /** Why the last delivery failed, as the consumer said, else the broker's reason. */
    public static final String FAILURE_REASON = "JMS_HeraldFailureReason";

    private final TopicRegistry topics;
    private final MetaStore meta;
    private final RedeliveryDefaults defaults;
    /** Loaded policies by settings key; a subscription reads its destination's here on every use. */
    private final Map<String, RedeliveryPolicy> policies = new ConcurrentHashMap<>();

    public DeadLetters(TopicRegistry topics, MetaStore meta, RedeliveryDefaults defaults) {
        this.topics = topics;
        this.meta = meta;
        this.defaults = defaults;
    }

    /**
     * A destination as {@code queue://name} or {@code topic://name}: the key of its loaded policy, and the value of
     * {@value #ORIGINAL_DESTINATION}.
     */
    public static String settingsKey(boolean queue, String name) {
        return (queue ? "queue://" : "topic://") + name;
    }

    /**
     * Loads the policy of {@code topic} unless it is loaded; a subscription opens only once this completed, so that
     * {@link #current} has it. Temporary destinations always use the broker's defaults.
     */
    Future<RedeliveryPolicy> policy(Topic topic) {
        RedeliveryPolicy known = topic.kind().isTemporary() ? RedeliveryPolicy.of(defaults, topic.name())
                : policies.get(settingsKey(topic.isQueue(), topic.name()));
        return known != null ? Future.succeededFuture(known) : reload(topic.isQueue(), topic.name());
    }

    /** The loaded policy of {@code topic} (see {@link #policy}). */
    RedeliveryPolicy current(Topic topic) {
        RedeliveryPolicy p = topic.kind().isTemporary() ? null
                : policies.get(settingsKey(topic.isQueue(), topic.name()));
        return p != null ? p : RedeliveryPolicy.of(defaults, topic.name());
    }

    /**
     * Reads a destination's settings row again, e.g. after an administration command changed it; open
     * subscriptions use the new policy from the next redelivery on.
     */
    public Future<RedeliveryPolicy> reload(boolean queue, String name) {
        String key = settingsKey(queue, name);
        return meta.loadDeadLetterSettings(queue, name).map(row -> {
            RedeliveryPolicy p;
            if (row.isPresent()) {
                p = RedeliveryPolicy.of(row.get(), defaults, name);
                p = queue && p.deadLetterQueue().equals(name) ? p.unlimited() : p;
            } else {
                p = RedeliveryPolicy.of(defaults, name);
                // A dead letter queue does not get one of its own (DLQ.DLQ.x and so on): its messages are
                // redelivered for as long as it takes, unless its own settings row says otherwise.
                p = queue && name.startsWith(defaults.deadLetterPrefix()) ? p.unlimited() : p;
            }
            policies.put(key, p);
            return p;
        });
    }

    /**
     * A destination's stored settings row, or, if it has none, the broker's defaults in that form (with a null dead
     * letter queue: the default name): what an administrator changes one value of.
     */
    public Future<DeadLetterSettings> settings(boolean queue, String name) {
        return meta.loadDeadLetterSettings(queue, name).map(row -> row.orElseGet(() -> new DeadLetterSettings(queue,
                name, defaults.maxDeliveryAttempts(), defaults.delayMs(), defaults.multiplier(),
                defaults.maxDelayMs(), null)));
    }

    /** Whether the destination has a settings row of its own (else the broker's defaults apply). */
    public Future<Boolean> hasOwnSettings(boolean queue, String name) {
        return meta.loadDeadLetterSettings(queue, name).map(row -> row.isPresent());
    }

    /**
     * Stores a destination's redelivery settings (what an administration command does) and applies them to its
     * open subscriptions from their next redelivery on: they read the policy from here on every use.
     *
     * @return fails with IllegalArgumentException for settings of another destination or out of range
     */
    public Future<RedeliveryPolicy> update(boolean queue, String name, DeadLetterSettings settings) {
        String problem = settings.queue() != queue || !settings.name().equals(name)
                ? "settings for " + settingsKey(settings.queue(), settings.name()) + " given for "
                        + settingsKey(queue, name)
                : problem(settings);
        if (problem != null) {
            return Future.failedFuture(new IllegalArgumentException(problem));
        }
        return meta.saveDeadLetterSettings(settings).compose(v -> reload(queue, name)).compose(p -> {
            java.util.function.Function<DeadLetterSettings, Future<Void>> r = replicator;
            return r == null ? Future.succeededFuture(p) : r.apply(settings).map(p);
        });
    }

    /** Clustered brokers: a change made here is copied to the other brokers through {@code replicator}. */
    public void replicateWith(java.util.function.Function<DeadLetterSettings, Future<Void>> replicator) {
        this.replicator = replicator;
    }

    /**
     * Another broker (or this one, through the cluster) changed a destination's settings: stored here too and
     * applied to its subscriptions, unless they are what is stored already.
     */
    public Future<Void> applyReplicated(DeadLetterSettings settings) {
        if (problem(settings) != null) {
            return Future.failedFuture(new IllegalArgumentException(problem(settings)));
        }
        return meta.loadDeadLetterSettings(settings.queue(), settings.name()).compose(row -> {
            if (row.isPresent() && row.get().equals(settings)) {
                return Future.succeededFuture();
            }
            return meta.saveDeadLetterSettings(settings).compose(v -> reload(settings.queue(), settings.name()))
                    .mapEmpty();
        });
    }

    private volatile java.util.function.Function<DeadLetterSettings, Future<Void>> replicator;

    /** What is wrong with these settings, or null if nothing. */
    public static String problem(DeadLetterSettings s) {
        if (s.maxDeliveryAttempts() < 1 && s.maxDeliveryAttempts() != -1) {
            return "max delivery attempts must be at least 1, or -1 for unlimited, was " + s.maxDeliveryAttempts();
        }
        if (s.redeliveryDelayMs() < 0 || s.maxRedeliveryDelayMs() < 0) {
            return "redelivery delays must not be negative";
        }
        if (!(s.redeliveryMultiplier() >= 1.0) || Double.isInfinite(s.redeliveryMultiplier())) {
            return "the redelivery multiplier must be at least 1.0, was " + s.redeliveryMultiplier();
        }
        if (s.maxRedeliveryDelayMs() != 0 && s.maxRedeliveryDelayMs() < s.redeliveryDelayMs()) {
            return "the max redelivery delay (" + s.maxRedeliveryDelayMs() + " ms) must not be below the redelivery"
                    + " delay (" + s.redeliveryDelayMs() + " ms)";
        }
        if (s.deadLetterDestination() != null && s.deadLetterDestination().isBlank()) {
            return "the dead letter queue name must not be blank";
        }
        return null;
    }

    /** Forgets a deleted destination's policy (the metadata store deleted its row with the destination). */
    public void forget(boolean queue, String name) {
        policies.remove(settingsKey(queue, name));
    }

    /**
     * Appends a dead-letter copy of {@code record} to the dead letter queue of {@code source}, on that queue's
     * partition's context; the future completes once the copy is as durable as the flush policy makes a
     * PERSISTENT send (at once for a NON_PERSISTENT one), on that context.
     *
     * @param deliveries how many times the message was delivered
     * @param reason     why the last delivery failed
     */
    Future<Void> write(Topic source, RedeliveryPolicy policy, Buffer record, int deliveries, String reason) {
        Buffer batch;
        boolean persistent;
        String key = RecordBatch.recordKey(record);
        Buffer message = RecordBatch.message(record);
        try {
            WireMessage m = WireMessage.decode(message);
            m.properties.put(ORIGINAL_DESTINATION, settingsKey(source.isQueue(), source.name()));
            m.properties.put(DELIVERY_COUNT, deliveries);
            m.properties.put(FAILURE_REASON, reason.length() > 4096 ? reason.substring(0, 4096) : reason);
            m.destinationKind = DestinationKind.QUEUE;
            m.destination = policy.deadLetterQueue();
            m.deliveryTime = 0;
            persistent = m.persistent;
            message = m.encode();
        } catch (ProtocolException | IllegalArgumentException e) {
            // Unreadable (a consumer rejected it for that): kept byte for byte, without the added properties.
            LOG.warn("dead letter from {} cannot be decoded; stored as it is ({})", source, reason, e);
            persistent = message.length() < 2 || WireMessage.isPersistent(message);
        }
        RecordBatch.Builder builder = new RecordBatch.Builder(persistent ? RecordBatch.ATTR_PERSISTENT : 0,
                RecordBatch.recordBytes(key, message));
        builder.add(RecordBatch.recordTimestamp(record), key, message);
        batch = builder.build();
        boolean durable = persistent;
        return topics.get(DestinationKind.QUEUE, policy.deadLetterQueue()).compose(dlq -> {
            Partition p = dlq.choose(-1, key);
            Promise<Void> stored = Promise.promise();
            p.run(() -> p.append(batch, durable).<Void>mapEmpty().onComplete(stored));
            return stored.future();
        });
    }
}
