package io.heraldmq.connect.syslog;

import io.heraldmq.connect.LineSplitter;

import java.nio.charset.StandardCharsets;

/**
 * Splits one TCP connection's bytes into syslog messages, in either RFC 6587 framing, chosen by the connection's
 * first byte:
 * <ul>
 * <li>a digit: <b>octet counting</b>, {@code MSG-LEN SP SYSLOG-MSG} with MSG-LEN in decimal (1 to 9 digits; a line
 * feed or carriage return between frames is tolerated);</li>
 * <li>anything else (normally {@code <}): <b>non-transparent framing</b>, each message ended by {@code \n}
 * ({@code \r\n} accepted).</li>
 * </ul>
 * A message longer than {@code maxBytes} comes out cut to that many bytes (at a character boundary) with
 * {@code truncated} set, and the rest of it is skipped without being buffered, so a connection holds at most
 * {@code maxBytes} plus one appended chunk. A length field that is not a number cannot be resynchronised: it is a
 * {@link IllegalStateException} and the connection should be closed. Not thread-safe.
 */
final class SyslogFramer {
    private static final int MAX_DIGITS = 9;

    private final int maxBytes;
    private Boolean octetCounting;
    private final LineSplitter lines;
    // octet counting state
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private long expected = -1;
    private long skip;

    SyslogFramer(int maxBytes) {
        this.maxBytes = maxBytes;
        this.lines = new LineSplitter(maxBytes);
    }

    void append(byte[] bytes) {
        if (octetCounting == null && bytes.length > 0) {
            octetCounting = bytes[0] >= '0' && bytes[0] <= '9';
        }
        if (octetCounting == null) {
            return;
        }
        if (!octetCounting) {
            lines.append(bytes, 0, bytes.length);
            return;
        }
        int pending = end - start;
        if (end + bytes.length > buf.length) {
            byte[] target = pending + bytes.length > buf.length
                    ? new byte[Math.max(buf.length * 2, pending + bytes.length)] : buf;
            System.arraycopy(buf, start, target, 0, pending);
            buf = target;
            start = 0;
            end = pending;
        }
        System.arraycopy(bytes, 0, buf, end, bytes.length);
        end += bytes.length;
    }

    /** The next complete message, or null when more bytes are needed. */
    LineSplitter.Line next() {
        if (octetCounting == null) {
            return null;
        }
        if (!octetCounting) {
            return lines.next();
        }
        while (true) {
            if (skip > 0) {
                int n = (int) Math.min(skip, end - start);
                start += n;
                skip -= n;
                if (skip > 0) {
                    return null;
                }
            }
            if (expected < 0) {
                while (start < end && (buf[start] == '\n' || buf[start] == '\r')) {
                    start++;
                }
                int i = start;
                long len = 0;
                while (i < end && buf[i] >= '0' && buf[i] <= '9') {
                    len = len * 10 + (buf[i] - '0');
                    i++;
                    if (i - start > MAX_DIGITS) {
                        throw new IllegalStateException("octet count longer than " + MAX_DIGITS + " digits");
                    }
                }
                if (i == end) {
                    return null;
                }
                if (buf[i] != ' ' || i == start) {
                    throw new IllegalStateException("expected an octet count, got byte " + (buf[i] & 0xff));
                }
                start = i + 1;
                expected = len;
            }
            int take = (int) Math.min(expected, maxBytes);
            if (end - start < take) {
                return null;
            }
            boolean truncated = expected > maxBytes;
            int len = take;
            if (truncated) {
                while (len > 0 && start + len < end && (buf[start + len] & 0xC0) == 0x80) {
                    len--;
                }
            }
            int textLen = len;
            while (textLen > 0 && (buf[start + textLen - 1] == '\n' || buf[start + textLen - 1] == '\r')) {
                textLen--; // some senders end octet-counted frames with a line feed as well
            }
            LineSplitter.Line line = new LineSplitter.Line(new String(buf, start, textLen, StandardCharsets.UTF_8),
                    expected, truncated);
            start += take;
            skip = expected - take;
            expected = -1;
            return line;
        }
    }
}
