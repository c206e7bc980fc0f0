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
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.heraldmq.server.log.PartitionLogTest.readAll;
import static io.heraldmq.server.log.TestBatches.batch;
import static io.heraldmq.server.log.TestBatches.split;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replica cuts its divergent tail: exactly the batches from the cut on go, durably, and appends continue there. */
class PartitionLogTruncateTest {
    static final LogConfig SMALL = PartitionLogTest.SMALL;
    static final LogConfig ONE_SEGMENT = new LogConfig(1 << 20, 3_600_000, 256, true);

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(1_000_000);
    final Random random = new Random(7);

    /** Appends {@code n} batches of varying size with timestamps from {@code firstTimestamp} on; returns them. */
    private List<Buffer> append(PartitionLog log, int n, int epoch, long firstTimestamp) throws Exception {
        List<Buffer> written = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Buffer b = batch(1 + random.nextInt(3), 10 + random.nextInt(90), firstTimestamp + i);
            log.append(b, epoch);
            written.add(b.copy());
        }
        return written;
    }

    private static List<Buffer> concat(List<Buffer> a, List<Buffer> b) {
        List<Buffer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void withinTheActiveSegment() throws Exception {
        List<Buffer> kept;
        List<Buffer> all;
        try (PartitionLog log = PartitionLog.open(dir, ONE_SEGMENT, clock)) {
            List<Buffer> written = append(log, 30, 1, 1000);
            log.flush();
            long cut = RecordBatch.baseOffset(written.get(17));
            log.truncateTo(cut);
            kept = written.subList(0, 17);
            assertEquals(1, log.segmentCount());
            assertEquals(cut, log.logEndOffset());
            assertEquals(cut, log.durableOffset(), "durable no higher than the cut");
            assertLog(log, kept);

            all = concat(kept, append(log, 10, 2, 2000));
            assertEquals(RecordBatch.baseOffset(all.get(17)), cut, "appends continue at the cut");
            assertLog(log, all);
        }
        try (PartitionLog log = PartitionLog.open(dir, ONE_SEGMENT, clock)) {
            assertFalse(log.recoveredOnOpen());
            assertLog(log, all);
        }
    }

    @Test
    void acrossSeveralSegments() throws Exception {
        List<Buffer> expected;
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            List<Buffer> written = append(log, 120, 1, 1000);
            log.flush();
            List<Long> bases = segmentBases(dir);
            assertTrue(bases.size() > 5, "segments: " + bases);
            int first = firstBatchAtOrAbove(written, bases.get(2) + 1);
            long cut = RecordBatch.baseOffset(written.get(first));
            assertTrue(cut > bases.get(2) && cut < bases.get(3), "cut inside the third segment");

            log.truncateTo(cut);
            expected = written.subList(0, first);
            assertEquals(3, log.segmentCount());
            assertEquals(bases.subList(0, 3), segmentBases(dir));
            for (long gone : bases.subList(3, bases.size())) {
                for (String suffix : new String[] {LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX,
                        LogSegment.TIME_INDEX_SUFFIX}) {
                    assertFalse(Files.exists(dir.resolve(LogSegment.fileName(gone, suffix))), gone + suffix);
                }
            }
            assertTrue(recoveryPoint() <= bases.get(2), "recovery point lowered to the cut segment");
            assertLog(log, expected);

            expected = concat(expected, append(log, 60, 2, 5000));
            assertTrue(log.segmentCount() > 4, "rolls again from the cut segment");
            assertLog(log, expected);
            log.flush();
            log.abandon();
        }
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertTrue(log.recoveredOnOpen());
            assertLog(log, expected);
        }
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertLog(log, expected);
        }
    }

    /**
     * The strongest check of the cut's bookkeeping (file, both indexes, the running maximum timestamp, the bytes since
     * the last index entry): a log that was cut and appended to is byte for byte the log that never had the removed
     * batches. (Except for a cut at a segment's base offset: that segment stays, empty, where the other log would
     * have gone on filling the segment before; see {@link #toASegmentBaseLeavesThatSegmentEmptyAndActive}.)
     */
    @Test
    void leavesTheFilesAsIfTheRemovedBatchesHadNeverBeenWritten() throws Exception {
        for (int cutAt : new int[] {0, 1, 38, 49, 51, 79}) {
            Path truncated = dir.resolve("truncated" + cutAt);
            Path reference = dir.resolve("reference" + cutAt);
            List<Buffer> written = new ArrayList<>();
            List<Buffer> later = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                written.add(batch(1 + i % 3, 20 + (i * 37) % 150, 1000 + i));
            }
            for (int i = 0; i < 40; i++) {
                later.add(batch(1 + i % 2, 20 + (i * 53) % 150, 5000 + i));
            }
            try (PartitionLog log = PartitionLog.open(truncated, SMALL, clock)) {
                for (Buffer b : written) {
                    log.append(b.copy(), 1);
                }
                long cut = baseOf(written, cutAt);
                assertTrue(cut == 0 || !segmentBases(truncated).contains(cut), "not a segment base: " + cut);
                log.truncateTo(cut);
                for (Buffer b : later) {
                    log.append(b.copy(), 2);
                }
            }
            try (PartitionLog log = PartitionLog.open(reference, SMALL, clock)) {
                for (Buffer b : written.subList(0, cutAt)) {
                    log.append(b.copy(), 1);
                }
                for (Buffer b : later) {
                    log.append(b.copy(), 2);
                }
            }
            assertSameSegmentFiles(reference, truncated);
        }
    }

    @Test
    void toASegmentBaseLeavesThatSegmentEmptyAndActive() throws Exception {
        List<Buffer> expected;
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            List<Buffer> written = append(log, 120, 1, 1000);
            List<Long> bases = segmentBases(dir);
            long cut = bases.get(3);
            log.truncateTo(cut);
            expected = written.subList(0, firstBatchAtOrAbove(written, cut));
            assertEquals(4, log.segmentCount());
            assertEquals(cut, log.logEndOffset());
            assertEquals(0, Files.size(dir.resolve(LogSegment.fileName(cut, LogSegment.LOG_SUFFIX))));
            assertEquals(0, Files.size(dir.resolve(LogSegment.fileName(cut, LogSegment.INDEX_SUFFIX))));
            assertEquals(0, Files.size(dir.resolve(LogSegment.fileName(cut, LogSegment.TIME_INDEX_SUFFIX))));
            assertLog(log, expected);
            expected = concat(expected, append(log, 5, 2, 5000));
            assertEquals(cut, RecordBatch.baseOffset(expected.get(expected.size() - 5)));
            assertLog(log, expected);
        }
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertLog(log, expected);
        }
    }

    @Test
    void toZero() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            append(log, 50, 1, 1000);
            log.flush();
            log.truncateTo(0);
            assertEquals(1, log.segmentCount());
            assertEquals(0, log.logEndOffset());
            assertEquals(0, log.sizeInBytes());
            assertEquals(0, log.read(0, 1000).length());
            assertEquals(0, log.offsetForTimestamp(0));
            assertEquals(0, log.append(batch(1, 10, 3000), 2));
            log.flush();
            log.abandon();
        }
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertEquals(1, log.logEndOffset());
            assertEquals(List.of(0L), segmentBases(dir));
        }
    }

    @Test
    void toTheLogStartAfterRetention() throws Exception {
        long start;
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            append(log, 120, 1, 1000);
            List<Long> bases = segmentBases(dir);
            assertEquals(2, log.applyRetention(new RetentionPolicy(-1, 0, bases.get(2))));
            start = log.logStartOffset();
            assertEquals(bases.get(2), start);

            IllegalArgumentException below = assertThrows(IllegalArgumentException.class,
                    () -> log.truncateTo(start - 1));
            assertTrue(below.getMessage().contains("below the log start"), below.getMessage());
            log.truncateTo(start);
            assertEquals(1, log.segmentCount());
            assertEquals(List.of(start), segmentBases(dir));
            assertEquals(start, log.logStartOffset());
            assertEquals(start, log.logEndOffset());
            assertEquals(0, log.read(0, 1000).length());
            assertEquals(start, log.append(batch(2, 10, 3000), 2));
        }
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertEquals(start, log.logStartOffset());
            assertEquals(start + 2, log.logEndOffset());
            log.abandon();
        }
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertTrue(log.recoveredOnOpen());
            assertEquals(start, log.logStartOffset());
            assertEquals(start + 2, log.logEndOffset());
        }
    }

    @Test
    void atOrBeyondTheEndChangesNothing() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            List<Buffer> written = append(log, 30, 1, 1000);
            int segments = log.segmentCount();
            log.truncateTo(log.logEndOffset());
            log.truncateTo(log.logEndOffset() + 10);
            assertEquals(segments, log.segmentCount());
            assertLog(log, written);
        }
    }

    @Test
    void insideABatchIsRefused() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            log.append(batch(2, 10, 1000), 1);
            log.append(batch(3, 10, 1001), 1);
            log.append(batch(1, 10, 1002), 1);
            List<Buffer> written = readAll(log);
            for (long inside : new long[] {1, 3, 4}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> log.truncateTo(inside));
                assertTrue(e.getMessage().contains("no batch starts there"), e.getMessage());
            }
            assertLog(log, written);
            log.truncateTo(5);
            log.truncateTo(2);
            assertLog(log, written.subList(0, 1));
        }
    }

    @Test
    void aCrashRightAfterTheTruncationNeverBringsTheRemovedBatchesBack() throws Exception {
        List<Buffer> expected;
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            List<Buffer> written = append(log, 120, 1, 1000);
            log.flush();
            int first = firstBatchAtOrAbove(written, segmentBases(dir).get(1) + 1);
            log.truncateTo(RecordBatch.baseOffset(written.get(first)));
            expected = written.subList(0, first);
            log.abandon();
        }
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            assertTrue(log.recoveredOnOpen());
            assertLog(log, expected);
        }
    }

    /**
     * The states a crash can leave inside truncateTo (recovery point lowered, later segments going newest first, the
     * cut segment not yet cut) all open as a prefix of the old log that reaches the cut; truncating again finishes.
     */
    @Test
    void aCrashDuringTheTruncationLeavesAPrefixThatReachesTheCut() throws Exception {
        Path original = dir.resolve("original");
        List<Buffer> written;
        List<Long> bases;
        try (PartitionLog log = PartitionLog.open(original, SMALL, clock)) {
            written = append(log, 120, 1, 1000);
            log.flush();
            bases = segmentBases(original);
            log.abandon();
        }
        int first = firstBatchAtOrAbove(written, bases.get(2) + 1);
        long cut = RecordBatch.baseOffset(written.get(first));
        for (int deleted = 0; deleted <= bases.size() - 3; deleted++) {
            Path state = copy(original, dir.resolve("deleted" + deleted));
            new OffsetCheckpointFile(state.resolve(PartitionLog.RECOVERY_POINT_FILE)).write(bases.get(2));
            for (long gone : bases.subList(bases.size() - deleted, bases.size())) {
                for (String suffix : new String[] {LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX,
                        LogSegment.LOG_SUFFIX}) {
                    Files.delete(state.resolve(LogSegment.fileName(gone, suffix)));
                }
            }
            try (PartitionLog log = PartitionLog.open(state, SMALL, clock)) {
                List<Buffer> survived = readAll(log);
                assertTrue(log.logEndOffset() >= cut, "reaches the cut");
                assertEquals(written.subList(0, survived.size()), survived, "a prefix");
                log.truncateTo(cut);
                assertLog(log, written.subList(0, first));
            }
        }
    }

    @Test
    void timeLookupsAfterCutsThroughNonMonotonicTimestamps() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            List<Buffer> written = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                // producer clocks jumping around, with peaks that the time index records
                Buffer b = batch(1 + i % 3, 10 + random.nextInt(60), 10_000 + random.nextInt(5_000));
                log.append(b, 1);
                written.add(b.copy());
            }
            for (int keep : new int[] {140, 97, 60, 59, 23, 5}) {
                log.truncateTo(RecordBatch.baseOffset(written.get(keep)));
                written = new ArrayList<>(written.subList(0, keep));
                assertLog(log, written);
                for (int i = 0; i < 4; i++) {
                    Buffer b = batch(1, 10, 9_000 + random.nextInt(8_000));
                    log.append(b, 2);
                    written.add(b.copy());
                }
                assertLog(log, written);
            }
        }
    }

    /**
     * Readers on another thread while the owner appends and truncates over and over: no read fails, and every batch
     * read is whole and consistent (its header, outside the CRC, and its body come from the same append).
     */
    @Test
    void readersRacingTruncationsSeeNoDamage() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, SMALL, clock)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                Random r = new Random(3);
                try {
                    while (!stop.get()) {
                        long end = log.logEndOffset();
                        long offset = end == 0 ? 0 : r.nextInt((int) end);
                        Buffer chunk = log.read(offset, 1 + r.nextInt(3000));
                        List<Buffer> batches = split(chunk);
                        if (!batches.isEmpty()) {
                            Buffer b = batches.get(0);
                            assertTrue(RecordBatch.baseOffset(b) <= offset && offset <= RecordBatch.lastOffset(b),
                                    "the first batch holds offset " + offset);
                        }
                        for (Buffer b : batches) {
                            assertEquals(stamp(RecordBatch.baseOffset(b), RecordBatch.leaderEpoch(b)),
                                    RecordBatch.maxTimestamp(b), "header and body of one append");
                        }
                        log.offsetForTimestamp(r.nextInt(1_000_000));
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            try {
                Random r = new Random(5);
                for (int epoch = 0; epoch < 300 && failure.get() == null; epoch++) {
                    for (int i = 0, n = 1 + r.nextInt(15); i < n; i++) {
                        long base = log.logEndOffset();
                        log.append(batch(1 + r.nextInt(3), 10 + r.nextInt(200), stamp(base, epoch)), epoch);
                    }
                    List<Buffer> all = readAll(log);
                    log.truncateTo(RecordBatch.baseOffset(all.get(r.nextInt(all.size()))));
                }
            } finally {
                stop.set(true); // not an interrupt: that would close the log's file channels
                reader.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("reader failed", failure.get());
            }
        }
    }

    private static long stamp(long base, int epoch) {
        return base * 1000 + epoch;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The log holds exactly {@code expected}: read in full, read at every offset (inside batches too), and every
     * timestamp lookup answers as a scan of the batches would.
     */
    static void assertLog(PartitionLog log, List<Buffer> expected) throws Exception {
        long end = expected.isEmpty() ? log.logStartOffset()
                : RecordBatch.nextOffset(expected.get(expected.size() - 1));
        assertEquals(end, log.logEndOffset(), "log end");
        assertEquals(expected, readAll(log));
        for (Buffer b : expected) {
            for (long offset = RecordBatch.baseOffset(b); offset <= RecordBatch.lastOffset(b); offset++) {
                List<Buffer> got = split(log.read(offset, 1));
                assertEquals(1, got.size(), "one batch at " + offset);
                assertEquals(b, got.get(0), "batch at " + offset);
            }
        }
        assertEquals(0, log.read(end, 1000).length());
        TreeSet<Long> probes = new TreeSet<>(List.of(0L, Long.MAX_VALUE));
        for (Buffer b : expected) {
            long t = RecordBatch.maxTimestamp(b);
            probes.addAll(List.of(t - 1, t, t + 1));
        }
        for (long t : probes) {
            long scanned = end;
            for (Buffer b : expected) {
                if (RecordBatch.maxTimestamp(b) >= t) {
                    scanned = RecordBatch.baseOffset(b);
                    break;
                }
            }
            assertEquals(scanned, log.offsetForTimestamp(t), "offsetForTimestamp(" + t + ")");
        }
    }

    private static long baseOf(List<Buffer> written, int index) {
        long base = 0;
        for (int i = 0; i < index; i++) {
            base += RecordBatch.recordCount(written.get(i));
        }
        return base;
    }

    private static int firstBatchAtOrAbove(List<Buffer> written, long offset) {
        for (int i = 0; i < written.size(); i++) {
            if (RecordBatch.baseOffset(written.get(i)) >= offset) {
                return i;
            }
        }
        throw new AssertionError("no batch at or above " + offset);
    }

    private long recoveryPoint() throws Exception {
        return new OffsetCheckpointFile(dir.resolve(PartitionLog.RECOVERY_POINT_FILE)).read().orElseThrow();
    }

    static List<Long> segmentBases(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(LogSegment.LOG_SUFFIX))
                    .map(n -> Long.parseLong(n.substring(0, n.length() - LogSegment.LOG_SUFFIX.length())))
                    .sorted().toList();
        }
    }

    private static void assertSameSegmentFiles(Path expected, Path actual) throws Exception {
        List<String> names = segmentFileNames(expected);
        assertEquals(names, segmentFileNames(actual), actual.toString());
        for (String name : names) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(name)), Files.readAllBytes(actual.resolve(name)),
                    actual.resolve(name).toString());
        }
    }

    private static List<String> segmentFileNames(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(LogSegment.LOG_SUFFIX) || n.endsWith(LogSegment.INDEX_SUFFIX)
                            || n.endsWith(LogSegment.TIME_INDEX_SUFFIX))
                    .sorted().toList();
        }
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
