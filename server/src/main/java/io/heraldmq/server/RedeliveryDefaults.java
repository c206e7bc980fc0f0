package io.heraldmq.server;

import java.util.Map;

/**
 * Broker-wide redelivery and dead-letter defaults, part of {@link BrokerConfig}. A destination with a row in the
 * metadata store's {@code dead_letter_settings} uses that row instead.
 *
 * @param delayMs             {@code redelivery.delay.ms}: how long a released message waits before its first
 *                            redelivery; 0 = at once
 * @param multiplier          {@code redelivery.multiplier}: each further redelivery waits this many times longer
 * @param maxDelayMs          {@code redelivery.max.delay.ms}: the wait never exceeds this
 * @param maxDeliveryAttempts {@code max.delivery.attempts}: deliveries before a released message goes to the dead
 *                            letter queue instead; -1 = unlimited
 * @param deadLetterPrefix    {@code dead.letter.prefix}: the dead letter queue of destination {@code d} is the queue
 *                            named prefix + d
 */
public record RedeliveryDefaults(long delayMs, double multiplier, long maxDelayMs, int maxDeliveryAttempts,
                                 String deadLetterPrefix) {
    static final String DELAY_KEY = "redelivery.delay.ms";
    static final String MULTIPLIER_KEY = "redelivery.multiplier";
    static final String MAX_DELAY_KEY = "redelivery.max.delay.ms";
    static final String MAX_ATTEMPTS_KEY = "max.delivery.attempts";
    static final String PREFIX_KEY = "dead.letter.prefix";

    /** As Artemis: 10 deliveries, redelivered at once, dead letters in {@code DLQ.<destination>}. */
    public static final RedeliveryDefaults DEFAULTS = new RedeliveryDefaults(0, 2.0, 60_000, 10, "DLQ.");

    public RedeliveryDefaults {
        if (delayMs < 0) {
            throw new IllegalArgumentException(DELAY_KEY + " must not be negative, was " + delayMs);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(MULTIPLIER_KEY + " must be at least 1.0, was " + multiplier);
        }
        if (maxDelayMs < delayMs) {
            throw new IllegalArgumentException(MAX_DELAY_KEY + " (" + maxDelayMs + ") must not be below "
                    + DELAY_KEY + " (" + delayMs + ")");
        }
        if (maxDeliveryAttempts < 1 && maxDeliveryAttempts != -1) {
            throw new IllegalArgumentException(MAX_ATTEMPTS_KEY + " must be at least 1, or -1 for unlimited, was "
                    + maxDeliveryAttempts);
        }
        if (deadLetterPrefix == null || deadLetterPrefix.isBlank()) {
            throw new IllegalArgumentException(PREFIX_KEY + " must not be empty");
        }
    }

    /** These defaults with the keys present in {@code settings} replaced. */
    RedeliveryDefaults with(Map<?, ?> settings) {
        long delay = whole(settings, DELAY_KEY, delayMs);
        // Raising only the delay must not trip over the default cap.
        long maxDelay = settings.containsKey(MAX_DELAY_KEY) ? whole(settings, MAX_DELAY_KEY, maxDelayMs)
                : Math.max(maxDelayMs, delay);
        Object prefix = settings.get(PREFIX_KEY);
        return new RedeliveryDefaults(delay, number(settings, MULTIPLIER_KEY, multiplier), maxDelay,
                (int) whole(settings, MAX_ATTEMPTS_KEY, maxDeliveryAttempts),
                prefix == null ? deadLetterPrefix : prefix.toString().trim());
    }

    private static long whole(Map<?, ?> settings, String key, long dflt) {
        Object v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
        }
    }

    private static double number(Map<?, ?> settings, String key, double dflt) {
        Object v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'");
        }
    }
}
