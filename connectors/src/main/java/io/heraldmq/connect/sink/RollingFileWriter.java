package io.heraldmq.connect.sink;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes lines to a series of files {@code DIR/PREFIX-yyyyMMdd-HHmmss-SSS.log} (UTC time the file was opened, moved
 * on by a millisecond while that name exists, so names sort in the order the files were written): a new file once the current one holds {@code rollBytes} or
 * is {@code rollInterval} old, checked by {@link #rollIfDue()} between batches so a batch never spans two files.
 * <p>
 * Line format: the text, UTF-8, then {@code \n}; inside the text {@code \} is written as {@code \\}, a line feed as
 * {@code \n} and a carriage return as {@code \r}, so every message is exactly one line (a stack trace included) and
 * the text can be recovered exactly. Nothing is durable before {@link #sync()}, which forces the file to disk (and,
 * for a new file, its directory entry). Not thread-safe.
 */
final class RollingFileWriter implements AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final String prefix;
    private final long rollBytes;
    private final Duration rollInterval;
    private final Clock clock;
    private FileChannel channel;
    private OutputStream out;
    private Path current;
    private long bytes;
    private long openedAtMillis;
    private boolean newFile;
    private final StringBuilder escaped = new StringBuilder();

    RollingFileWriter(Path dir, String prefix, long rollBytes, Duration rollInterval, Clock clock) {
        this.dir = dir;
        this.prefix = prefix;
        this.rollBytes = rollBytes;
        this.rollInterval = rollInterval;
        this.clock = clock;
    }

    void write(String text) throws IOException {
        if (out == null) {
            open();
        }
        escaped.setLength(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> escaped.append(c);
            }
        }
        escaped.append('\n');
        byte[] b = escaped.toString().getBytes(StandardCharsets.UTF_8);
        out.write(b);
        bytes += b.length;
    }

    /** Makes everything written so far durable. */
    void sync() throws IOException {
        if (out == null) {
            return;
        }
        out.flush();
        channel.force(false);
        if (newFile) {
            // The file's name is only durable once its directory is.
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
            newFile = false;
        }
    }

    /** Closes the current file (after syncing it) if it is big or old enough; the next write opens a new one. */
    void rollIfDue() throws IOException {
        if (out != null && (bytes >= rollBytes
                || clock.millis() - openedAtMillis >= rollInterval.toMillis())) {
            close();
        }
    }

    /** The file being written, or null between files. */
    Path current() {
        return current;
    }

    private void open() throws IOException {
        Files.createDirectories(dir);
        openedAtMillis = clock.millis();
        java.time.Instant t = clock.instant();
        Path p = dir.resolve(prefix + "-" + STAMP.format(t) + ".log");
        while (Files.exists(p)) {
            t = t.plusMillis(1);
            p = dir.resolve(prefix + "-" + STAMP.format(t) + ".log");
        }
        channel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        current = p;
        bytes = 0;
        newFile = true;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            sync();
            out.close();
            out = null;
            channel = null;
            current = null;
        }
    }
}
