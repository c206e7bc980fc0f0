package io.heraldmq.server.logging;

import java.util.Map;
import java.util.Set;

/**
 * The broker's {@code logging.*} keys: how each log line is written, wherever it goes (the console of a zero-config
 * broker, or the appenders of a {@code logback.xml} that use {@link BrokerEncoder}, as the distribution's does).
 * Where lines go is Logback's business: {@code -Dlogback.configurationFile=...} (see README, "Logs").
 * <p>
 * Not {@code log.*}: those keys are the message log's ({@code log.segment.bytes}, {@code log.retention.ms}).
 *
 * @param json    {@code logging.format = json}: one JSON object per line (Logback's JsonEncoder, the formatted
 *                message, the broker id among the context properties); {@code text} (default): {@code pattern}
 * @param pattern {@code logging.pattern}: a Logback pattern layout for text lines; {@value #DEFAULT_PATTERN} by default
 */
public record LoggingSettings(boolean json, String pattern) {
    public static final String FORMAT_KEY = "logging.format";
    public static final String PATTERN_KEY = "logging.pattern";
    public static final Set<String> KEYS = Set.of(FORMAT_KEY, PATTERN_KEY);
    /** The context property that carries the broker id (set once the broker knows it; "-" before). */
    public static final String BROKER_ID_PROPERTY = "broker.id";
    /** One line per event: time, level, broker id, logger, message (a stack trace follows on lines of its own). */
    public static final String DEFAULT_PATTERN =
            "%d{ISO8601} %-5level [%property{" + BROKER_ID_PROPERTY + "}] %logger{20} - %msg%n";
    public static final LoggingSettings DEFAULTS = new LoggingSettings(false, DEFAULT_PATTERN);

    public LoggingSettings {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException(PATTERN_KEY + " must not be empty");
        }
    }

    /** The settings of these configuration keys (others are ignored). */
    public static LoggingSettings from(Map<String, String> keys) {
        String format = keys.getOrDefault(FORMAT_KEY, "text").trim();
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException(FORMAT_KEY + " must be text or json, was " + format);
        }
        String pattern = keys.getOrDefault(PATTERN_KEY, DEFAULT_PATTERN);
        return new LoggingSettings(format.equals("json"), pattern);
    }
}
