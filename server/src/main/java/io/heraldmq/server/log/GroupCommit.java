package io.heraldmq.server.log;

import io.heraldmq.server.metrics.FlushMeters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a stream of appends into few fsyncs. With {@link FlushPolicy#ALWAYS} at most one {@link PartitionLog#flush}
 * runs at a time, on {@code flushExecutor} (never on the owner context, an event loop); every batch appended while it
 * runs waits for the next one, which then covers them all: the more load, the more batches per fsync.
 * <p>
 * The flusher completes the waiters itself, in offset order, and goes straight on with the next fsync while some are
 * left: a synchronous send's answer does not wait for the owner context (an event loop that may be busy) between the
 * fsync and the socket. So waiters complete on the flush thread; callers only write the answer, which is safe from
 * any thread. Nothing is locked: the owner adds waiters to a lock-free queue in offset order, the one running flusher
 * takes them, and an atomic flag makes sure exactly one flusher runs while waiters are queued. A failed flush fails
 * every waiter queued at that moment; a later append starts a new attempt.
 * <p>
 * Idle wait: a flusher that has just completed waiters keeps its thread for up to {@link #IDLE_WAIT_NANOS}, yielding
 * the CPU in a loop, and flushes again if a waiter arrives meanwhile. A synchronous producer's next send usually
 * arrives within that time, and then it does not pay for waking a parked flush thread (a futex wake and a scheduling
 * delay, 30-250 µs on a loaded machine, measured next to a 200 µs fdatasync). {@link Thread#yield} leaves the CPU to
 * any runnable thread; the price is a core that looks busy while a synchronous producer is active. At most
 * {@link #MAX_IDLE_WAITERS} flushers in the JVM wait at a time, so the others' flush threads stay free for other
 * partitions.
 */
public final class GroupCommit {
    private record Waiter(long lastOffset, Promise<Void> promise) {
    }

    /** Longer than a synchronous send's round trip between two fsyncs on a loaded machine (~300 µs). */
    static final long IDLE_WAIT_NANOS = 500_000;
    static final int MAX_IDLE_WAITERS = 1;
    private static final AtomicInteger IDLE_WAITERS = new AtomicInteger();

    private final Context owner;
    private final PartitionLog log;
    private final FlushPolicy policy;
    private final Executor flushExecutor;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final long timerId;
    private final FlushMeters meters;
    private volatile boolean closed;

    /**
     * @param intervalMs for {@link FlushPolicy#INTERVAL}: time between background flushes; ignored otherwise
     */
    public GroupCommit(Context owner, PartitionLog log, FlushPolicy policy, long intervalMs, Executor flushExecutor) {
        this(owner, log, policy, intervalMs, flushExecutor, FlushMeters.NONE);
    }

    /** @param meters records each fsync's duration and the sends it made durable (on the flush thread) */
    public GroupCommit(Context owner, PartitionLog log, FlushPolicy policy, long intervalMs, Executor flushExecutor,
                       FlushMeters meters) {
        this.meters = meters;
        this.owner = owner;
        this.log = log;
        this.policy = policy;
        this.flushExecutor = flushExecutor;
        this.timerId = policy == FlushPolicy.INTERVAL
                ? owner.owner().setPeriodic(intervalMs, id -> owner.runOnContext(v -> onTimer()))
                : -1;
    }

    /**
     * Owner context, right after the append. Completes once everything up to and including {@code lastOffset} is
     * durable as the policy defines it: ALWAYS after an fsync covering it (completed on the flush thread); INTERVAL
     * and NEVER at once.
     */
    public Future<Void> awaitDurable(long lastOffset) {
        if (closed) {
            return Future.failedFuture(new IllegalStateException("group commit closed"));
        }
        if (policy != FlushPolicy.ALWAYS || lastOffset < log.durableOffset()) {
            return Future.succeededFuture();
        }
        Promise<Void> promise = Promise.promise();
        waiters.add(new Waiter(lastOffset, promise));
        startFlusher();
        return promise.future();
    }

    private void onTimer() {
        if (!closed && log.logEndOffset() > log.durableOffset()) {
            startFlusher();
        }
    }

    private void startFlusher() {
        if (!flushing.compareAndSet(false, true)) {
            return;
        }
        try {
            flushExecutor.execute(this::flushWhileWaited);
        } catch (RuntimeException e) {
            flushing.set(false);
            failAll(e);
        }
    }

    /**
     * Flush thread: fsyncs until no waiter is left (see the idle wait in the class Javadoc), completing each as soon
     * as an fsync covers it.
     */
    private void flushWhileWaited() {
        while (true) {
            boolean completedAny = false;
            try {
                long started = System.nanoTime();
                long durable = log.flush();
                long took = System.nanoTime() - started;
                int completed = 0;
                for (Waiter w = waiters.peek(); w != null && w.lastOffset < durable; w = waiters.peek()) {
                    waiters.poll().promise.complete();
                    completed++;
                }
                completedAny = completed > 0;
                meters.flushed(took, completed);
                if (closed) {
                    failAll(new IllegalStateException("group commit closed"));
                }
            } catch (Throwable e) {
                failAll(e);
            }
            if (completedAny && awaitWaiterIdly()) {
                continue;
            }
            flushing.set(false);
            // A waiter queued after the look above but before the flag went down finds it still up: go on for it.
            if (waiters.isEmpty() || !flushing.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Whether a waiter arrived while this flusher kept its thread, yielding, for up to {@link #IDLE_WAIT_NANOS}. */
    private boolean awaitWaiterIdly() {
        if (IDLE_WAITERS.incrementAndGet() > MAX_IDLE_WAITERS) {
            IDLE_WAITERS.decrementAndGet();
            return false;
        }
        try {
            long deadline = System.nanoTime() + IDLE_WAIT_NANOS;
            while (waiters.isEmpty() && !closed && System.nanoTime() - deadline < 0) {
                Thread.yield();
            }
            return !waiters.isEmpty() && !closed;
        } finally {
            IDLE_WAITERS.decrementAndGet();
        }
    }

    private void failAll(Throwable cause) {
        for (Waiter w = waiters.poll(); w != null; w = waiters.poll()) {
            w.promise.fail(cause);
        }
    }

    /**
     * Stops the periodic flush. Waiters covered by a flush already running still complete; the others fail. Hops to
     * the owner context if called elsewhere.
     */
    public void close() {
        if (Vertx.currentContext() != owner) {
            owner.runOnContext(v -> close());
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        if (timerId >= 0) {
            owner.owner().cancelTimer(timerId);
        }
        if (!flushing.get()) {
            failAll(new IllegalStateException("group commit closed"));
        }
    }
}
