package io.heraldmq.server.meta;

import java.util.Objects;

/**
 * Redelivery and dead-letter policy of one destination, stored in {@code dead_letter_settings}.
 * {@code deadLetterDestination} may be null (the broker's default applies).
 */
public record DeadLetterSettings(String destination, int maxDeliveryAttempts, long redeliveryDelayMs,
                                 double redeliveryMultiplier, long maxRedeliveryDelayMs,
                                 String deadLetterDestination) {
    public DeadLetterSettings {
        Objects.requireNonNull(destination, "destination");
    }
}
