package io.heraldmq.server.subscription;

import io.heraldmq.server.RedeliveryDefaults;
import io.heraldmq.server.meta.DeadLetterSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedeliveryPolicyTest {
    private static RedeliveryPolicy policy(int max, long delay, double multiplier, long maxDelay) {
        return new RedeliveryPolicy(max, delay, multiplier, maxDelay, "DLQ.q");
    }

    @Test
    void firstDeliveryNeverWaits() {
        assertEquals(0, policy(10, 500, 2.0, 60_000).delayBefore(1));
    }

    @Test
    void backoffGrowsByTheMultiplierFromTheFirstRedelivery() {
        RedeliveryPolicy p = policy(10, 100, 2.0, 60_000);
        assertEquals(100, p.delayBefore(2));
        assertEquals(200, p.delayBefore(3));
        assertEquals(400, p.delayBefore(4));
        assertEquals(800, p.delayBefore(5));
    }

    @Test
    void backoffIsCappedAtTheMaximumDelay() {
        RedeliveryPolicy p = policy(-1, 1000, 3.0, 5000);
        assertEquals(3000, p.delayBefore(3));
        assertEquals(5000, p.delayBefore(4));
        assertEquals(5000, p.delayBefore(1_000_000), "a huge count neither overflows nor passes the cap");
    }

    @Test
    void multiplierOneKeepsTheDelayConstant() {
        RedeliveryPolicy p = policy(10, 250, 1.0, 250);
        assertEquals(250, p.delayBefore(2));
        assertEquals(250, p.delayBefore(9));
    }

    @Test
    void zeroDelayRedeliversAtOnce() {
        assertEquals(0, policy(10, 0, 2.0, 60_000).delayBefore(5));
    }

    @Test
    void exhaustedOnceTheNextDeliveryWouldPassTheLimit() {
        RedeliveryPolicy p = policy(3, 0, 2.0, 0);
        assertFalse(p.exhausted(3), "the third delivery is still allowed");
        assertTrue(p.exhausted(4));
        assertFalse(policy(-1, 0, 2.0, 0).exhausted(Integer.MAX_VALUE), "-1 is unlimited");
        assertFalse(p.unlimited().exhausted(100));
    }

    @Test
    void defaultsNameTheDeadLetterQueueAfterTheDestination() {
        RedeliveryPolicy p = RedeliveryPolicy.of(RedeliveryDefaults.DEFAULTS, "orders");
        assertEquals("DLQ.orders", p.deadLetterQueue());
        assertEquals(10, p.maxDeliveryAttempts());
        assertEquals(0, p.delayBefore(2));
    }

    @Test
    void destinationSettingsOverrideTheDefaults() {
        RedeliveryPolicy own = RedeliveryPolicy.of(new DeadLetterSettings(true, "orders", 3, 50, 1.5, 100,
                null), RedeliveryDefaults.DEFAULTS, "orders");
        assertEquals(3, own.maxDeliveryAttempts());
        assertEquals(75, own.delayBefore(3));
        assertEquals(100, own.delayBefore(4));
        assertEquals("DLQ.orders", own.deadLetterQueue(), "no dead letter destination: the default name");
        RedeliveryPolicy named = RedeliveryPolicy.of(new DeadLetterSettings(true, "orders", 3, 0, 1, 0,
                "poison"), RedeliveryDefaults.DEFAULTS, "orders");
        assertEquals("poison", named.deadLetterQueue());
    }
}
