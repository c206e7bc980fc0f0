package io.heraldmq.server.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long operation as lines on stderr, at most one per interval, so that stdout stays the operation's
 * result for scripts and a short operation prints nothing but its summary. Lines, not carriage returns: they read
 * the same in a terminal, a log file and a CI console.
 */
final class Progress {
    static final Duration INTERVAL = Duration.ofSeconds(2);

    private final PrintWriter err;
    private final String verb;
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final long started;
    private long lastReport;

    /** @param verb what is counted, past tense: {@code sent}, {@code moved} */
    Progress(PrintWriter err, String verb) {
        this(err, verb, System::nanoTime, INTERVAL);
    }

    Progress(PrintWriter err, String verb, LongSupplier nanoTime, Duration interval) {
        this.err = err;
        this.verb = verb;
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
        this.started = nanoTime.getAsLong();
        this.lastReport = started;
    }

    /**
     * Prints {@code count} (of {@code total}, when that is 0 or more) with the rate so far, if an interval has
     * passed since the last line; cheap otherwise, so it can be called per message.
     */
    void at(long count, long total) {
        long now = nanoTime.getAsLong();
        if (now - lastReport < intervalNanos) {
            return;
        }
        lastReport = now;
        err.println(line(count, total, now - started));
        err.flush();
    }

    /** Seconds since this progress began, for a summary line. */
    double elapsedSeconds() {
        return (nanoTime.getAsLong() - started) / 1e9;
    }

    String line(long count, long total, long elapsedNanos) {
        StringBuilder s = new StringBuilder(verb).append(' ').append(String.format(Locale.ROOT, "%,d", count));
        if (total >= 0) {
            s.append(String.format(Locale.ROOT, " of %,d (%d%%)", total, total == 0 ? 100 : count * 100 / total));
        }
        double seconds = elapsedNanos / 1e9;
        if (seconds > 0) {
            s.append(String.format(Locale.ROOT, ", %,.0f/s", count / seconds));
        }
        return s.toString();
    }
}
