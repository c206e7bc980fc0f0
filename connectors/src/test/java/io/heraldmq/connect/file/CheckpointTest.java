package io.heraldmq.connect.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void formatIsStable() {
        assertEquals("version=1\nfile=/var/log/app.log\nfileKey=(dev=803,ino=42)\noffset=40960\nline=512\n",
                new Checkpoint("/var/log/app.log", "(dev=803,ino=42)", 40960, 512).format());
    }

    @Test
    void roundTripThroughTheFileWithAwkwardCharacters() throws IOException {
        Path p = dir.resolve("cp");
        assertNull(Checkpoint.read(p));
        Checkpoint cp = new Checkpoint(" C:\\logs\\día #1=x.log", "", 7, 1);
        cp.write(p);
        assertEquals(cp, Checkpoint.read(p));
        new Checkpoint("/a", "k", 9, 2).write(p);
        assertEquals(new Checkpoint("/a", "k", 9, 2), Checkpoint.read(p));
        Checkpoint full = new Checkpoint("/a.gz", "k", 9, 2, true, "9:ab12");
        full.write(p);
        assertEquals(full, Checkpoint.read(p));
        assertFalse(Files.exists(dir.resolve("cp.tmp")));
    }

    @Test
    void rejectsUnknownVersionsAndMissingFields() {
        assertThrows(IOException.class, () -> Checkpoint.parse("version=2\noffset=1\nline=1\n"));
        assertThrows(IOException.class, () -> Checkpoint.parse("version=1\nline=1\n"));
        assertThrows(IOException.class, () -> Checkpoint.parse("version=1\noffset=x\nline=1\n"));
    }
}
