package io.heraldmq.server.log;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.junit.TestClock;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.heraldmq.server.log.TestBatches.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlOffsetsTest {
    static final LogConfig CLUSTERED = new LogConfig(1024, 3_600_000, 256, true, true);

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(1_000_000);

    @Test
    void countsRangesTruncatesAndDrops() {
        ControlOffsets c = new ControlOffsets();
        c.add(2, 3);
        c.add(3, 5); // adjacent: merged
        c.add(10, 11);
        c.add(20, 24);
        assertEquals(8, c.count(0, 100));
        assertEquals(3, c.count(2, 5));
        assertEquals(1, c.count(4, 10));
        assertEquals(2, c.count(4, 11));
        assertEquals(2, c.count(21, 23));
        assertEquals(0, c.count(5, 10));
        assertEquals(0, c.count(7, 7));

        c.dropBelow(4); // retention
        assertEquals(6, c.count(0, 100));
        assertEquals(1, c.count(0, 5));
        c.dropBelow(15);
        assertEquals(4, c.count(0, 100));
        assertEquals(0, c.count(0, 20));

        c.truncateTo(22);
        assertEquals(2, c.count(0, 100));
        c.add(22, 23);
        assertEquals(3, c.count(0, 100));
        c.truncateTo(0);
        assertEquals(0, c.count(0, 100));
        c.add(5, 6);
        assertEquals(1, c.count(0, 100));
    }

    @Test
    void followsAppendsTruncationAndRetentionAndSurvivesCleanAndUncleanRestarts() throws Exception {
        long controls = 0;
        try (PartitionLog log = PartitionLog.open(dir, CLUSTERED, clock)) {
            for (int i = 0; i < 40; i++) {
                log.append(i % 3 == 0 ? control(i % 2 + 1) : batch(2, 30, clock.millis()), 1);
                if (i % 3 == 0) {
                    controls += i % 2 + 1;
                }
            }
            assertTrue(log.segmentCount() > 3, "segments: " + log.segmentCount());
            assertEquals(controls, log.controlRecords(0, log.logEndOffset()));
        }
        assertTrue(Files.exists(dir.resolve(ControlOffsets.FILE)));

        PartitionLog log = PartitionLog.open(dir, CLUSTERED, clock);
        assertEquals(controls, log.controlRecords(0, log.logEndOffset()), "loaded after a clean shutdown");
        long end = log.logEndOffset();
        log.append(control(3), 1);
        log.flush();
        log.abandon(); // a crash: the file describes an older end and is not trusted
        log = PartitionLog.open(dir, CLUSTERED, clock);
        assertEquals(controls + 3, log.controlRecords(0, log.logEndOffset()), "rebuilt from the batch headers");

        log.truncateTo(end);
        assertEquals(controls, log.controlRecords(0, log.logEndOffset()));

        long start = log.retire(new RetentionPolicy(-1, 1, Long.MAX_VALUE)).logStartOffset();
        assertTrue(start > 0);
        long expected = 0;
        for (long o = start; o < log.logEndOffset(); ) {
            Buffer b = log.read(o, 1);
            if (RecordBatch.isControl(b)) {
                expected += RecordBatch.nextOffset(b) - RecordBatch.baseOffset(b);
            }
            o = RecordBatch.nextOffset(b);
        }
        assertEquals(expected, log.controlRecords(0, log.logEndOffset()), "retired segments' controls forgotten");
        log.close();
    }

    @Test
    void aSingleNodeLogIsNotScanned() throws Exception {
        PartitionLog log = PartitionLog.open(dir, CLUSTERED, clock);
        log.append(control(2), 1);
        log.flush();
        log.abandon();
        try (PartitionLog reopened = PartitionLog.open(dir, new LogConfig(1024, 3_600_000, 256, true), clock)) {
            assertEquals(0, reopened.controlRecords(0, reopened.logEndOffset()), "no scan without control records");
        }
    }

    private static Buffer control(int records) {
        RecordBatch.Builder builder = new RecordBatch.Builder(RecordBatch.ATTR_CONTROL, 64);
        for (int i = 0; i < records; i++) {
            builder.add(1000, null, Buffer.buffer(new byte[] {1, 2, 3}));
        }
        return builder.build();
    }
}
