package io.heraldmq.server.junit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for tests of time-based rules such as retention: it stands still at the time it was made and moves only
 * when a test calls {@link #advance}, so a test passes days in an instant. Give it to a broker with
 * {@link BrokerExtension#clock(Clock)}. Thread-safe.
 */
public final class TestClock extends Clock {
    private volatile long millis;

    /** Stopped at the current real time, so that messages sent now are about as old as the clock says. */
    public TestClock() {
        this.millis = System.currentTimeMillis();
    }

    /** Stopped at {@code millis} since the epoch. */
    public TestClock(long millis) {
        this.millis = millis;
    }

    /** Moves the clock forward. */
    public void advance(Duration d) {
        advance(d.toMillis());
    }

    /** Moves the clock forward by {@code ms} milliseconds. */
    public synchronized void advance(long ms) {
        millis += ms;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock has one zone, UTC");
    }
}
