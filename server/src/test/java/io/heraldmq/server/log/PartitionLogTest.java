package io.heraldmq.server.log;

import io.heraldmq.server.junit.TestClock;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.heraldmq.server.log.TestBatches.batch;
import static io.heraldmq.server.log.TestBatches.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionLogTest {
    static final LogConfig SMALL = new LogConfig(2048, 3_600_000, 256, true);

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(1_000_000);

    @Test
    void appendAndReadAcrossRolls() throws Exception {
        List<Buffer> written = new ArrayList<>();
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            long expected = 0;
            for (int i = 0; i < 120; i++) {
                Buffer b = batch(1 + i % 4, 10 + (i * 7) % 90, 1000 + i);
                assertEquals(expected, log.append(b, 3));
                assertEquals(3, RecordBatch.leaderEpoch(b));
                expected += 1 + i % 4;
                written.add(b.copy());
                assertEquals(expected, log.logEndOffset());
            }
            assertTrue(log.segmentCount() > 5, "segments: " + log.segmentCount());
            assertEquals(written.stream().mapToLong(Buffer::length).sum(), log.sizeInBytes());

            // every offset, including ones in the middle of batches, starts the read at its batch
            for (Buffer b : written) {
                for (long offset = RecordBatch.baseOffset(b); offset <= RecordBatch.lastOffset(b); offset++) {
                    List<Buffer> got = split(log.read(offset, 1));
                    assertEquals(1, got.size(), "at least one whole batch even for maxBytes 1");
                    assertEquals(b, got.get(0));
                }
            }
            // reading everything in chunks gives back exactly the batches, in order
            List<Buffer> all = new ArrayList<>();
            long next = 0;
            while (true) {
                Buffer chunk = log.read(next, 700);
                if (chunk.length() == 0) {
                    break;
                }
                assertTrue(chunk.length() <= Math.max(700, RecordBatch.sizeAt(chunk, 0)));
                for (Buffer b : split(chunk)) {
                    all.add(b);
                    next = RecordBatch.nextOffset(b);
                }
            }
            assertEquals(written, all);
            assertEquals(0, log.read(log.logEndOffset(), 1000).length());
            assertEquals(0, log.read(log.logEndOffset() + 10, 1000).length());
        }
    }

    @Test
    void rollsByAge() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig(1 << 20, 1000, 4096, true), clock)) {
            log.append(batch(1, 10, clock.millis()), 0);
            log.append(batch(1, 10, clock.millis()), 0);
            assertEquals(1, log.segmentCount());
            clock.advance(1000);
            log.append(batch(1, 10, clock.millis()), 0);
            assertEquals(2, log.segmentCount());
            assertTrue(Files.exists(dir.resolve("00000000000000000002.log")));
        }
    }

    @Test
    void offsetForTimestamp() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            List<Long> bases = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                bases.add(log.append(batch(2, 40, 10_000 + i * 10L), 0));
            }
            assertTrue(log.segmentCount() > 3);
            assertEquals(0, log.offsetForTimestamp(0));
            assertEquals(0, log.offsetForTimestamp(10_000));
            for (int i = 1; i < 100; i++) {
                assertEquals(bases.get(i), log.offsetForTimestamp(10_000 + i * 10L), "exact " + i);
                assertEquals(bases.get(i), log.offsetForTimestamp(10_000 + i * 10L - 5), "between " + i);
            }
            assertEquals(log.logEndOffset(), log.offsetForTimestamp(10_000 + 100 * 10L));
        }
    }

    @Test
    void timestampBoundIsNoLaterThanTheRecordsAndCloseToIt() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            List<Long> bases = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                bases.add(log.append(batch(2, 40, 10_000 + i * 10L), 0));
            }
            assertTrue(log.segmentCount() > 3);
            // the oldest segment's first interval has no entry and no segment before it: its own newest timestamp
            assertTrue(log.timestampBound(0) >= 10_000);
            for (int i = 2; i < 100; i++) {
                long stamped = 10_000 + i * 10L;
                long bound = log.timestampBound(bases.get(i) + 1);
                // one index interval (256 bytes) is about two of these batches; a segment's start adds one
                assertTrue(bound <= stamped && bound >= stamped - 40, "batch " + i + ": " + bound);
            }
            assertEquals(-1, log.timestampBound(log.logEndOffset()));
        }
    }

    @Test
    void offsetForTimestampWithClockGoingBack() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            log.append(batch(1, 10, 500), 0);
            log.append(batch(1, 10, 300), 0);
            log.append(batch(1, 10, 700), 0);
            log.append(batch(1, 10, 600), 0);
            assertEquals(0, log.offsetForTimestamp(400));
            assertEquals(2, log.offsetForTimestamp(650));
            assertEquals(4, log.offsetForTimestamp(701));
        }
    }

    @Test
    void cleanCloseSkipsTheScanAndKeepsData() throws Exception {
        List<Buffer> written = new ArrayList<>();
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertFalse(log.recoveredOnOpen());
            for (int i = 0; i < 40; i++) {
                Buffer b = batch(2, 50, 1000 + i);
                log.append(b, 0);
                written.add(b.copy());
            }
        }
        Path marker = dir.resolve(PartitionLog.CLEAN_SHUTDOWN_FILE);
        assertTrue(Files.exists(marker));
        // trimmed: no preallocated zeros left on disk
        long onDisk = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".log"))::iterator) {
                onDisk += Files.size(p);
            }
        }
        assertEquals(written.stream().mapToLong(Buffer::length).sum(), onDisk);

        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertFalse(log.recoveredOnOpen());
            assertFalse(Files.exists(marker), "marker deleted so that a crash is detected");
            assertEquals(80, log.logEndOffset());
            assertEquals(80, log.durableOffset());
            assertEquals(written, readAll(log));
            assertEquals(80, log.append(batch(1, 10, 2000), 0));
            log.abandon();
        }
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertTrue(log.recoveredOnOpen());
            assertEquals(81, log.logEndOffset());
        }
    }

    @Test
    void flushReportsTheDurableEnd() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertEquals(0, log.durableOffset());
            for (int i = 0; i < 30; i++) {
                log.append(batch(1, 100, 1000), 0);
            }
            assertEquals(0, log.durableOffset());
            assertEquals(30, log.flush());
            assertEquals(30, log.durableOffset());
            assertEquals(30, log.flush());
        }
    }

    static List<Buffer> readAll(PartitionLog log) throws Exception {
        List<Buffer> all = new ArrayList<>();
        long next = log.logStartOffset();
        while (true) {
            Buffer chunk = log.read(next, 1 << 16);
            if (chunk.length() == 0) {
                return all;
            }
            for (Buffer b : split(chunk)) {
                all.add(b);
                next = RecordBatch.nextOffset(b);
            }
        }
    }
}
