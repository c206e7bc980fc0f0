package io.heraldmq.server.log;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Run by {@link AppendFailureTest} in a JVM whose file size limit ({@code ulimit -f}) makes a write fail part-way,
 * as a full disk does: appends until one fails, checks that the log is as before that append, and closes it cleanly.
 * Prints what it found; exits 0 only if every check held.
 */
public final class FileSizeLimitChild {
    private FileSizeLimitChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path file = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        int failures = 0;
        try (PartitionLog log = PartitionLog.open(dir, AppendFailureTest.CONFIG, Clock.systemUTC())) {
            for (int i = 0; i < 1000 && failures < 2; i++) {
                long end = log.logEndOffset();
                long size = log.sizeInBytes();
                try {
                    log.append(AppendFailureTest.batch(i), 0);
                } catch (IOException e) {
                    failures++;
                    System.out.println("append " + i + " failed: " + e);
                    check(log.logEndOffset() == end, "log end moved to " + log.logEndOffset() + " from " + end);
                    check(log.sizeInBytes() == size, "size moved to " + log.sizeInBytes() + " from " + size);
                    check(Files.size(file) == size, "file is " + Files.size(file) + " bytes, log " + size);
                }
            }
            check(failures == 2, "appends failed " + failures + " times, expected 2");
            System.out.println("end " + log.logEndOffset());
        }
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            System.out.println("FAILED: " + problem);
            System.exit(2);
        }
    }

}
