package io.heraldmq.admin;

/**
 * A queue or topic as {@link HeraldAdmin#listTopics()} shows it.
 *
 * @param retentionMs    -1: no time limit
 * @param retentionBytes -1: no size limit
 * @param sizeBytes      bytes of its log segments on disk
 * @param messages       messages its log holds (log end minus log start, all partitions), consumed or not
 */
public record TopicInfo(String name, boolean queue, int partitions, long retentionMs, long retentionBytes,
                        long sizeBytes, long messages) {
}
