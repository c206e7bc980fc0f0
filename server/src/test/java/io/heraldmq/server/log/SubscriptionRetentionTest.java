package io.heraldmq.server.log;

import io.heraldmq.server.junit.TestClock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.heraldmq.server.log.TestBatches.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Retention with subscriptions' holds (issue 5): a closed segment goes only when the destination's limits let it go
 * and every subscription has acknowledged it or kept it past its own retention. The clock is a test clock.
 */
class SubscriptionRetentionTest {
    static final int BATCH = RetentionTest.BATCH;
    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(1_000_000);

    /**
     * 4 closed segments (offsets 0-4, 5-9, 10-14, 15-19) whose newest records are 4, 3, 2 and 1 minutes old, then the
     * active segment (offset 20).
     */
    private PartitionLog fill() throws Exception {
        PartitionLog log = PartitionLog.open(dir, RetentionTest.CONFIG, clock);
        for (int i = 0; i < 21; i++) {
            log.append(batch(1, 100, clock.millis()), 0);
            if (i % 5 == 4) {
                clock.advance(MINUTE);
            }
        }
        assertEquals(5, log.segmentCount());
        return log;
    }

    /** The destination's time limit lets every closed segment go. */
    private static RetentionPolicy expiredLimits(RetentionHold... holds) {
        return new RetentionPolicy(0, -1, Long.MAX_VALUE, List.of(holds));
    }

    @Test
    void aSubscriptionThatHasNotAcknowledgedKeepsSegmentsWithinItsRetention() throws Exception {
        try (PartitionLog log = fill()) {
            assertEquals(0, log.applyRetention(expiredLimits(new RetentionHold(0, HOUR), new RetentionHold(21, 0))));
            assertEquals(0, log.logStartOffset());
            // acknowledged up to offset 7: the segment 0-4 is done with, the segment 5-9 is not
            assertEquals(1, log.applyRetention(expiredLimits(new RetentionHold(8, HOUR))));
            assertEquals(5, log.logStartOffset());
        }
    }

    @Test
    void segmentsEveryoneAcknowledgedGo() throws Exception {
        try (PartitionLog log = fill()) {
            assertEquals(2, log.applyRetention(expiredLimits(new RetentionHold(10, HOUR), new RetentionHold(21, HOUR))));
            assertEquals(10, log.logStartOffset());
            assertEquals(2, log.applyRetention(expiredLimits(new RetentionHold(20, HOUR), new RetentionHold(21, HOUR))));
            assertEquals(20, log.logStartOffset());
        }
    }

    @Test
    void unacknowledgedSegmentsGoOnceTheLaggingSubscriptionsRetentionHasPassed() throws Exception {
        try (PartitionLog log = fill()) {
            RetentionHold lagging = new RetentionHold(0, 150_000);
            // 4 and 3 minutes old: past 2.5 minutes; the 2-minute-old segment stays, and so does everything after it
            assertEquals(2, log.applyRetention(expiredLimits(lagging, new RetentionHold(21, HOUR))));
            assertEquals(10, log.logStartOffset());
            clock.advance(HOUR);
            assertEquals(2, log.applyRetention(expiredLimits(lagging)));
            assertEquals(20, log.logStartOffset());
        }
    }

    @Test
    void retentionAgeIsPerSegment() throws Exception {
        try (PartitionLog log = fill()) {
            // 3.5 minutes: only the 4-minute-old segment is past it
            assertEquals(1, log.applyRetention(expiredLimits(new RetentionHold(0, 210_000))));
            assertEquals(5, log.logStartOffset());
        }
    }

    @Test
    void nothingGoesBeforeTheDestinationsLimitsAllowIt() throws Exception {
        try (PartitionLog log = fill()) {
            List<RetentionHold> allAcknowledged = List.of(new RetentionHold(21, 0));
            assertEquals(0, log.applyRetention(new RetentionPolicy(HOUR, -1, Long.MAX_VALUE, allAcknowledged)));
            assertEquals(0, log.applyRetention(new RetentionPolicy(-1, -1, Long.MAX_VALUE, allAcknowledged)));
            assertEquals(0, log.applyRetention(new RetentionPolicy(-1, 21L * BATCH, Long.MAX_VALUE,
                    allAcknowledged)));
            assertEquals(0, log.logStartOffset());
            clock.advance(HOUR);
            assertEquals(4, log.applyRetention(new RetentionPolicy(HOUR, -1, Long.MAX_VALUE, allAcknowledged)));
        }
    }

    @Test
    void theActiveSegmentNeverGoes() throws Exception {
        try (PartitionLog log = fill()) {
            clock.advance(HOUR);
            assertEquals(4, log.applyRetention(expiredLimits(new RetentionHold(0, 1))));
            assertEquals(0, log.applyRetention(expiredLimits()));
            assertEquals(1, log.segmentCount());
            assertEquals(20, log.logStartOffset());
            assertEquals(21, log.logEndOffset());
        }
    }
}
