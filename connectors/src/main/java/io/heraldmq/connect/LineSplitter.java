package io.heraldmq.connect;

import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into complete lines. Bytes are {@link #append appended} as they are read; {@link #next()}
 * returns the next line only once its {@code \n} has arrived, so a partially written last line stays pending until
 * the writer finishes it. Lines are decoded as UTF-8 (malformed bytes become U+FFFD) after splitting, which is safe
 * because {@code \n} never occurs inside a multi-byte UTF-8 sequence. A {@code \r} before the {@code \n} is dropped.
 * Not thread-safe.
 */
final class LineSplitter {
    /** A complete line and the number of bytes it took in the file, terminator included. */
    record Line(String text, int byteLength) {
    }

    private byte[] buf = new byte[8192];
    private int start;   // first byte not yet returned as a line
    private int scanned; // bytes before this index (from start) are known to hold no '\n'
    private int end;

    void append(byte[] bytes, int off, int len) {
        if (end + len > buf.length) {
            // Compact first: consumed lines need not be kept; grow only for one very long line.
            int pending = end - start;
            if (pending + len > buf.length) {
                byte[] bigger = new byte[Math.max(buf.length * 2, pending + len)];
                System.arraycopy(buf, start, bigger, 0, pending);
                buf = bigger;
            } else {
                System.arraycopy(buf, start, buf, 0, pending);
            }
            scanned -= start;
            start = 0;
            end = pending;
        }
        System.arraycopy(bytes, off, buf, end, len);
        end += len;
    }

    /** The next complete line, or null when only a partial line (or nothing) is pending. */
    Line next() {
        for (int i = Math.max(scanned, start); i < end; i++) {
            if (buf[i] == '\n') {
                int textEnd = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                Line line = new Line(new String(buf, start, textEnd - start, StandardCharsets.UTF_8), i + 1 - start);
                start = i + 1;
                scanned = start;
                return line;
            }
        }
        scanned = end;
        return null;
    }

    /** Bytes of an unfinished line. */
    int pending() {
        return end - start;
    }

    /**
     * Returns the unfinished line as a line of its own and empties the splitter; used when a rotated file is known to
     * be finished, so its last line will never get a terminator.
     */
    Line remainder() {
        int textEnd = end > start && buf[end - 1] == '\r' ? end - 1 : end;
        Line line = new Line(new String(buf, start, textEnd - start, StandardCharsets.UTF_8), end - start);
        start = end;
        scanned = end;
        return line;
    }
}
