package io.heraldmq.server.meta;

import java.util.Arrays;

/**
 * Committed position of a subscription in one partition: every offset below {@code committedOffset} is
 * acknowledged, and so is every offset inside the ranges of {@code ackedRanges}, given as pairs
 * {@code [start, endExclusive)} at or above {@code committedOffset}, sorted and not overlapping.
 *
 * <p>The constructor checks that shape, so a broken position fails at the caller of
 * {@link MetaStore#commitPosition} rather than later inside a batch write. It copies the array because the
 * store keeps positions in memory until the next batch, and the caller may reuse its array. equals/hashCode
 * compare the array contents (a record would compare identity).
 */
public record Position(long committedOffset, long[] ackedRanges) {
    private static final long[] NONE = new long[0];

    public Position {
        if (committedOffset < 0) {
            throw new IllegalArgumentException("committedOffset < 0: " + committedOffset);
        }
        ackedRanges = ackedRanges == null || ackedRanges.length == 0 ? NONE : ackedRanges.clone();
        if (ackedRanges.length % 2 != 0) {
            throw new IllegalArgumentException("ackedRanges must hold (start, endExclusive) pairs");
        }
        long previousEnd = committedOffset;
        for (int i = 0; i < ackedRanges.length; i += 2) {
            long start = ackedRanges[i];
            long end = ackedRanges[i + 1];
            if (start < previousEnd || end <= start) {
                throw new IllegalArgumentException("ackedRanges must be sorted, non-empty, non-overlapping and "
                        + ">= committedOffset " + committedOffset + ": " + Arrays.toString(ackedRanges));
            }
            previousEnd = end;
        }
    }

    public Position(long committedOffset) {
        this(committedOffset, NONE);
    }

    /**
     * This position with {@code offset} settled too: the committed offset moves up over it and any ranges it then
     * touches. Settling an offset already settled returns an equal position, so replaying an ack is harmless.
     */
    public Position settle(long offset) {
        if (offset < committedOffset) {
            return this;
        }
        java.util.TreeMap<Long, Long> ranges = new java.util.TreeMap<>();
        for (int i = 0; i < ackedRanges.length; i += 2) {
            ranges.put(ackedRanges[i], ackedRanges[i + 1]);
        }
        var below = ranges.floorEntry(offset);
        if (below != null && offset < below.getValue()) {
            return this;
        }
        long start = offset;
        long end = offset + 1;
        if (below != null && below.getValue() == offset) {
            start = below.getKey();
            ranges.remove(below.getKey());
        }
        Long after = ranges.get(end);
        if (after != null) {
            ranges.remove(end);
            end = after;
        }
        ranges.put(start, end);
        long committed = committedOffset;
        var first = ranges.firstEntry();
        if (first.getKey() == committed) {
            committed = first.getValue();
            ranges.remove(first.getKey());
        }
        long[] out = new long[ranges.size() * 2];
        int n = 0;
        for (var r : ranges.entrySet()) {
            out[n++] = r.getKey();
            out[n++] = r.getValue();
        }
        return new Position(committed, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Position p && p.committedOffset == committedOffset
                && Arrays.equals(p.ackedRanges, ackedRanges);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(committedOffset) * 31 + Arrays.hashCode(ackedRanges);
    }

    @Override
    public String toString() {
        return "Position[committedOffset=" + committedOffset + ", ackedRanges=" + Arrays.toString(ackedRanges) + "]";
    }
}
