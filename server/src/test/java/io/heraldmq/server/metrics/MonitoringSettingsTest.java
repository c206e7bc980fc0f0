package io.heraldmq.server.metrics;

import io.heraldmq.server.BrokerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitoringSettingsTest {
    @Test
    void zeroConfigurationServesOn7441AndAnyFreePortFollowsTheClientPort() {
        MonitoringSettings m = BrokerConfig.defaults().monitoring();
        assertEquals("127.0.0.1", m.httpHost());
        assertEquals(7441, m.effectiveHttpPort(7440));
        assertEquals(0, m.effectiveHttpPort(0), "port 0: any free monitoring port too");
        assertEquals(9000, BrokerConfig.defaults().with(Map.of("http.port", "9000")).monitoring()
                .effectiveHttpPort(0));
        assertTrue(m.jmxEnabled());
        assertTrue(m.destinations());
        assertEquals(1000, m.destinationsMax());
    }

    @Test
    void metricsAreOffOnlyWithoutHttpAndJmx() {
        assertTrue(BrokerConfig.defaults().with(Map.of("http.port", "-1")).monitoring().enabled(7440));
        assertFalse(BrokerConfig.defaults().with(Map.of("http.port", "-1", "jmx.enabled", "false")).monitoring()
                .enabled(7440));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        for (Map<String, String> bad : java.util.List.of(Map.of("http.port", "-2"), Map.of("http.port", "x"),
                Map.of("jmx.enabled", "yes"), Map.of("metrics.destinations.max", "-1"), Map.of("http.host", " "),
                Map.of("metrics.destinations", "1"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BrokerConfig.defaults().with(bad));
            String key = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }
}
