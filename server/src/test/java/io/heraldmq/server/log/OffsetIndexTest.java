package io.heraldmq.server.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OffsetIndexTest {
    @TempDir
    Path dir;

    @Test
    void lookupFindsTheLastEntryAtOrBelow() throws Exception {
        Path file = dir.resolve("0.index");
        try (OffsetIndex index = OffsetIndex.open(file)) {
            assertEquals(0, index.lookup(5));
            for (int i = 1; i <= 1000; i++) {
                index.append(i * 10, i * 4096);
            }
            assertEquals(0, index.lookup(9));
            for (int rel = 10; rel < 10_020; rel++) {
                int expected = Math.min(rel / 10, 1000) * 4096;
                assertEquals(expected, index.lookup(rel), "relative offset " + rel);
            }
        }
        assertEquals(1000L * OffsetIndex.ENTRY_BYTES, Files.size(file));
        // reloaded from disk, a torn trailing entry ignored
        Files.write(file, new byte[3], java.nio.file.StandardOpenOption.APPEND);
        try (OffsetIndex index = OffsetIndex.open(file)) {
            assertEquals(1000, index.entryCount());
            assertEquals(500 * 4096, index.lookup(5005));
        }
    }

    @Test
    void timeIndexKeepsARunningMaximum() throws Exception {
        try (TimeIndex index = TimeIndex.open(dir.resolve("0.timeindex"))) {
            index.maybeAppend(100, 0);
            index.maybeAppend(90, 5);
            index.maybeAppend(200, 10);
            assertEquals(2, index.entryCount());
            assertEquals(200, index.lastTimestamp());
            assertEquals(-1, index.lookupBelow(100));
            assertEquals(0, index.lookupBelow(150));
            assertEquals(10, index.lookupBelow(201));
        }
    }
}
