package io.heraldmq.admin;

import java.util.Map;

/**
 * A queue or topic as {@link HeraldAdmin#listTopics()} shows it.
 *
 * @param retentionMs    the time limit in effect (its own, else the broker's default); -1: none
 * @param retentionBytes the size limit per partition in effect; -1: none
 * @param sizeBytes      bytes of its log segments on disk
 * @param messages       messages its log holds (log end minus log start, all partitions, less a cluster's control
 *                       records), consumed or not
 * @param partitionLogs  each partition's log, by partition id (empty from a broker that does not tell)
 */
public record TopicInfo(String name, boolean queue, int partitions, long retentionMs, long retentionBytes,
                        long sizeBytes, long messages, Map<Integer, PartitionLog> partitionLogs) {
    public TopicInfo {
        partitionLogs = Map.copyOf(partitionLogs);
    }

    public TopicInfo(String name, boolean queue, int partitions, long retentionMs, long retentionBytes,
                     long sizeBytes, long messages) {
        this(name, queue, partitions, retentionMs, retentionBytes, sizeBytes, messages, Map.of());
    }

    /**
     * One partition's log.
     *
     * @param startOffset the oldest offset it holds
     * @param endOffset   the offset of the next record appended (log-end offset)
     * @param sizeBytes   bytes of its segments on disk
     */
    public record PartitionLog(long startOffset, long endOffset, long sizeBytes) {
    }
}
