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
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** Syncs of 64 KiB each share the size commit among many messages: zeros would only double the bytes written. */
    @Test
    void aLogSyncedInLargeStepsIsNotZeroFilled() throws Exception {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock, queued::add)) {
            long bytes = 0;
            for (int i = 0; i < 40; i++) {
                Buffer b = batch(64, 1000, 1000 + i);
                log.append(b, 0);
                bytes += b.length();
                log.flush();
            }
            assertEquals(0, queued.size(), "no fill for large flushes");
            assertEquals(bytes, Files.size(dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX))));
        }
    }

    /** A log that turns from one small sync per message to large syncs stops filling once the mean follows. */
    @Test
    void fillingFollowsTheSizeOfTheSyncs() throws Exception {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock, queued::add)) {
            long bytes = 0;
            for (int i = 0; i < 20; i++) {
                bytes += appendAndFlush(log, batch(1, 1000, 1000 + i), queued);
            }
            Path file = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
            assertTrue(Files.size(file) >= bytes + LogSegment.PREALLOCATE_STEP / 2,
                    "small syncs are zero-filled ahead: " + Files.size(file));
            for (int i = 0; i < 60; i++) {
                bytes += appendAndFlush(log, batch(100, 1000, 2000 + i), queued);
            }
            assertEquals(bytes, Files.size(file), "no zeros ahead once the syncs are large");
        }
    }

    private static int appendAndFlush(PartitionLog log, Buffer batch, ArrayDeque<Runnable> queued) throws Exception {
        int length = batch.length();
        log.append(batch, 0);
        log.flush();
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
        return length;
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
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger fills = new AtomicInteger();
        Executor filler = task -> {
            fills.incrementAndGet();
            pool.execute(task);
        };
        List<Buffer> written = new ArrayList<>();
        Random random = new Random(42);
        try {
            try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock, filler)) {
                for (int i = 0; i < 1200; i++) {
                    // mostly small flushes, so that fills run (only those start them), and now and then a batch
                    // bigger than a fill step, which outruns the fill
                    int payload = random.nextInt(24) == 0 ? 100_000 + random.nextInt(600_000) : 10 + random.nextInt(8_000);
                    Buffer b = batch(1 + random.nextInt(3), payload, 1000 + i);
                    log.append(b, 0);
                    written.add(b.copy());
                    log.flush();
                }
                assertTrue(log.segmentCount() > 3, "segments: " + log.segmentCount());
                assertTrue(fills.get() > 10, "fills: " + fills.get());
                assertEquals(written, readAll(log));
                log.abandon();
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
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
