package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.server.partition.TopicRegistry;
import io.vertx.core.Future;

/** CREATE_TOPIC: a queue or topic with a partition count and retention limits, recorded in the metadata store. */
public final class CreateTopicCommand implements AdminCommand {
    /** More partitions than this is a typing mistake, not a plan: each one is a verticle and a directory. */
    static final int MAX_PARTITIONS = 1024;

    private final TopicRegistry topics;
    private final int defaultPartitions;

    public CreateTopicCommand(TopicRegistry topics, int defaultPartitions) {
        this.topics = topics;
        this.defaultPartitions = defaultPartitions;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        String name = args.required("name");
        DestinationKind kind = args.kind();
        int partitions = args.intValue("partitions", kind.isQueue() ? 1 : defaultPartitions);
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw AdminArgs.invalid("partitions must be 1 to " + MAX_PARTITIONS + ", was " + partitions);
        }
        long retentionMs = args.longValue("retention.ms", -1);
        long retentionBytes = args.longValue("retention.bytes", -1);
        if (retentionMs == 0 || retentionBytes == 0) {
            throw AdminArgs.invalid("a retention limit must be positive, or -1 for the broker's default");
        }
        long ms = Math.max(-1, retentionMs);
        long bytes = Math.max(-1, retentionBytes);
        return topics.create(kind, name, partitions, ms, bytes).map(t -> AdminResult.of("name", "kind", "partitions",
                "retention.ms", "retention.bytes").row(name, AdminArgs.kindName(kind), partitions, ms, bytes));
    }
}
