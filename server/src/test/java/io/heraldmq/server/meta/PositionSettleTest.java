package io.heraldmq.server.meta;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Position#settle}: how transaction recovery merges a journaled ack into a stored position. */
class PositionSettleTest {
    @Test
    void theNextOffsetMovesTheCommittedOffsetOverTheRangesItNowTouches() {
        assertEquals(new Position(6), new Position(5).settle(5));
        assertEquals(new Position(9, new long[] {12, 13}), new Position(5, new long[] {6, 9, 12, 13}).settle(5));
    }

    @Test
    void anOffsetAboveIsAddedAsARangeAndJoinsItsNeighbours() {
        assertEquals(new Position(5, new long[] {8, 9}), new Position(5).settle(8));
        assertEquals(new Position(5, new long[] {6, 10}), new Position(5, new long[] {6, 8, 9, 10}).settle(8));
        assertEquals(new Position(5, new long[] {6, 9}), new Position(5, new long[] {6, 8}).settle(8));
        assertEquals(new Position(5, new long[] {7, 10}), new Position(5, new long[] {8, 10}).settle(7));
    }

    @Test
    void settlingTwiceChangesNothing() {
        Position p = new Position(5, new long[] {8, 10});
        assertEquals(p, p.settle(3));
        assertEquals(p, p.settle(9));
        assertEquals(p.settle(12), p.settle(12).settle(12));
    }
}
