package io.heraldmq.server.subscription;

import java.util.Iterator;
import java.util.TreeSet;

/**
 * The settled offsets of one subscription in one partition: every offset below {@link #committed()} is settled
 * (acknowledged, filtered out or expired), plus the settled offsets above it, which out-of-order acks of competing
 * consumers leave. This pair is what the metadata store keeps as the subscription's position.
 */
final class AckTracker {
    private long committed;
    private final TreeSet<Long> above = new TreeSet<>();

    AckTracker(long committed, long[] ranges) {
        this.committed = committed;
        if (ranges != null) {
            for (int i = 0; i + 1 < ranges.length; i += 2) {
                for (long o = ranges[i]; o < ranges[i + 1]; o++) {
                    settle(o);
                }
            }
        }
    }

    long committed() {
        return committed;
    }

    boolean isSettled(long offset) {
        return offset < committed || (!above.isEmpty() && above.contains(offset));
    }

    /** @return whether the committed offset moved */
    boolean settle(long offset) {
        if (offset < committed) {
            return false;
        }
        if (offset != committed) {
            above.add(offset);
            return false;
        }
        committed++;
        while (!above.isEmpty() && above.first() == committed) {
            above.pollFirst();
            committed++;
        }
        return true;
    }

    /**
     * Retention deleted every offset below {@code logStart}: none of them can be delivered or settled any more, so
     * they count as settled and the committed offset moves up to the log start.
     *
     * @return whether the committed offset moved
     */
    boolean skipTo(long logStart) {
        if (logStart <= committed) {
            return false;
        }
        committed = logStart;
        above.headSet(logStart).clear();
        while (!above.isEmpty() && above.first() == committed) {
            above.pollFirst();
            committed++;
        }
        return true;
    }

    /** How many offsets above the committed one are settled. */
    int settledAbove() {
        return above.size();
    }

    /** Settled offsets above the committed one as [start, endExclusive) pairs. */
    long[] ranges() {
        if (above.isEmpty()) {
            return new long[0];
        }
        long[] out = new long[above.size() * 2];
        int n = 0;
        Iterator<Long> it = above.iterator();
        long start = it.next();
        long end = start + 1;
        while (it.hasNext()) {
            long o = it.next();
            if (o == end) {
                end++;
            } else {
                out[n++] = start;
                out[n++] = end;
                start = o;
                end = o + 1;
            }
        }
        out[n++] = start;
        out[n++] = end;
        return java.util.Arrays.copyOf(out, n);
    }
}
