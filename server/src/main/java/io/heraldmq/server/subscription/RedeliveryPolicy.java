package io.heraldmq.server.subscription;

import io.heraldmq.protocol.Ok;
import io.heraldmq.server.RedeliveryDefaults;
import io.heraldmq.server.meta.DeadLetterSettings;

/**
 * How one destination treats a released message: after how long it is delivered again (exponential backoff) and
 * after how many deliveries it goes to the dead letter queue instead. Resolved once per destination from its
 * {@code dead_letter_settings} row, else the broker's defaults.
 *
 * @param maxDeliveryAttempts deliveries a message may have; -1 = unlimited
 * @param maxDelayMs          the backoff never exceeds this; 0 = no cap
 * @param deadLetterQueue     name of the queue dead letters go to
 */
public record RedeliveryPolicy(int maxDeliveryAttempts, long delayMs, double multiplier, long maxDelayMs,
                               String deadLetterQueue) {

    static RedeliveryPolicy of(RedeliveryDefaults defaults, String destination) {
        return new RedeliveryPolicy(defaults.maxDeliveryAttempts(), defaults.delayMs(), defaults.multiplier(),
                defaults.maxDelayMs(), defaults.deadLetterPrefix() + destination);
    }

    /** A destination's own settings; a null dead letter destination means the broker's default name. */
    static RedeliveryPolicy of(DeadLetterSettings s, RedeliveryDefaults defaults, String destination) {
        return new RedeliveryPolicy(s.maxDeliveryAttempts(), Math.max(0, s.redeliveryDelayMs()),
                Math.max(1.0, s.redeliveryMultiplier()), Math.max(0, s.maxRedeliveryDelayMs()),
                s.deadLetterDestination() != null ? s.deadLetterDestination()
                        : defaults.deadLetterPrefix() + destination);
    }

    /** What a consumer is told in the answer to SUBSCRIBE. */
    public Ok.Redelivery forConsumer() {
        return new Ok.Redelivery(maxDeliveryAttempts, delayMs);
    }

    /** This policy without a delivery limit: for a dead letter queue, which has nowhere further to send. */
    RedeliveryPolicy unlimited() {
        return new RedeliveryPolicy(-1, delayMs, multiplier, maxDelayMs, deadLetterQueue);
    }

    /**
     * @param deliveryCount the delivery count the message's next delivery would have (JMSXDeliveryCount)
     * @return whether it has had all its deliveries and must be dead-lettered rather than delivered again
     */
    boolean exhausted(int deliveryCount) {
        return maxDeliveryAttempts > 0 && deliveryCount > maxDeliveryAttempts;
    }

    /**
     * The wait before a redelivery: {@code delay * multiplier^(redeliveries - 1)}, capped at the maximum delay.
     *
     * @param deliveryCount the delivery count of the coming redelivery (2 for the first redelivery)
     */
    long delayBefore(int deliveryCount) {
        if (delayMs <= 0 || deliveryCount < 2) {
            return 0;
        }
        double delay = delayMs * Math.pow(multiplier, deliveryCount - 2);
        long cap = maxDelayMs > 0 ? maxDelayMs : Long.MAX_VALUE;
        return delay >= cap ? cap : (long) delay;
    }
}
