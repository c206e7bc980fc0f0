package io.heraldmq.admin;

/**
 * A queue or topic as {@link HeraldAdmin#listTopics()} shows it.
 *
 * @param retentionMs    the time limit in effect (its own, else the broker's default); -1: none
 * @param retentionBytes the size limit per partition in effect; -1: none
 * @param sizeBytes      bytes of its log segments on disk
 * @param messages       messages its log holds (log end minus log start, all partitions), consumed or not
 */
public record TopicInfo(String name, boolean queue, int partitions, long retentionMs, long retentionBytes,
                        long sizeBytes, long messages) {
}
