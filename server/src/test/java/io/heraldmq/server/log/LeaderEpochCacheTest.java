package io.heraldmq.server.log;

import io.heraldmq.server.log.LeaderEpochCache.EpochEnd;
import io.heraldmq.server.log.LeaderEpochCache.EpochEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaderEpochCacheTest {
    @TempDir
    Path dir;

    private static EpochEntry e(int epoch, long startOffset) {
        return new EpochEntry(epoch, startOffset);
    }

    /** The entries now, checked against a fresh load of the file. */
    private List<EpochEntry> persisted(LeaderEpochCache cache) throws IOException {
        assertEquals(cache.entries(), LeaderEpochCache.open(dir).entries(), "the file says what memory says");
        assertFalse(Files.exists(dir.resolve(LeaderEpochCache.FILE_NAME + ".tmp")), "no temporary file left");
        return cache.entries();
    }

    private LeaderEpochCache cacheWith(EpochEntry... entries) throws IOException {
        LeaderEpochCache cache = LeaderEpochCache.open(dir);
        for (EpochEntry entry : entries) {
            cache.assign(entry.epoch(), entry.startOffset());
        }
        assertEquals(Arrays.asList(entries), persisted(cache));
        return cache;
    }

    @Test
    void anAbsentFileIsAnEmptyHistory() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.open(dir);
        assertEquals(List.of(), cache.entries());
        assertEquals(-1, cache.latestEpoch());
        assertEquals(-1, cache.startOffsetOf(0));
        assertEquals(EpochEnd.UNDEFINED, cache.endOffsetFor(0, 10));
        assertEquals(EpochEnd.UNDEFINED, cache.endOffsetFor(Integer.MAX_VALUE, 10));
        assertFalse(Files.exists(dir.resolve(LeaderEpochCache.FILE_NAME)), "opening writes nothing");
    }

    @Test
    void assignAppendsNewEpochsAndIgnoresBatchesOfKnownOnes() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.open(dir);
        cache.assign(1, 0);
        cache.assign(1, 5);
        cache.assign(2, 10);
        cache.assign(2, 10);
        cache.assign(2, 12);
        cache.assign(1, 20);
        assertEquals(List.of(e(1, 0), e(2, 10)), persisted(cache));
        assertEquals(2, cache.latestEpoch());
        assertEquals(0, cache.startOffsetOf(1));
        assertEquals(10, cache.startOffsetOf(2));
        assertEquals(-1, cache.startOffsetOf(3));
        cache.assign(7, 30);
        assertEquals(List.of(e(1, 0), e(2, 10), e(7, 30)), persisted(cache));
        assertThrows(IllegalArgumentException.class, () -> cache.assign(-1, 40));
        assertThrows(IllegalArgumentException.class, () -> cache.assign(8, -1));
    }

    @Test
    void aNewEpochStartingEarlierReplacesTheEntriesItContradicts() throws Exception {
        LeaderEpochCache cache = cacheWith(e(1, 0), e(2, 10), e(3, 20));
        cache.assign(4, 15);
        assertEquals(List.of(e(1, 0), e(2, 10), e(4, 15)), persisted(cache));
        cache.assign(5, 10);
        assertEquals(List.of(e(1, 0), e(5, 10)), persisted(cache), "an entry at the same start goes too");
    }

    @Test
    void aKnownEpochStartingEarlierRewindsAsKafkaDoes() throws Exception {
        LeaderEpochCache cache = cacheWith(e(1, 0), e(2, 10));
        cache.assign(2, 5);
        assertEquals(List.of(e(1, 0), e(2, 5)), persisted(cache));
        cache.assign(3, 20);
        cache.assign(2, 15);
        assertEquals(List.of(e(1, 0), e(2, 15)), persisted(cache), "epoch 3 started after what epoch 2 wrote");
    }

    @Test
    void endOffsetForFollowsOffsetsForLeaderEpoch() throws Exception {
        LeaderEpochCache cache = cacheWith(e(1, 0), e(3, 10), e(6, 25));
        long logEnd = 40;
        assertEquals(EpochEnd.UNDEFINED, cache.endOffsetFor(-1, logEnd));
        assertEquals(EpochEnd.UNDEFINED, cache.endOffsetFor(0, logEnd), "below the first entry");
        assertEquals(new EpochEnd(1, 10), cache.endOffsetFor(1, logEnd));
        assertEquals(new EpochEnd(1, 10), cache.endOffsetFor(2, logEnd), "between entries: the one below");
        assertEquals(new EpochEnd(3, 25), cache.endOffsetFor(3, logEnd));
        assertEquals(new EpochEnd(3, 25), cache.endOffsetFor(5, logEnd));
        assertEquals(new EpochEnd(6, logEnd), cache.endOffsetFor(6, logEnd), "the latest ends at the log end");
        assertEquals(new EpochEnd(6, logEnd), cache.endOffsetFor(9, logEnd), "above the latest: the latest");
    }

    @Test
    void truncateFromEndDropsEpochsThatStartAtOrAfterTheCut() throws Exception {
        LeaderEpochCache cache = cacheWith(e(1, 0), e(3, 10), e(6, 25));
        cache.truncateFromEnd(26);
        assertEquals(List.of(e(1, 0), e(3, 10), e(6, 25)), persisted(cache));
        cache.truncateFromEnd(25);
        assertEquals(List.of(e(1, 0), e(3, 10)), persisted(cache));
        assertEquals(new EpochEnd(3, 25), cache.endOffsetFor(6, 25));
        cache.truncateFromEnd(11);
        assertEquals(List.of(e(1, 0), e(3, 10)), persisted(cache));
        cache.truncateFromEnd(0);
        assertEquals(List.of(), persisted(cache));
        assertEquals(-1, cache.latestEpoch());
        cache.assign(7, 0);
        assertEquals(List.of(e(7, 0)), persisted(cache));
    }

    @Test
    void truncateFromStartRaisesTheStartOfTheEpochCoveringIt() throws Exception {
        LeaderEpochCache cache = cacheWith(e(1, 0), e(3, 10), e(6, 25));
        cache.truncateFromStart(0);
        assertEquals(List.of(e(1, 0), e(3, 10), e(6, 25)), persisted(cache));
        cache.truncateFromStart(5);
        assertEquals(List.of(e(1, 5), e(3, 10), e(6, 25)), persisted(cache));
        cache.truncateFromStart(10);
        assertEquals(List.of(e(3, 10), e(6, 25)), persisted(cache));
        cache.truncateFromStart(30);
        assertEquals(List.of(e(6, 30)), persisted(cache));
        cache.truncateFromStart(20);
        assertEquals(List.of(e(6, 30)), persisted(cache), "below the first start: nothing to drop");
    }

    @Test
    void entriesAreAnImmutableSnapshot() throws Exception {
        LeaderEpochCache cache = cacheWith(e(1, 0));
        List<EpochEntry> before = cache.entries();
        assertThrows(UnsupportedOperationException.class, () -> before.add(e(2, 5)));
        cache.assign(2, 5);
        assertEquals(List.of(e(1, 0)), before);
    }

    @Test
    void anyDamagedByteIsCorruption() throws Exception {
        cacheWith(e(1, 0), e(3, 10), e(6, 25));
        Path file = dir.resolve(LeaderEpochCache.FILE_NAME);
        byte[] good = Files.readAllBytes(file);
        assertEquals(8 + 3 * 12 + 4, good.length);
        for (int i = 0; i < good.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) bit;
                Files.write(file, bad);
                CorruptLogException ex = assertThrows(CorruptLogException.class, () -> LeaderEpochCache.open(dir),
                        "byte " + i);
                assertEquals(file, ex.file());
            }
        }
    }

    @Test
    void aShortenedOrExtendedFileIsCorruption() throws Exception {
        cacheWith(e(1, 0), e(3, 10));
        Path file = dir.resolve(LeaderEpochCache.FILE_NAME);
        byte[] good = Files.readAllBytes(file);
        for (int length = 0; length < good.length; length++) {
            Files.write(file, Arrays.copyOf(good, length));
            CorruptLogException ex = assertThrows(CorruptLogException.class, () -> LeaderEpochCache.open(dir),
                    "cut to " + length);
            assertTrue(ex.getMessage().contains(LeaderEpochCache.FILE_NAME), ex.getMessage());
        }
        Files.write(file, Arrays.copyOf(good, good.length + 12));
        assertThrows(CorruptLogException.class, () -> LeaderEpochCache.open(dir));
    }

    @Test
    void aHistoryOutOfOrderIsCorruptionEvenWithAGoodCrc() throws Exception {
        LeaderEpochCache cache = cacheWith(e(1, 0), e(3, 10));
        Path file = dir.resolve(LeaderEpochCache.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(8 + 12, 1); // second entry: epoch 1 again
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        Files.write(file, bytes);
        CorruptLogException ex = assertThrows(CorruptLogException.class, () -> LeaderEpochCache.open(dir));
        assertEquals(8 + 12, ex.position());
        assertEquals(List.of(e(1, 0), e(3, 10)), cache.entries());
    }
}
