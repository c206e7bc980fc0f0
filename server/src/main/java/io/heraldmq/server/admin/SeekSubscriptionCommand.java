package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.meta.SubscriptionRecord;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.MessageFilter;
import io.heraldmq.server.subscription.MessageFilters;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * SEEK_SUBSCRIPTION (replay): moves a durable subscription or a queue to an offset, a timestamp, the beginning or the
 * end of the log, in one partition or all. Refused while a consumer is attached (see
 * {@link SubscriptionRegistry#seek}); offsets are clamped to what the log holds. A timestamp finds the first batch
 * whose timestamps reach it in the partition's time index (a JMS send is one batch, so: the first message sent at or
 * after it). Messages from the new position on are delivered again as new ones: JMSRedelivered false, delivery
 * count 1.
 */
public final class SeekSubscriptionCommand implements AdminCommand {
    private final TopicRegistry topics;
    private final SubscriptionRegistry subscriptions;

    public SeekSubscriptionCommand(TopicRegistry topics, SubscriptionRegistry subscriptions) {
        this.topics = topics;
        this.subscriptions = subscriptions;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        String id = args.required("id");
        String to = args.required("to").toLowerCase(Locale.ROOT);
        int partition = args.intValue("partition", -1);
        Function<Partition, Future<Long>> where = switch (to) {
            case "beginning" -> p -> Future.succeededFuture(p.logStartOffset());
            case "end" -> p -> Future.succeededFuture(p.logEndOffset());
            case "offset" -> {
                long offset = args.longValue("value", Long.MIN_VALUE);
                if (offset < 0) {
                    throw AdminArgs.invalid("seek to offset needs a 'value' of 0 or more");
                }
                yield p -> Future.succeededFuture(Math.max(p.logStartOffset(), Math.min(offset, p.logEndOffset())));
            }
            case "timestamp" -> {
                long timestamp = args.longValue("value", Long.MIN_VALUE);
                if (timestamp < 0) {
                    throw AdminArgs.invalid("seek to timestamp needs a 'value' in ms since the epoch");
                }
                yield p -> p.offsetForTimestamp(timestamp);
            }
            default -> throw AdminArgs.invalid("argument 'to' must be offset, timestamp, beginning or end, was '"
                    + to + "'");
        };
        DestinationKind kind;
        String destination;
        MessageFilter filter;
        if (id.startsWith("queue:")) {
            kind = DestinationKind.QUEUE;
            destination = id.substring("queue:".length());
            filter = MessageFilter.ALL;
        } else {
            SubscriptionRecord r = subscriptions.definitions().get(id);
            if (r == null || !r.durable()) {
                throw new ProtocolException(ErrorCode.INVALID_DESTINATION, "there is no durable subscription or"
                        + " queue '" + id + "'");
            }
            kind = DestinationKind.TOPIC;
            destination = r.topic();
            // noLocal names a connection; the next consumer's durable subscribe reopens the subscription with it.
            filter = MessageFilters.create(r.selector(), null);
        }
        TopicRegistry.Entry entry = topics.find(kind, destination);
        if (entry == null) {
            throw new ProtocolException(ErrorCode.INVALID_DESTINATION, AdminArgs.kindName(kind) + " '" + destination
                    + "' does not exist");
        }
        return entry.topic().compose(topic -> {
            if (partition >= topic.partitions().size() || partition < -1) {
                return Future.failedFuture(AdminArgs.invalid(AdminArgs.kindName(kind) + " '" + destination
                        + "' has partitions 0 to " + (topic.partitions().size() - 1) + ", not " + partition));
            }
            return subscriptions.seek(id, topic, filter,
                    p -> partition == -1 || p.id() == partition ? where.apply(p) : Future.succeededFuture());
        }).map(moved -> {
            AdminResult result = AdminResult.of("partition", "offset");
            for (Map.Entry<Integer, Long> e : moved.entrySet()) {
                result = result.row(e.getKey(), e.getValue());
            }
            return result;
        });
    }
}
