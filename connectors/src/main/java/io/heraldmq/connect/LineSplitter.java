package io.heraldmq.connect;

import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into complete lines. Bytes are {@link #append appended} as they are read; {@link #next()}
 * returns the next line only once its {@code \n} has arrived, so a partially written last line stays pending until
 * the writer finishes it. Lines are decoded as UTF-8 (malformed bytes become U+FFFD) after splitting, which is safe
 * because {@code \n} never occurs inside a multi-byte UTF-8 sequence. A {@code \r} before the {@code \n} is dropped.
 * <p>
 * Memory is bounded by {@code maxLineBytes} plus one appended chunk: of a longer line only the first
 * {@code maxLineBytes} bytes are kept (cut back to a character boundary) and the line comes out with
 * {@code truncated} set; its {@code byteLength} still counts every byte it took in the file. Not thread-safe.
 */
public final class LineSplitter {
    /**
     * A complete line.
     *
     * @param byteLength bytes it took in the file, terminator and any cut part included
     * @param truncated  whether it was longer than the limit and {@code text} holds only its start
     */
    public record Line(String text, long byteLength, boolean truncated) {
        public Line(String text, long byteLength) {
            this(text, byteLength, false);
        }
    }

    private final int maxLineBytes;
    private byte[] buf = new byte[8192];
    private int start;   // first byte not yet returned as a line
    private int scanned; // bytes before this index (from start) are known to hold no '\n'
    private int end;
    /** Bytes of the current line dropped beyond {@code maxLineBytes}; positive only while cutting one. */
    private long dropped;

    public LineSplitter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    public void append(byte[] bytes, int off, int len) {
        if (dropped > 0) {
            // Cutting an over-long line: drop everything up to its '\n', keep the '\n' and what follows.
            int nl = indexOf(bytes, off, len);
            if (nl < 0) {
                dropped += len;
                return;
            }
            dropped += nl - off;
            len -= nl - off;
            off = nl;
        }
        if (end + len > buf.length) {
            // Compact first: consumed lines need not be kept; grow only for one long line.
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

    private static int indexOf(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The next complete line, or null when only a partial line (or nothing) is pending. */
    public Line next() {
        for (int i = Math.max(scanned, start); i < end; i++) {
            if (buf[i] == '\n') {
                int textEnd = i > start && buf[i - 1] == '\r' && dropped == 0 ? i - 1 : i;
                Line line = line(textEnd, i + 1 - start + dropped);
                start = i + 1;
                scanned = start;
                dropped = 0;
                return line;
            }
        }
        scanned = end;
        if (end - start > maxLineBytes) {
            // No '\n' yet and already too long: keep only the part that will be sent.
            int cut = cutPoint(start + maxLineBytes);
            dropped += end - cut;
            end = cut;
            scanned = end;
        }
        return null;
    }

    private Line line(int textEnd, long byteLength) {
        int len = textEnd - start;
        boolean truncated = dropped > 0 || len > maxLineBytes;
        if (len > maxLineBytes) {
            len = cutPoint(start + maxLineBytes) - start;
        }
        return new Line(new String(buf, start, len, StandardCharsets.UTF_8), byteLength, truncated);
    }

    /**
     * Where to cut so that no character's bytes are split: before {@code at}, moved back while the first byte left
     * out is a UTF-8 continuation byte.
     */
    private int cutPoint(int at) {
        while (at > start && (buf[at] & 0xC0) == 0x80) {
            at--;
        }
        return at;
    }

    /** Bytes of an unfinished line (as read from the file, cut bytes included). */
    public long pending() {
        return end - start + dropped;
    }

    /**
     * Returns the unfinished line as a line of its own and empties the splitter; used when a rotated file is known to
     * be finished, so its last line will never get a terminator.
     */
    public Line remainder() {
        int textEnd = end > start && buf[end - 1] == '\r' && dropped == 0 ? end - 1 : end;
        Line line = line(textEnd, end - start + dropped);
        start = end;
        scanned = end;
        dropped = 0;
        return line;
    }
}
