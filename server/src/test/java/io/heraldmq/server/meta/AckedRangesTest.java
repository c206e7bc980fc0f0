package io.heraldmq.server.meta;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AckedRangesTest {
    @Test
    void roundTrips() {
        long[][] cases = {
                {},
                {101, 102},
                {100, 101, 105, 200, 1_000_000, 1_000_001},
                {Long.MAX_VALUE - 1, Long.MAX_VALUE},
        };
        for (long[] ranges : cases) {
            Position p = new Position(100, ranges);
            assertArrayEquals(ranges, AckedRanges.decode(100, AckedRanges.encode(p)));
        }
    }

    @Test
    void isCompact() {
        // 3 ranges near the committed offset: format byte + 6 one-byte varints, instead of 48 bytes of longs.
        byte[] b = AckedRanges.encode(new Position(1_000_000_000L,
                new long[]{1_000_000_002L, 1_000_000_003L, 1_000_000_010L, 1_000_000_020L, 1_000_000_021L,
                        1_000_000_022L}));
        assertEquals(7, b.length);
        assertEquals(1, AckedRanges.encode(new Position(5)).length);
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> new Position(10, new long[]{11}));
        assertThrows(IllegalArgumentException.class, () -> new Position(10, new long[]{9, 12}), "below committed");
        assertThrows(IllegalArgumentException.class, () -> new Position(10, new long[]{12, 12}), "empty range");
        assertThrows(IllegalArgumentException.class, () -> new Position(10, new long[]{20, 30, 25, 40}),
                "overlap");
        assertThrows(IllegalArgumentException.class, () -> new Position(-1));
        assertThrows(IllegalStateException.class, () -> AckedRanges.decode(0, new byte[]{9, 1, 1}));
    }

    @Test
    void positionCopiesAndComparesByContent() {
        long[] ranges = {12, 13};
        Position p = new Position(10, ranges);
        ranges[0] = 99;
        assertEquals(new Position(10, new long[]{12, 13}), p);
        assertEquals(new Position(10, new long[]{12, 13}).hashCode(), p.hashCode());
    }
}
