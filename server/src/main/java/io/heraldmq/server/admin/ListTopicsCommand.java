package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.TopicRegistry;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * LIST_TOPICS: every queue and topic with its partitions, retention in effect (its own limits, else the broker's
 * defaults; -1 = no limit), size on disk and message count (log end minus log start, summed over partitions: what
 * the log holds, consumed or not, less the control records a clustered broker writes into it), and per partition ("0=12,1=3") its log start and end offsets and size.
 */
public final class ListTopicsCommand implements AdminCommand {
    private final TopicRegistry topics;
    private final java.util.function.BiPredicate<io.heraldmq.protocol.DestinationKind, String> ledElsewhere;
    private final long defaultRetentionMs;
    private final long defaultRetentionBytes;

    /**
     * @param ledElsewhere whether another live broker leads a destination (kind, name): with argument
     *                     {@code leader} = {@code here} (one broker's part of a clustered broker's full listing) it is
     *                     left out, since that broker answers for it; always false on a single node
     */
    public ListTopicsCommand(TopicRegistry topics, long defaultRetentionMs, long defaultRetentionBytes,
                             java.util.function.BiPredicate<io.heraldmq.protocol.DestinationKind, String> ledElsewhere) {
        this.ledElsewhere = ledElsewhere;
        this.topics = topics;
        this.defaultRetentionMs = defaultRetentionMs;
        this.defaultRetentionBytes = defaultRetentionBytes;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        List<TopicRegistry.Entry> entries = topics.list();
        boolean ledHereOnly = "here".equals(args.optional("leader"));
        List<Future<List<Object>>> rows = new ArrayList<>();
        for (TopicRegistry.Entry e : entries) {
            if (io.heraldmq.server.txlog.ClusterTransactions.reserved(e.record().name())) {
                continue; // the broker's own (the transaction decision log)
            }
            if (ledHereOnly && ledElsewhere.test(e.kind(), e.record().name())) {
                continue; // that broker answers for it
            }
            rows.add(e.topic().map(topic -> {
                long bytes = 0;
                long messages = 0;
                StringJoiner starts = new StringJoiner(",");
                StringJoiner ends = new StringJoiner(",");
                StringJoiner sizes = new StringJoiner(",");
                for (Partition p : topic.partitions()) {
                    long size = p.sizeInBytes();
                    bytes += size;
                    long start = p.logStartOffset();
                    long end = p.logEndOffset();
                    messages += end - start - p.controlRecords(start, end);
                    starts.add(p.id() + "=" + p.logStartOffset());
                    ends.add(p.id() + "=" + p.logEndOffset());
                    sizes.add(p.id() + "=" + size);
                }
                return List.of(e.record().name(), AdminArgs.kindName(e.kind()), topic.partitions().size(),
                        e.record().retentionMs() >= 0 ? e.record().retentionMs() : defaultRetentionMs,
                        e.record().retentionBytes() >= 0 ? e.record().retentionBytes() : defaultRetentionBytes,
                        bytes, messages, starts.toString(), ends.toString(), sizes.toString());
            }));
        }
        return Future.join(rows).map(v -> {
            AdminResult result = AdminResult.of("name", "kind", "partitions", "retention.ms", "retention.bytes",
                    "size.bytes", "messages", "log.start.by.partition", "log.end.by.partition", "size.by.partition");
            for (Future<List<Object>> row : rows) {
                if (row.succeeded()) { // a destination deleted meanwhile is left out
                    result = result.row(row.result().toArray());
                }
            }
            return result;
        });
    }
}
