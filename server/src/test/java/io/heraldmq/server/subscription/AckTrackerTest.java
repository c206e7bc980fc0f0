package io.heraldmq.server.subscription;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckTrackerTest {
    @Test
    void skippingToTheLogStartSettlesWhatRetentionDeleted() {
        AckTracker acks = new AckTracker(0, null);
        acks.settle(2);
        acks.settle(5);
        acks.settle(6);
        acks.settle(10);
        assertTrue(acks.skipTo(5));
        // 0-4 are gone, 5 and 6 were settled already: the committed offset runs on to 7
        assertEquals(7, acks.committed());
        assertArrayEquals(new long[] {10, 11}, acks.ranges());
        assertFalse(acks.skipTo(3), "a log start below the committed offset changes nothing");
        assertEquals(7, acks.committed());
        assertTrue(acks.isSettled(4));
        assertFalse(acks.isSettled(8));
    }
}
