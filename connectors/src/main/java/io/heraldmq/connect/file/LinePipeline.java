package io.heraldmq.connect.file;

import io.heraldmq.connect.LineSplitter;

import java.util.regex.Pattern;

/**
 * The way from bytes to published events for one incarnation of one file (a new one after rotation or truncation):
 * splits lines, joins them into events, hands the events on, and tracks what the broker has acknowledged, which is
 * what a checkpoint may record. Fed by one thread; {@link #acked()} may be read from any.
 */
final class LinePipeline {
    /** Hands an event on for publishing; returns false if it was refused (too long) rather than published. */
    @FunctionalInterface
    interface EventSink {
        boolean publish(EventAssembler.Event event, Runnable onAcknowledged) throws InterruptedException;
    }

    private final String file;
    private final String fileKey;
    private final LineSplitter splitter;
    private final EventAssembler assembler;
    private final EventSink sink;
    private long nextLineOffset;
    private long lineNumber;
    private long lastLineNanos = System.nanoTime();
    /** End offset of the last event published: everything is acknowledged once {@link #acked} reaches it. */
    private volatile long publishedEnd;
    private volatile Checkpoint acked;

    /**
     * @param offset where reading starts (a line start), with {@code line} lines before it
     */
    LinePipeline(String file, String fileKey, long offset, long line, int maxLineBytes, Pattern multilineStart,
                 EventSink sink) {
        this.file = file;
        this.fileKey = fileKey;
        this.splitter = new LineSplitter(maxLineBytes);
        this.assembler = new EventAssembler(multilineStart, maxLineBytes);
        this.sink = sink;
        this.nextLineOffset = offset;
        this.lineNumber = line;
        this.publishedEnd = offset;
        this.acked = new Checkpoint(file, fileKey, offset, line);
    }

    void feed(byte[] bytes, int len) throws InterruptedException {
        splitter.append(bytes, 0, len);
        for (LineSplitter.Line l = splitter.next(); l != null; l = splitter.next()) {
            line(l);
        }
    }

    /** The file is complete: its unterminated last line and the event under way are published too. */
    void finish() throws InterruptedException {
        if (splitter.pending() > 0) {
            line(splitter.remainder());
        }
        emit(assembler.flush());
    }

    /** Publishes the event under way if no line has come for {@code quietNanos}: nothing may complete it soon. */
    void flushIfQuiet(long quietNanos) throws InterruptedException {
        if (assembler.hasPending() && System.nanoTime() - lastLineNanos >= quietNanos) {
            emit(assembler.flush());
        }
    }

    private void line(LineSplitter.Line l) throws InterruptedException {
        long offset = nextLineOffset;
        nextLineOffset += l.byteLength();
        lineNumber++;
        lastLineNanos = System.nanoTime();
        emit(assembler.add(l, offset, lineNumber));
    }

    private void emit(EventAssembler.Event e) throws InterruptedException {
        if (e == null) {
            return;
        }
        Checkpoint after = new Checkpoint(file, fileKey, e.endOffset(), e.lastLine());
        if (sink.publish(e, () -> acked = after)) {
            publishedEnd = e.endOffset();
        }
    }

    /** Where a restart may resume: just after the last event acknowledged, with every event before it. */
    Checkpoint acked() {
        return acked;
    }

    /** Whether every published event has been acknowledged. */
    boolean allAcked() {
        return acked.offset() >= publishedEnd;
    }

    /** Offset of the first byte not yet split into a complete line. */
    long readOffset() {
        return nextLineOffset + splitter.pending();
    }
}
