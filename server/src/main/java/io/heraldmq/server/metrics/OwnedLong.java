package io.heraldmq.server.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A figure that one thread writes (the context that owns it: a partition's, say) and any thread reads (a scrape, a
 * JMX client). Neither a lock nor a read-modify-write instruction: the owner adds with a plain read and a release
 * store, readers load with acquire, so a reader sees a value the owner wrote, never a torn one. Two writers would
 * lose counts: only the owner may call {@link #add} and {@link #set}.
 */
public final class OwnedLong {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(OwnedLong.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long value;

    /** Owner only. */
    public void add(long n) {
        VALUE.setRelease(this, value + n);
    }

    /** Owner only. */
    public void increment() {
        VALUE.setRelease(this, value + 1);
    }

    /** Owner only. */
    public void set(long v) {
        VALUE.setRelease(this, v);
    }

    /** Any thread. */
    public long get() {
        return (long) VALUE.getAcquire(this);
    }
}
