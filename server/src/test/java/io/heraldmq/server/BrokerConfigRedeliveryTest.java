package io.heraldmq.server;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker-wide redelivery and dead-letter defaults in the configuration. */
class BrokerConfigRedeliveryTest {
    @Test
    void defaultsAreArtemisLike() {
        RedeliveryDefaults d = BrokerConfig.defaults().redelivery();
        assertEquals(0, d.delayMs());
        assertEquals(2.0, d.multiplier());
        assertEquals(10, d.maxDeliveryAttempts());
        assertEquals("DLQ.", d.deadLetterPrefix());
    }

    @Test
    void keysOverrideTheDefaults() {
        RedeliveryDefaults d = BrokerConfig.defaults().with(Map.of("redelivery.delay.ms", "200",
                "redelivery.multiplier", "1.5", "redelivery.max.delay.ms", "1000", "max.delivery.attempts", "-1",
                "dead.letter.prefix", "DEAD.")).redelivery();
        assertEquals(new RedeliveryDefaults(200, 1.5, 1000, -1, "DEAD."), d);
    }

    @Test
    void aDelayAboveTheDefaultCapRaisesTheCap() {
        RedeliveryDefaults d = BrokerConfig.defaults().with(Map.of("redelivery.delay.ms", "120000")).redelivery();
        assertEquals(120_000, d.maxDelayMs());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        for (Map<String, String> bad : new Map[]{Map.of("max.delivery.attempts", "0"),
                Map.of("redelivery.multiplier", "0.5"), Map.of("redelivery.delay.ms", "-1"),
                Map.of("redelivery.delay.ms", "soon"), Map.of("dead.letter.prefix", " "),
                Map.of("redelivery.delay.ms", "500", "redelivery.max.delay.ms", "100")}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BrokerConfig.defaults().with(bad));
            String key = bad.containsKey("redelivery.max.delay.ms") ? "redelivery.max.delay.ms"
                    : bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }
}
