package io.heraldmq.connect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One connector's counters, for the shutdown report and for metrics: a plain object whose {@link #snapshot()} is a
 * map from counter name to value.
 * <ul>
 * <li>{@code records_in}: records read or received (lines, events, datagrams, consumed messages);</li>
 * <li>{@code published}: handed to the JMS provider (a source's sends; a sink's writes);</li>
 * <li>{@code acknowledged}: acknowledged by the broker (a source) or committed after a durable write (a sink);</li>
 * <li>{@code dropped}: refused or dropped, each with a log line (too long under {@code long.lines = refuse},
 * unparseable, UDP with a full window);</li>
 * <li>{@code retried}: sent again after a failed send or a lost connection;</li>
 * <li>{@code lag}: what is waiting: for a file source the bytes of its files not yet acknowledged, for other sources
 * the records accepted but not yet acknowledged, for a sink 0.</li>
 * </ul>
 */
public final class Counters {
    public final AtomicLong recordsIn = new AtomicLong();
    public final AtomicLong published = new AtomicLong();
    public final AtomicLong acknowledged = new AtomicLong();
    public final AtomicLong dropped = new AtomicLong();
    public final AtomicLong retried = new AtomicLong();
    private volatile LongSupplier lag = () -> 0;

    /** Sets how the connector computes its lag (called once, at construction). */
    public void lag(LongSupplier supplier) {
        this.lag = supplier;
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("records_in", recordsIn.get());
        m.put("published", published.get());
        m.put("acknowledged", acknowledged.get());
        m.put("dropped", dropped.get());
        m.put("retried", retried.get());
        long l;
        try {
            l = lag.getAsLong();
        } catch (RuntimeException e) {
            l = -1; // a report must not fail because a file vanished while it was measured
        }
        m.put("lag", l);
        return m;
    }

    /** {@code records_in=1 published=1 ...}, for a log line. */
    public String format() {
        StringBuilder b = new StringBuilder();
        snapshot().forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }
}
