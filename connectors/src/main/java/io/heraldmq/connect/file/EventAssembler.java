package io.heraldmq.connect.file;

import io.heraldmq.connect.LineSplitter;

import java.util.regex.Pattern;

/**
 * Joins lines into events. Without a start pattern every line is an event. With one, a line that matches it (with
 * {@code find}, so anchor it with {@code ^}) starts an event and every following line that does not is appended to
 * that event, joined by {@code \n}: a stack trace under its log line. An event is complete when the next one starts,
 * or when {@link #flush()} is called (the caller does so when the file has been quiet for a while or is finished).
 * <p>
 * An event keeps at most {@code maxBytes} bytes of text (counting each line's bytes in the file); lines beyond that
 * are not kept and the event is marked truncated. Not thread-safe.
 */
final class EventAssembler {
    /**
     * @param startOffset byte offset of the event's first line
     * @param endOffset   byte offset just after its last line: where reading resumes once it is acknowledged
     * @param firstLine   1-based number of its first line in the file incarnation
     * @param lastLine    number of its last line
     */
    record Event(String text, long startOffset, long endOffset, long firstLine, long lastLine, boolean truncated) {
    }

    private final Pattern start;
    private final long maxBytes;
    private StringBuilder text;
    private long startOffset;
    private long endOffset;
    private long firstLine;
    private long lastLine;
    private long bytes;
    private boolean truncated;

    /** @param start the pattern of an event's first line, or null for one event per line */
    EventAssembler(Pattern start, long maxBytes) {
        this.start = start;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds one line.
     *
     * @return the event this line completes (the line itself without a start pattern), or null
     */
    Event add(LineSplitter.Line line, long offset, long lineNumber) {
        if (start == null) {
            return new Event(line.text(), offset, offset + line.byteLength(), lineNumber, lineNumber,
                    line.truncated());
        }
        Event completed = null;
        if (text != null && start.matcher(line.text()).find()) {
            completed = flush();
        }
        if (text == null) {
            text = new StringBuilder(line.text());
            startOffset = offset;
            firstLine = lineNumber;
            bytes = line.byteLength();
            truncated = line.truncated();
        } else if (!truncated && bytes + line.byteLength() <= maxBytes) {
            text.append('\n').append(line.text());
            bytes += line.byteLength();
            truncated = line.truncated();
        } else {
            truncated = true;
        }
        endOffset = offset + line.byteLength();
        lastLine = lineNumber;
        return completed;
    }

    boolean hasPending() {
        return text != null;
    }

    /** The event under way, now complete; null if there is none. */
    Event flush() {
        if (text == null) {
            return null;
        }
        Event e = new Event(text.toString(), startOffset, endOffset, firstLine, lastLine, truncated);
        text = null;
        return e;
    }
}
