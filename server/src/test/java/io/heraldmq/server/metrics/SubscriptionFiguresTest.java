package io.heraldmq.server.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.LongBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SubscriptionFiguresTest {
    /** Control records at offsets 12, 15 and 18 (an epoch marker and two position batches, say). */
    private static final LongBinaryOperator CONTROLS = (from, to) ->
            List.of(12L, 15L, 18L).stream().filter(o -> o >= from && o < to).count();

    @Test
    void theBacklogLeavesOutControlRecordsTheDispatcherHasNotReached() {
        SubscriptionFigures f = new SubscriptionFigures();
        // committed 10, nothing read above it: offsets 10..19 are behind, three of them control records
        f.settled.set(10);
        f.readOffset.set(10);
        assertEquals(7, f.backlog(20, CONTROLS));
        // read up to 16: 12 and 15 were passed and settled with 10..15 delivered and acknowledged
        f.settled.set(16);
        f.readOffset.set(16);
        assertEquals(3, f.backlog(20, CONTROLS), "16, 17 and 19");
        // delivered but not acknowledged: still behind, in flight
        f.settled.set(12);
        assertEquals(7, f.backlog(20, CONTROLS), "10, 11, 13, 14 in flight; 16, 17, 19 not read");
        // nothing behind, and a read offset past a log end that was truncated
        f.settled.set(20);
        f.readOffset.set(25);
        assertEquals(0, f.backlog(20, CONTROLS));
    }
}
