package io.heraldmq.server.log;

import io.heraldmq.server.junit.TestClock;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.heraldmq.server.log.TestBatches.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryTest {
    static final LogConfig CONFIG = new LogConfig(4096, 3_600_000, 256, true);

    @TempDir
    Path tmp;

    final TestClock clock = new TestClock(1_000_000);

    /** Writes batches into one segment and crashes; returns the batches as stored. */
    private List<Buffer> writeAndCrash(Path dir, int batches) throws IOException {
        List<Buffer> written = new ArrayList<>();
        PartitionLog log = PartitionLog.open(dir, CONFIG, clock);
        for (int i = 0; i < batches; i++) {
            Buffer b = batch(3, 20, 1000 + i);
            log.append(b, 1);
            written.add(b.copy());
        }
        log.flush();
        log.abandon();
        return written;
    }

    @Test
    void truncatedAtEveryByteOfTheLastBatch() throws Exception {
        Path original = tmp.resolve("original");
        List<Buffer> written = writeAndCrash(original, 10);
        int lastStart = written.subList(0, 9).stream().mapToInt(Buffer::length).sum();
        int lastEnd = lastStart + written.get(9).length();
        for (int cut = lastStart; cut < lastEnd; cut++) {
            Path dir = copy(original, tmp.resolve("cut" + cut));
            try (FileChannel ch = FileChannel.open(dir.resolve("00000000000000000000.log"), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            assertRecoversTo(dir, written.subList(0, 9), 27);
        }
    }

    @Test
    void zerosAndGarbageAfterTheEnd() throws Exception {
        Path original = tmp.resolve("original");
        List<Buffer> written = writeAndCrash(original, 10);
        int end = written.stream().mapToInt(Buffer::length).sum();
        Random random = new Random(42);
        for (int variant = 0; variant < 3; variant++) {
            Path dir = copy(original, tmp.resolve("v" + variant));
            byte[] tail = new byte[5000];
            if (variant == 1) {
                random.nextBytes(tail);
            } else if (variant == 2) {
                // a plausible header: length field fits, CRC does not
                ByteBuffer.wrap(tail).putLong(30).putInt(100).putInt(1).put(RecordBatch.MAGIC);
            }
            try (FileChannel ch = FileChannel.open(dir.resolve("00000000000000000000.log"), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(tail), end);
            }
            assertRecoversTo(dir, written, 30);
        }
    }

    @Test
    void garbageInTheMiddleOfTheActiveSegmentTruncatesThere() throws Exception {
        Path dir = tmp.resolve("log");
        List<Buffer> written = writeAndCrash(dir, 10);
        int pos = written.subList(0, 4).stream().mapToInt(Buffer::length).sum() + 70;
        corrupt(dir.resolve("00000000000000000000.log"), pos);
        assertRecoversTo(dir, written.subList(0, 4), 12);
    }

    @Test
    void garbageInAClosedSegmentIsCorruption() throws Exception {
        Path dir = tmp.resolve("log");
        List<Long> bases = new ArrayList<>();
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            for (int i = 0; i < 100; i++) {
                bases.add(log.append(batch(3, 20, 1000 + i), 1));
            }
            assertTrue(log.segmentCount() >= 3);
        }
        Path first = dir.resolve("00000000000000000000.log");
        int batchSize = batch(3, 20, 0).length();
        long corruptAt = 5L * batchSize;
        corrupt(first, corruptAt + 80);
        // clean marker present: open trusts the segment (tail checked only), the read finds the damage
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertEquals(bases.get(4), log.read(bases.get(4), 1).getLong(0));
            CorruptLogException e = assertThrows(CorruptLogException.class, () -> log.read(bases.get(5) + 1, 10));
            assertEquals(first, e.file());
            assertEquals(corruptAt, e.position());
            log.abandon();
        }
        // unclean: the segment is below the recovery point, so it is not rescanned and not truncated either
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertTrue(log.recoveredOnOpen());
            assertEquals(300, log.logEndOffset());
            CorruptLogException e = assertThrows(CorruptLogException.class, () -> log.read(bases.get(5), 10));
            assertEquals(corruptAt, e.position());
        }
    }

    @Test
    void damagedTailOfAClosedSegmentFailsOpen() throws Exception {
        Path dir = tmp.resolve("log");
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            for (int i = 0; i < 100; i++) {
                log.append(batch(3, 20, 1000 + i), 1);
            }
        }
        Path first = dir.resolve("00000000000000000000.log");
        long size = Files.size(first);
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.truncate(size - 10);
        }
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> PartitionLog.open(dir, CONFIG, clock));
        assertEquals(first, e.file());
        assertTrue(e.position() < size, "position " + e.position());
    }

    @Test
    void crashRightAfterARollLosesOnlyUnsyncedData() throws Exception {
        Path dir = tmp.resolve("log");
        PartitionLog log = PartitionLog.open(dir, CONFIG, clock);
        for (int i = 0; i < 100; i++) {
            log.append(batch(3, 20, 1000 + i), 1);
        }
        log.flush();
        long end = log.logEndOffset();
        int segments = log.segmentCount();
        log.abandon();
        try (PartitionLog reopened = PartitionLog.open(dir, CONFIG, clock)) {
            assertEquals(end, reopened.logEndOffset());
            assertEquals(segments, reopened.segmentCount());
            assertEquals(100, PartitionLogTest.readAll(reopened).size());
        }
    }

    private void assertRecoversTo(Path dir, List<Buffer> expected, long end) throws IOException {
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertTrue(log.recoveredOnOpen());
            assertEquals(end, log.logEndOffset(), dir.toString());
            // what survived the crash may have been delivered; a torn tail's offsets are used again, for new records
            assertEquals(end, log.possiblyDeliveredBelow(), dir.toString());
            try {
                assertEquals(expected, PartitionLogTest.readAll(log));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertEquals(end, log.append(batch(1, 5, 9999), 2));
            assertEquals(end + 1, log.logEndOffset());
        }
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertEquals(end + 1, log.logEndOffset());
            assertEquals(end, log.possiblyDeliveredBelow(), "kept across a clean restart");
        }
    }

    @Test
    void possiblyDeliveredBoundIsSetOnlyByUncleanStartsAndOnlyGrows() throws Exception {
        Path dir = tmp.resolve("bound");
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            log.append(batch(3, 20, 1000), 1);
            assertEquals(0, log.possiblyDeliveredBelow(), "a new log");
        }
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertEquals(0, log.possiblyDeliveredBelow(), "clean restarts never had a crash to forget deliveries");
            log.append(batch(3, 20, 1001), 1);
            log.flush();
            log.abandon();
        }
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertEquals(6, log.possiblyDeliveredBelow());
            log.append(batch(3, 20, 1002), 1);
        }
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertEquals(6, log.possiblyDeliveredBelow(), "records appended after the crash are not marked");
            log.append(batch(3, 20, 1003), 1);
            log.flush();
            log.abandon();
        }
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, clock)) {
            assertEquals(12, log.possiblyDeliveredBelow(), "a second crash moves the bound to its recovered end");
        }
    }

    private static void corrupt(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
            ch.write(one, position);
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
