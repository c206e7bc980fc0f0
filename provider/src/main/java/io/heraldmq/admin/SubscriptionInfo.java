package io.heraldmq.admin;

import java.util.Map;

/**
 * A subscription as {@link HeraldAdmin#listSubscriptions()} shows it: a queue's own ({@code queue:<name>}), a durable
 * or shared topic subscription, or the private one of a non-durable topic consumer.
 *
 * @param id                 what {@link HeraldAdmin#seekToTimestamp} and the others take
 * @param name               the subscription name; null for a non-durable consumer's
 * @param clientId           null if none
 * @param selector           null if none
 * @param backlog            messages behind: not yet acknowledged up to the log end, all partitions
 * @param backlogByPartition the same per partition id
 * @param expired            messages skipped because they expired before delivery, since the subscription was
 *                           opened (counted in memory: a broker restart starts again at 0)
 * @param retentionMs        how long the broker keeps what the subscription has not acknowledged (when the
 *                           destination's own limits alone would delete it); see
 *                           {@link HeraldAdmin#setSubscriptionRetention}
 */
public record SubscriptionInfo(String id, boolean queue, String topic, String name, String clientId, boolean durable,
                               boolean shared, String selector, int consumers, long backlog,
                               Map<Integer, Long> backlogByPartition, long expired, long retentionMs) {
    public SubscriptionInfo {
        backlogByPartition = Map.copyOf(backlogByPartition);
    }
}
