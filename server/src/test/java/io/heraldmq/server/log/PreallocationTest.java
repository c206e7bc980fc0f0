package io.heraldmq.server.log;

import io.heraldmq.server.junit.TestClock;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.heraldmq.server.log.TestBatches.batch;
import static io.heraldmq.server.log.TestBatches.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zero-filling ahead of the write position runs on the filler executor and never lands on appended bytes. */
class PreallocationTest {
    static final LogConfig CONFIG = new LogConfig(8L << 20, 3_600_000, 4096, true);

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(1_000_000);

    @Test
    void zerosAreWrittenByTheFillerNotByTheAppender() throws Exception {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock, queued::add)) {
            Buffer b = batch(1, 100, 1000);
            log.append(b, 0);
            log.flush();
            Path file = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
            assertEquals(b.length(), Files.size(file), "the append itself wrote no zeros");
            assertEquals(0, queued.size(), "no fill before the segment was flushed");
            Buffer second = batch(1, 100, 1001);
            log.append(second, 0);
            assertEquals(1, queued.size(), "one fill handed to the filler");
            log.flush();
            log.append(batch(1, 100, 1002), 0);
            assertEquals(1, queued.size(), "no second fill while one is pending");
            queued.poll().run();
            assertEquals(b.length() + second.length() + LogSegment.PREALLOCATE_STEP, Files.size(file));
        }
    }

    @Test
    void aLogNobodySyncsIsNotZeroFilled() throws Exception {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock, queued::add)) {
            long bytes = 0;
            for (int i = 0; i < 50; i++) {
                Buffer b = batch(1, 100_000, 1000 + i);
                log.append(b, 0);
                bytes += b.length();
            }
            assertEquals(0, queued.size(), "no fill without a flush");
            assertEquals(bytes, Files.size(dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX))));
        }
    }

    @Test
    void anAppendThatOutrunsAPendingFillIsNotOverwrittenByIt() throws Exception {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        List<Buffer> written = new ArrayList<>();
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock, queued::add)) {
            Buffer first = batch(1, 100, 999);
            log.append(first, 0);
            written.add(first.copy());
            log.flush();
            Buffer small = batch(1, 100, 1000);
            log.append(small, 0);
            written.add(small.copy());
            Runnable fill = queued.poll();
            // 1.5 MiB: past the whole area the pending fill was asked to zero
            Buffer big = batch(3, 500_000, 1001);
            log.append(big, 0);
            written.add(big.copy());
            fill.run();
            Buffer after = batch(2, 1000, 1002);
            log.append(after, 0);
            written.add(after.copy());
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
            assertEquals(written, readAll(log));
            log.abandon();
        }
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertTrue(log.recoveredOnOpen());
            assertEquals(written, readAll(log));
        }
    }

    /**
     * Appends of sizes around the fill step race fills running on two other threads; the segments roll, the process
     * "crashes" (files closed untrimmed, fills cut off), and recovery must find every batch intact.
     */
    @Test
    void concurrentFillsAndAppendsRecoverIntact() throws Exception {
        ExecutorService filler = Executors.newFixedThreadPool(2);
        List<Buffer> written = new ArrayList<>();
        Random random = new Random(42);
        try {
            try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock, filler)) {
                for (int i = 0; i < 400; i++) {
                    int payload = random.nextInt(4) == 0 ? 100_000 + random.nextInt(600_000) : 10 + random.nextInt(20_000);
                    Buffer b = batch(1 + random.nextInt(3), payload, 1000 + i);
                    log.append(b, 0);
                    written.add(b.copy());
                    if (i % 3 == 0) {
                        log.flush(); // fills start only after a flush
                    }
                }
                assertTrue(log.segmentCount() > 3, "segments: " + log.segmentCount());
                assertEquals(written, readAll(log));
                log.abandon();
            }
        } finally {
            filler.shutdown();
            assertTrue(filler.awaitTermination(60, TimeUnit.SECONDS));
        }
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertTrue(log.recoveredOnOpen());
            assertEquals(written, readAll(log));
        }
    }

    private static List<Buffer> readAll(PartitionLog log) throws Exception {
        List<Buffer> all = new ArrayList<>();
        long next = log.logStartOffset();
        while (true) {
            Buffer chunk = log.read(next, 1 << 20);
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
