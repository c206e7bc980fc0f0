package io.heraldmq.server.subscription;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.RedeliveryDefaults;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.partition.TopicRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Redelivery policies by destination and the writing of dead letters. A destination's policy comes from its
 * {@code dead_letter_settings} row (key {@link #settingsKey}), else from the broker's defaults; it is read once and
 * cached. A dead letter is a new record in the dead letter queue (an ordinary queue, created on first use) with the
 * original message plus {@value #ORIGINAL_DESTINATION}, {@value #DELIVERY_COUNT} and {@value #FAILURE_REASON}; the
 * message is decoded and encoded again for that, which is fine because dead letters are rare. Safe from any context.
 */
public final class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class.getName());
    /** Where the message was when it died, as {@code queue://name} or {@code topic://name}. */
    public static final String ORIGINAL_DESTINATION = "JMS_HeraldOriginalDestination";
    /** How many times the message had been delivered. */
    public static final String DELIVERY_COUNT = "JMS_HeraldDeliveryCount";
    /** Why the last delivery failed, as the consumer said, else the broker's reason. */
    public static final String FAILURE_REASON = "JMS_HeraldFailureReason";

    private final TopicRegistry topics;
    private final MetaStore meta;
    private final RedeliveryDefaults defaults;
    private final Map<String, Future<RedeliveryPolicy>> policies = new ConcurrentHashMap<>();

    public DeadLetters(TopicRegistry topics, MetaStore meta, RedeliveryDefaults defaults) {
        this.topics = topics;
        this.meta = meta;
        this.defaults = defaults;
    }

    /** The key of a destination's row in {@code dead_letter_settings}: {@code queue://name} or {@code topic://name}. */
    public static String settingsKey(boolean queue, String name) {
        return (queue ? "queue://" : "topic://") + name;
    }

    /** The policy of {@code topic}; temporary destinations always use the broker's defaults. */
    Future<RedeliveryPolicy> policy(Topic topic) {
        if (topic.kind().isTemporary()) {
            return Future.succeededFuture(RedeliveryPolicy.of(defaults, topic.name()));
        }
        String key = settingsKey(topic.isQueue(), topic.name());
        Future<RedeliveryPolicy> f = policies.get(key);
        if (f != null) {
            return f;
        }
        return policies.computeIfAbsent(key, k -> meta.loadDeadLetterSettings(k).map(row -> {
            if (row.isPresent()) {
                RedeliveryPolicy p = RedeliveryPolicy.of(row.get(), defaults, topic.name());
                return topic.isQueue() && p.deadLetterQueue().equals(topic.name()) ? p.unlimited() : p;
            }
            RedeliveryPolicy p = RedeliveryPolicy.of(defaults, topic.name());
            // A dead letter queue does not get one of its own (DLQ.DLQ.x and so on): its messages are redelivered
            // for as long as it takes, unless its own settings row says otherwise.
            return topic.isQueue() && topic.name().startsWith(defaults.deadLetterPrefix()) ? p.unlimited() : p;
        }).onFailure(e -> policies.remove(k)));
    }

    /**
     * Forgets the cached policy of a destination whose settings changed; subscriptions opened from now on read the
     * new row.
     */
    public void settingsChanged(boolean queue, String name) {
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
            LOG.log(Level.WARNING, "dead letter from " + source + " cannot be decoded; stored as it is ("
                    + reason + ")", e);
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
