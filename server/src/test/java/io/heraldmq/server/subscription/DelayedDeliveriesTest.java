package io.heraldmq.server.subscription;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelayedDeliveriesTest {
    private static PendingDelivery at(long offset, long due) {
        return PendingDelivery.of(offset, 1, Records.record(4, null, due, 0), true);
    }

    @Test
    void releasedInDeliveryTimeOrderOnceDue() {
        DelayedDeliveries d = new DelayedDeliveries();
        d.add(at(1, 3000));
        d.add(at(2, 1000));
        d.add(at(3, 2000));
        assertEquals(1000, d.nextDue());
        assertNull(d.pollDue(999));
        assertEquals(2, d.pollDue(2500).offset);
        assertEquals(3, d.pollDue(2500).offset);
        assertNull(d.pollDue(2500));
        assertTrue(d.contains(1));
        assertFalse(d.contains(2));
        assertEquals(1, d.pollDue(5000).offset);
        assertTrue(d.isEmpty());
        assertEquals(Long.MAX_VALUE, d.nextDue());
    }

    @Test
    void holdsItsOwnCopyAndIgnoresAnOffsetAddedTwice() {
        DelayedDeliveries d = new DelayedDeliveries();
        PendingDelivery p = at(7, 10);
        d.add(p);
        d.add(at(7, 10));
        PendingDelivery back = d.pollDue(10);
        assertNotSame(p.record, back.record);
        assertEquals(p.record, back.record);
        assertNull(d.pollDue(10));
    }
}
