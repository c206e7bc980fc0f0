package io.heraldmq.server.log;

import io.heraldmq.server.junit.TestClock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.heraldmq.server.log.TestBatches.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RetentionTest {
    /** Each batch is 1 record of 100 payload bytes; 5 fit a segment. */
    static final int BATCH = batch(1, 100, 0).length();
    static final LogConfig CONFIG = new LogConfig(5L * BATCH, 3_600_000, 256, true);

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(1_000_000);

    /** 4 segments of 5 batches (offsets 0-4, 5-9, 10-14, 15-19), the first stamped 1 minute apart, then 1 active. */
    private PartitionLog fill() throws Exception {
        PartitionLog log = PartitionLog.open(dir, CONFIG, clock);
        for (int i = 0; i < 21; i++) {
            log.append(batch(1, 100, clock.millis()), 0);
            if (i % 5 == 4) {
                clock.advance(60_000);
            }
        }
        assertEquals(5, log.segmentCount());
        return log;
    }

    @Test
    void byTime() throws Exception {
        try (PartitionLog log = fill()) {
            // now = start + 4 min; segment k's newest record is at start + k min
            assertEquals(0, log.applyRetention(new RetentionPolicy(300_000, -1, Long.MAX_VALUE)));
            assertEquals(2, log.applyRetention(new RetentionPolicy(150_000, -1, Long.MAX_VALUE)));
            assertEquals(10, log.logStartOffset());
            assertEquals(3, log.segmentCount());
            assertEquals(10, log.read(0, 1).getLong(0), "reads below the start read from the start");
            clock.advance(3_600_000);
            assertEquals(2, log.applyRetention(new RetentionPolicy(1, -1, Long.MAX_VALUE)), "never the active one");
            assertEquals(20, log.logStartOffset());
            assertEquals(1, log.segmentCount());
            assertEquals(21, log.logEndOffset());
        }
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertEquals(20, log.logStartOffset());
            assertEquals(21, log.logEndOffset());
        }
    }

    @Test
    void bySize() throws Exception {
        try (PartitionLog log = fill()) {
            long size = log.sizeInBytes();
            assertEquals(21L * BATCH, size);
            assertEquals(0, log.applyRetention(new RetentionPolicy(-1, size - 5L * BATCH + 1, Long.MAX_VALUE)));
            assertEquals(1, log.applyRetention(new RetentionPolicy(-1, size - 5L * BATCH, Long.MAX_VALUE)));
            assertEquals(3, log.applyRetention(new RetentionPolicy(-1, 0, Long.MAX_VALUE)));
            assertEquals(1, log.segmentCount());
            assertEquals(BATCH, log.sizeInBytes());
        }
    }

    @Test
    void keepsWhatSubscriptionsNeed() throws Exception {
        try (PartitionLog log = fill()) {
            // segment 5-9 still holds offset 9, which a subscription needs
            assertEquals(1, log.applyRetention(new RetentionPolicy(0, -1, 9)));
            assertEquals(5, log.logStartOffset());
            assertEquals(0, log.applyRetention(new RetentionPolicy(0, 0, 9)));
            assertEquals(1, log.applyRetention(new RetentionPolicy(0, 0, 10)));
            assertEquals(10, log.logStartOffset());
        }
    }
}
