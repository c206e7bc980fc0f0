package io.heraldmq.server.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochPromiseFileTest {
    @TempDir
    Path dir;

    private void assertPromised(int epoch, String leader) throws Exception {
        EpochPromiseFile reopened = EpochPromiseFile.open(dir);
        assertEquals(epoch, reopened.epoch());
        assertEquals(leader, reopened.leader());
        assertFalse(Files.exists(dir.resolve(EpochPromiseFile.FILE_NAME + ".tmp")), "no temporary file left");
    }

    @Test
    void noFileIsNoPromise() throws Exception {
        EpochPromiseFile promise = EpochPromiseFile.open(dir);
        assertEquals(-1, promise.epoch());
        assertNull(promise.leader());
        assertFalse(Files.exists(dir.resolve(EpochPromiseFile.FILE_NAME)), "opening writes nothing");
    }

    @Test
    void aPromiseIsOnDiskWhenItReturns() throws Exception {
        EpochPromiseFile promise = EpochPromiseFile.open(dir);
        promise.promise(0, "broker-1");
        assertEquals(0, promise.epoch());
        assertEquals("broker-1", promise.leader());
        assertPromised(0, "broker-1");
        promise.promise(0, "broker-1");
        promise.promise(7, "bröker-2");
        assertPromised(7, "bröker-2");
    }

    @Test
    void refusesALowerEpochAndASecondLeaderInOneEpoch() throws Exception {
        EpochPromiseFile promise = EpochPromiseFile.open(dir);
        promise.promise(5, "a");
        IllegalStateException lower = assertThrows(IllegalStateException.class, () -> promise.promise(4, "a"));
        assertTrue(lower.getMessage().contains("epoch 5") && lower.getMessage().contains("epoch 4"),
                lower.getMessage());
        assertThrows(IllegalStateException.class, () -> promise.promise(5, "b"));
        assertEquals(5, promise.epoch());
        assertEquals("a", promise.leader());
        assertPromised(5, "a");
        // the refusals hold across a restart too
        EpochPromiseFile reopened = EpochPromiseFile.open(dir);
        assertThrows(IllegalStateException.class, () -> reopened.promise(5, "b"));
        assertThrows(IllegalStateException.class, () -> reopened.promise(0, "a"));
        reopened.promise(6, "b");
        assertPromised(6, "b");
    }

    @Test
    void onlyAnEpochPromisedToItselfCanBeGivenUp() throws Exception {
        EpochPromiseFile promise = EpochPromiseFile.open(dir);
        promise.promise(5, "me");
        promise.giveUpOwnEpoch(5, "me", "other");
        assertPromised(5, "other");
        // given once, it is a promise like any other: neither back to itself nor to a third broker
        assertThrows(IllegalStateException.class, () -> promise.giveUpOwnEpoch(5, "me", "third"));
        assertThrows(IllegalStateException.class, () -> promise.promise(5, "me"));
        promise.promise(6, "third");
        assertThrows(IllegalStateException.class, () -> promise.giveUpOwnEpoch(6, "me", "other"));
        assertThrows(IllegalStateException.class, () -> promise.giveUpOwnEpoch(5, "me", "other"));
        assertPromised(6, "third");
    }

    @Test
    void refusesMeaninglessPromises() throws Exception {
        EpochPromiseFile promise = EpochPromiseFile.open(dir);
        assertThrows(IllegalArgumentException.class, () -> promise.promise(-1, "a"));
        assertThrows(IllegalArgumentException.class, () -> promise.promise(1, ""));
        assertThrows(IllegalArgumentException.class, () -> promise.promise(1, null));
        assertThrows(IllegalArgumentException.class, () -> promise.promise(1, "x".repeat(70_000)));
        assertEquals(-1, promise.epoch());
        assertFalse(Files.exists(dir.resolve(EpochPromiseFile.FILE_NAME)));
    }

    @Test
    void anyDamagedByteIsCorruptionNeverNoPromise() throws Exception {
        EpochPromiseFile.open(dir).promise(3, "broker-9");
        Path file = dir.resolve(EpochPromiseFile.FILE_NAME);
        byte[] good = Files.readAllBytes(file);
        assertEquals(10 + "broker-9".length() + 4, good.length);
        for (int i = 0; i < good.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) bit;
                Files.write(file, bad);
                CorruptLogException e = assertThrows(CorruptLogException.class, () -> EpochPromiseFile.open(dir),
                        "byte " + i);
                assertEquals(file, e.file());
            }
        }
    }

    @Test
    void aShortenedOrExtendedFileIsCorruption() throws Exception {
        EpochPromiseFile.open(dir).promise(3, "broker-9");
        Path file = dir.resolve(EpochPromiseFile.FILE_NAME);
        byte[] good = Files.readAllBytes(file);
        for (int length = 0; length < good.length; length++) {
            Files.write(file, Arrays.copyOf(good, length));
            assertThrows(CorruptLogException.class, () -> EpochPromiseFile.open(dir), "cut to " + length);
        }
        Files.write(file, Arrays.copyOf(good, good.length + 1));
        assertThrows(CorruptLogException.class, () -> EpochPromiseFile.open(dir));
    }
}
