package io.heraldmq.server.meta;

import java.util.Objects;

/**
 * Redelivery and dead-letter policy of one queue or topic, stored in {@code dead_letter_settings} under
 * ({@code queue}, {@code name}). {@code deadLetterDestination} may be null (the broker's default applies).
 */
public record DeadLetterSettings(boolean queue, String name, int maxDeliveryAttempts, long redeliveryDelayMs,
                                 double redeliveryMultiplier, long maxRedeliveryDelayMs,
                                 String deadLetterDestination) {
    public DeadLetterSettings {
        Objects.requireNonNull(name, "name");
    }
}
