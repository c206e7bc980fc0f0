package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.meta.Position;
import io.heraldmq.server.meta.SubscriptionRecord;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.Subscription;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LIST_SUBSCRIPTIONS: queues' implicit subscriptions, durable and shared topic subscriptions and the private ones of
 * non-durable consumers, with their consumers and backlog: messages behind (not yet settled up to the log end), per
 * partition and summed (control records, which a cluster writes into the log, left out), and how many messages they skipped as expired (counted in memory since the subscription
 * opened). An open subscription is asked on each partition's context; a durable one nobody has opened since the start
 * is computed from its stored position (and has skipped nothing). Each row also gives the subscription's retention.
 */
public final class ListSubscriptionsCommand implements AdminCommand {
    private final TopicRegistry topics;
    private final SubscriptionRegistry subscriptions;
    private final MetaStore meta;
    private final java.util.function.BiPredicate<DestinationKind, String> ledElsewhere;

    /**
     * @param ledElsewhere whether another live broker leads a destination (kind, name): with argument
     *                     {@code leader} = {@code here} (one broker's part of a clustered broker's full listing) its
     *                     subscriptions are left out, since that broker answers for them; always false on a single
     *                     node
     */
    public ListSubscriptionsCommand(TopicRegistry topics, SubscriptionRegistry subscriptions, MetaStore meta,
                                    java.util.function.BiPredicate<DestinationKind, String> ledElsewhere) {
        this.ledElsewhere = ledElsewhere;
        this.topics = topics;
        this.subscriptions = subscriptions;
        this.meta = meta;
    }

    /** One row before its backlog is known. */
    private record Row(String id, DestinationKind kind, String topic, String name, String clientId, boolean durable,
                       boolean shared, String selector) {
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        String only = args.optional("topic");
        List<Row> rows = new ArrayList<>();
        for (TopicRegistry.Entry e : topics.list()) {
            if (e.kind().isQueue()) {
                String name = e.record().name();
                rows.add(new Row(SubscriptionRegistry.queueId(name), DestinationKind.QUEUE, name, name, null, true,
                        true, null));
            }
        }
        for (SubscriptionRecord r : subscriptions.definitions().values()) {
            rows.add(new Row(r.id(), DestinationKind.TOPIC, r.topic(), r.name(), r.clientId(), r.durable(),
                    r.shared(), r.selector()));
        }
        for (Subscription s : subscriptions.nonDurableSubscriptions()) {
            rows.add(new Row(s.id(), s.topic().kind(), s.topic().name(), null, null, false, false, null));
        }
        rows.removeIf(r -> only != null && !r.topic().equals(only));
        if ("here".equals(args.optional("leader"))) {
            rows.removeIf(r -> ledElsewhere.test(r.kind(), r.topic()));
        }
        rows.sort((a, b) -> a.id().compareTo(b.id()));
        List<Future<List<Object>>> described = new ArrayList<>();
        for (Row r : rows) {
            described.add(describe(r));
        }
        return Future.join(described).map(v -> {
            AdminResult result = AdminResult.of("id", "kind", "topic", "name", "client.id", "durable", "shared",
                    "selector", "consumers", "backlog", "backlog.by.partition", "expired",
                    "retention.ms");
            for (Future<List<Object>> row : described) {
                if (row.succeeded()) { // a subscription or destination deleted meanwhile is left out
                    result = result.row(row.result().toArray());
                }
            }
            return result;
        });
    }

    private Future<List<Object>> describe(Row r) {
        Future<Subscription> open = subscriptions.opened(r.id());
        Future<long[]> backlog;
        Future<Integer> consumers;
        Future<Long> expired;
        if (open != null) {
            backlog = open.compose(Subscription::backlog);
            consumers = open.map(Subscription::consumerCount);
            expired = open.compose(Subscription::expired);
        } else {
            TopicRegistry.Entry entry = topics.find(r.kind(), r.topic());
            if (entry == null) {
                return Future.failedFuture("no destination " + r.topic());
            }
            backlog = entry.topic().compose(t -> meta.loadPositions(r.id()).map(stored -> fromStored(t, stored)));
            consumers = Future.succeededFuture(0);
            expired = Future.succeededFuture(0L); // counted only while open
        }
        return Future.all(backlog, consumers, expired).map(v -> {
            long[] perPartition = backlog.result();
            long total = 0;
            StringBuilder byPartition = new StringBuilder();
            for (int i = 0; i < perPartition.length; i++) {
                total += perPartition[i];
                byPartition.append(i == 0 ? "" : ",").append(i).append('=').append(perPartition[i]);
            }
            List<Object> row = new ArrayList<>();
            row.add(r.id());
            row.add(AdminArgs.kindName(r.kind()));
            row.add(r.topic());
            row.add(r.name());
            row.add(r.clientId());
            row.add(r.durable());
            row.add(r.shared());
            row.add(r.selector());
            row.add(consumers.result());
            row.add(total);
            row.add(byPartition.toString());
            row.add(expired.result());
            row.add(subscriptions.retentionFor(r.id()));
            return row;
        });
    }

    private static long[] fromStored(Topic topic, Map<Integer, Position> stored) {
        long[] out = new long[topic.partitions().size()];
        for (Partition p : topic.partitions()) {
            Position pos = stored.get(p.id());
            // Without a stored position a queue starts at its oldest message, a topic subscription at the end.
            long committed = pos != null ? pos.committedOffset()
                    : topic.isQueue() ? p.logStartOffset() : p.logEndOffset();
            out[p.id()] = p.backlog(committed, pos != null ? pos.ackedRanges() : new long[0]);
        }
        return out;
    }
}
