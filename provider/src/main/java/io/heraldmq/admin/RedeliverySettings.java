package io.heraldmq.admin;

/**
 * The redelivery and dead-letter policy of a queue or topic, as {@link HeraldAdmin#redeliverySettings} shows it.
 *
 * @param maxDeliveryAttempts deliveries a message may have before it goes to the dead-letter queue; -1 = unlimited
 * @param redeliveryDelayMs   wait before the first redelivery; 0 = at once
 * @param multiplier          each further redelivery waits this many times longer
 * @param maxRedeliveryDelayMs the wait never exceeds this; 0 = no cap
 * @param deadLetterQueue     the queue dead letters go to
 * @param own                 whether the destination has settings of its own; false: the broker's defaults
 */
public record RedeliverySettings(boolean queue, String name, int maxDeliveryAttempts, long redeliveryDelayMs,
                                 double multiplier, long maxRedeliveryDelayMs, String deadLetterQueue,
                                 boolean own) {
}
