package io.heraldmq.server.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The command line's duration and time arguments. */
class ConvertersTest {
    private final DurationConverter durations = new DurationConverter();
    private final SubscriptionCommand.InstantConverter instants = new SubscriptionCommand.InstantConverter();

    @Test
    void durationsWithUnitsOrIso8601() {
        assertEquals(Duration.ofMillis(500), durations.convert("500ms"));
        assertEquals(Duration.ofSeconds(30), durations.convert("30s"));
        assertEquals(Duration.ofMinutes(15), durations.convert("15m"));
        assertEquals(Duration.ofHours(24), durations.convert("24h"));
        assertEquals(Duration.ofDays(7), durations.convert("7d"));
        assertEquals(Duration.ofMinutes(90), durations.convert("PT1H30M"));
        assertThrows(IllegalArgumentException.class, () -> durations.convert("soon"));
        assertThrows(IllegalArgumentException.class, () -> durations.convert("0h"));
        assertThrows(RuntimeException.class, () -> durations.convert("xh"));
    }

    @Test
    void timesAsIso8601OrEpochMillis() {
        assertEquals(Instant.parse("2026-01-31T12:00:00Z"), instants.convert("2026-01-31T12:00:00Z"));
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), instants.convert("1700000000000"));
        assertThrows(IllegalArgumentException.class, () -> instants.convert("yesterday"));
    }
}
