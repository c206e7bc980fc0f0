package io.heraldmq.server;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerConfigTest {
    @Test
    void storageDefaults() {
        BrokerConfig c = BrokerConfig.defaults();
        assertEquals(300_000, c.retentionCheckIntervalMs());
        assertEquals(7L * 24 * 3600 * 1000, c.retentionMs());
        assertEquals(-1, c.retentionBytes());
        assertEquals(7L * 24 * 3600 * 1000, c.subscriptionRetentionMs());
        assertEquals(3_600_000, c.with(Map.of("subscription.retention.ms", "3600000")).subscriptionRetentionMs());
        assertEquals(100L << 20, c.diskMinFreeBytes());
        assertEquals(DestinationSettings.NONE, c.destination(false, "anything"));
    }

    @Test
    void perDestinationKeysTakeNamesWithDots() {
        BrokerConfig c = BrokerConfig.defaults().with(Map.of(
                "topic.market.prices.partitions", "3",
                "topic.market.prices.retention.ms", "60000",
                "queue.jobs.retention.bytes", "1000",
                "queue.a.retention.partitions", "2",
                "topic.default.partitions", "4"));
        assertEquals(new DestinationSettings(3, 60_000, -1), c.destination(false, "market.prices"));
        assertEquals(new DestinationSettings(0, -1, 1000), c.destination(true, "jobs"));
        assertEquals(DestinationSettings.NONE, c.destination(false, "jobs"), "queues and topics are apart");
        assertEquals(2, c.destination(true, "a.retention").partitions());
        assertEquals(4, c.defaultPartitions(), "topic.default.partitions keeps its meaning");
        // a later with() adds to what is there
        BrokerConfig d = c.with(Map.of("topic.market.prices.retention.bytes", "5"));
        assertEquals(new DestinationSettings(3, 60_000, 5), d.destination(false, "market.prices"));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        BrokerConfig c = BrokerConfig.defaults();
        assertMessage(c, "topic.orders.partitions", "0", "topic.orders.partitions must be at least 1");
        assertMessage(c, "queue.jobs.retention.ms", "-1", "queue.jobs.retention.ms must not be negative");
        assertMessage(c, "topic.orders.retention.bytes", "lots", "topic.orders.retention.bytes must be a number");
        assertMessage(c, "topic.orders.colour", "red", "unknown configuration key 'topic.orders.colour'");
        assertMessage(c, "topic..partitions", "2", "unknown configuration key");
        assertMessage(c, "log.retention.bytes", "-2", "log.retention.bytes must be -1 (no limit) or more");
        assertMessage(c, "log.retention.check.interval.ms", "0", "log.retention.check.interval.ms must be positive");
        assertMessage(c, "disk.min.free.bytes", "-1", "disk.min.free.bytes must not be negative");
        assertMessage(c, "subscription.retention.ms", "0", "subscription.retention.ms must be positive");
        assertMessage(c, "subscription.retention.ms", "week", "subscription.retention.ms must be a number");
    }

    private static void assertMessage(BrokerConfig c, String key, String value, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.with(Map.of(key, value)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
