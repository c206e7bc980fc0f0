package io.heraldmq.server.log;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.heraldmq.server.log.TestBatches.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A write that fails part-way (a full disk) leaves the log as it was before that append, so that appends after space
 * returns continue a valid log. The failure is real: a child JVM runs under a file size limit ({@code ulimit -f}),
 * which cuts a write short and then fails it with EFBIG exactly where ENOSPC would.
 */
class AppendFailureTest {
    /** Preallocated, as in the broker: the fill meets the limit first, then an append does. */
    static final LogConfig CONFIG = new LogConfig(64L << 20, 3_600_000, 4096, true);

    @TempDir
    Path dir;

    /** Batch {@code i}: 3 records of 30,000 bytes, so the limit falls inside a batch. */
    static Buffer batch(int i) {
        return TestBatches.batch(3, 30_000, 1000 + i);
    }

    @Test
    void aPartialWriteIsCutAwayAndTheLogContinues() throws Exception {
        assumeTrue(new File("/bin/sh").canExecute(), "needs a POSIX shell for ulimit");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // ulimit -f counts 512-byte blocks in POSIX sh: 1 MiB
        Process child = new ProcessBuilder("/bin/sh", "-c", "ulimit -f 2048 && exec \"$0\" -cp \"$1\" "
                + FileSizeLimitChild.class.getName() + " \"$2\"", javaBin, System.getProperty("java.class.path"),
                dir.toString()).redirectErrorStream(true).start();
        String output;
        try (var in = child.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("failed"), output);
        long end = Long.parseLong(output.substring(output.lastIndexOf("end ") + 4).trim());
        assertTrue(end > 0 && end % 3 == 0, output);

        // space is back (no limit in this JVM): the log continues where the last whole batch ended
        List<Buffer> expected = new ArrayList<>();
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, Clock.systemUTC())) {
            assertEquals(end, log.logEndOffset());
            for (int i = 0; i < end / 3; i++) {
                Buffer b = batch(i);
                RecordBatch.setBaseOffset(b, 3L * i);
                RecordBatch.setLeaderEpoch(b, 0);
                expected.add(b);
            }
            Buffer next = batch(999);
            assertEquals(end, log.append(next, 0));
            expected.add(next.copy());
            assertSameBatches(expected, readAll(log));
            log.abandon();
        }
        try (PartitionLog log = PartitionLog.open(dir, CONFIG, Clock.systemUTC())) {
            assertTrue(log.recoveredOnOpen());
            assertSameBatches(expected, readAll(log));
        }
    }

    /** Like assertEquals, but a failure names the batch rather than printing megabytes. */
    private static void assertSameBatches(List<Buffer> expected, List<Buffer> actual) {
        assertEquals(expected.size(), actual.size(), "batches");
        for (int i = 0; i < expected.size(); i++) {
            Buffer e = expected.get(i);
            Buffer a = actual.get(i);
            assertTrue(e.equals(a), "batch " + i + ": base " + RecordBatch.baseOffset(a) + ", length " + a.length()
                    + ", expected base " + RecordBatch.baseOffset(e) + ", length " + e.length());
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
