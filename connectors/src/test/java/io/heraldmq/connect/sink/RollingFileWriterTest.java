package io.heraldmq.connect.sink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RollingFileWriterTest {
    @TempDir
    Path dir;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-02T03:04:05Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void escapesSoEachMessageIsOneLine() throws Exception {
        try (RollingFileWriter w = new RollingFileWriter(dir, "out", 1 << 20, Duration.ofHours(1),
                new MovableClock())) {
            w.write("plain");
            w.write("two\nlines\r and a \\ backslash");
            w.sync();
        }
        assertEquals(List.of(dir.resolve("out-20260102-030405-000.log")), files());
        assertEquals("plain\ntwo\\nlines\\r and a \\\\ backslash\n",
                Files.readString(files().get(0), StandardCharsets.UTF_8));
    }

    @Test
    void rollsBySizeAndByAge() throws Exception {
        MovableClock clock = new MovableClock();
        try (RollingFileWriter w = new RollingFileWriter(dir, "out", 10, Duration.ofMinutes(1), clock)) {
            w.write("0123456789"); // 11 bytes with its newline: over the size
            w.rollIfDue();
            w.write("a");
            w.rollIfDue(); // neither big nor old: same file
            w.write("b");
            clock.now = clock.now.plusSeconds(61);
            w.rollIfDue();
            w.write("c");
        }
        List<Path> f = files();
        assertEquals(3, f.size());
        assertEquals("out-20260102-030405-000.log", f.get(0).getFileName().toString());
        assertEquals("out-20260102-030405-001.log", f.get(1).getFileName().toString());
        assertEquals("a\nb\n", Files.readString(f.get(1)));
        assertEquals("out-20260102-030506-000.log", f.get(2).getFileName().toString());
        assertEquals("c\n", Files.readString(f.get(2)));
    }
}
