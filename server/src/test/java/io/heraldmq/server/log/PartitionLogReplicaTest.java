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
import java.util.stream.Stream;

import static io.heraldmq.server.log.PartitionLogTest.readAll;
import static io.heraldmq.server.log.TestBatches.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A follower's log takes the leader's batches byte for byte, offsets and epochs included, and nothing else. */
class PartitionLogReplicaTest {
    static final LogConfig SMALL = PartitionLogTest.SMALL;

    @TempDir
    Path tmp;

    final TestClock clock = new TestClock(1_000_000);

    /** A batch as a leader of {@code epoch} would have stored it at {@code base}. */
    static Buffer leaderBatch(long base, int epoch, int records, long timestamp) {
        Buffer b = batch(records, 30, timestamp);
        RecordBatch.setBaseOffset(b, base);
        RecordBatch.setLeaderEpoch(b, epoch);
        return b;
    }

    @Test
    void copiesTheLeadersLogExactlyAcrossRolls() throws Exception {
        Path leaderDir = tmp.resolve("leader");
        Path followerDir = tmp.resolve("follower");
        try (PartitionLog leader = PartitionLog.open(leaderDir, SMALL, clock);
             PartitionLog follower = PartitionLog.open(followerDir, SMALL, clock)) {
            for (int i = 0; i < 100; i++) {
                leader.append(batch(1 + i % 3, 10 + (i * 13) % 80, 1000 + i), i / 25);
            }
            // fetches of several batches at a time, as a follower would make them
            long next = 0;
            while (next < leader.logEndOffset()) {
                Buffer fetched = leader.read(next, 500).copy();
                Buffer sent = fetched.copy();
                next = follower.appendReplica(fetched);
                assertEquals(sent, fetched, "the follower does not rewrite the batches");
            }
            assertEquals(leader.logEndOffset(), follower.logEndOffset());
            List<Buffer> expected = readAll(leader);
            List<Buffer> copied = readAll(follower);
            assertEquals(expected, copied);
            for (int i = 0; i < copied.size(); i++) {
                assertEquals(i / 25, RecordBatch.leaderEpoch(copied.get(i)), "epoch of batch " + i);
            }
            assertTrue(follower.segmentCount() > 5, "segments: " + follower.segmentCount());
            assertEquals(segmentFiles(leaderDir), segmentFiles(followerDir), "same rolls as the leader");
            for (long offset = 0; offset < follower.logEndOffset(); offset++) {
                assertEquals(leader.read(offset, 1), follower.read(offset, 1), "read at " + offset);
            }
            // a follower that becomes leader appends after the copied batches
            assertEquals(follower.logEndOffset(), follower.append(batch(1, 10, 5000), 9));
        }
    }

    @Test
    void copiedBatchesSurviveACrashAndACleanRestart() throws Exception {
        List<Buffer> written = new ArrayList<>();
        PartitionLog log = PartitionLog.open(tmp, SMALL, clock);
        long base = 0;
        for (int i = 0; i < 40; i++) {
            Buffer b = leaderBatch(base, 7, 2, 2000 + i);
            written.add(b.copy());
            base = log.appendReplica(b);
        }
        log.flush();
        log.abandon();
        try (PartitionLog reopened = PartitionLog.open(tmp, SMALL, clock)) {
            assertTrue(reopened.recoveredOnOpen());
            assertEquals(80, reopened.logEndOffset());
            assertEquals(written, readAll(reopened));
        }
        try (PartitionLog reopened = PartitionLog.open(tmp, SMALL, clock)) {
            assertEquals(written, readAll(reopened));
        }
    }

    @Test
    void refusesAGapWithoutWriting() throws Exception {
        try (PartitionLog log = PartitionLog.open(tmp, SMALL, clock)) {
            log.appendReplica(leaderBatch(0, 1, 3, 1000));
            long size = log.sizeInBytes();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> log.appendReplica(leaderBatch(4, 1, 1, 1001)));
            assertTrue(e.getMessage().contains("starts at offset 4") && e.getMessage().contains("expects offset 3"),
                    e.getMessage());
            assertUnchanged(log, 3, size);
        }
    }

    @Test
    void refusesAnOverlapWithoutWriting() throws Exception {
        try (PartitionLog log = PartitionLog.open(tmp, SMALL, clock)) {
            log.appendReplica(leaderBatch(0, 1, 3, 1000));
            long size = log.sizeInBytes();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> log.appendReplica(leaderBatch(2, 1, 2, 1001)));
            assertTrue(e.getMessage().contains("starts at offset 2") && e.getMessage().contains("expects offset 3"),
                    e.getMessage());
            assertUnchanged(log, 3, size);
        }
    }

    @Test
    void refusesABrokenChainInsideOneCallWithoutWritingAnyOfIt() throws Exception {
        try (PartitionLog log = PartitionLog.open(tmp, SMALL, clock)) {
            log.appendReplica(leaderBatch(0, 1, 3, 1000));
            long size = log.sizeInBytes();
            Buffer chain = Buffer.buffer()
                    .appendBuffer(leaderBatch(3, 2, 2, 1001))
                    .appendBuffer(leaderBatch(5, 2, 2, 1002))
                    .appendBuffer(leaderBatch(8, 2, 1, 1003)); // 7 is missing
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> log.appendReplica(chain));
            assertTrue(e.getMessage().contains("starts at offset 8") && e.getMessage().contains("expects offset 7"),
                    e.getMessage());
            assertUnchanged(log, 3, size);
        }
    }

    @Test
    void refusesMalformedInputWithoutWriting() throws Exception {
        try (PartitionLog log = PartitionLog.open(tmp, SMALL, clock)) {
            log.appendReplica(leaderBatch(0, 1, 3, 1000));
            long size = log.sizeInBytes();
            Buffer good = leaderBatch(3, 1, 2, 1001);
            Buffer badCrc = leaderBatch(5, 1, 2, 1002);
            badCrc.setByte(badCrc.length() - 1, (byte) (badCrc.getByte(badCrc.length() - 1) ^ 1));
            assertThrows(IllegalArgumentException.class,
                    () -> log.appendReplica(good.copy().appendBuffer(badCrc)));
            assertThrows(IllegalArgumentException.class,
                    () -> log.appendReplica(good.copy().appendBuffer(leaderBatch(5, 1, 1, 1002).slice(0, 70))));
            assertThrows(IllegalArgumentException.class, () -> log.appendReplica(good.slice(0, 40)));
            assertThrows(IllegalArgumentException.class, () -> log.appendReplica(Buffer.buffer()));
            assertUnchanged(log, 3, size);
            assertEquals(5, log.appendReplica(good));
        }
    }

    @Test
    void refusesAfterClose() throws Exception {
        PartitionLog log = PartitionLog.open(tmp, SMALL, clock);
        log.close();
        assertThrows(IllegalStateException.class, () -> log.appendReplica(leaderBatch(0, 1, 1, 1000)));
    }

    private static void assertUnchanged(PartitionLog log, long end, long size) throws Exception {
        assertEquals(end, log.logEndOffset());
        assertEquals(size, log.sizeInBytes());
        assertEquals(0, log.read(end, 1000).length());
    }

    private static List<String> segmentFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(LogSegment.LOG_SUFFIX))
                    .sorted().toList();
        }
    }
}
