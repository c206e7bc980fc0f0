package io.heraldmq.server.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

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
 */
public final class GroupCommit {
    private record Waiter(long lastOffset, Promise<Void> promise) {
    }

    private final Context owner;
    private final PartitionLog log;
    private final FlushPolicy policy;
    private final Executor flushExecutor;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final long timerId;
    private volatile boolean closed;

    /**
     * @param intervalMs for {@link FlushPolicy#INTERVAL}: time between background flushes; ignored otherwise
     */
    public GroupCommit(Context owner, PartitionLog log, FlushPolicy policy, long intervalMs, Executor flushExecutor) {
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

    /** Flush thread: fsyncs until no waiter is left, completing each as soon as an fsync covers it. */
    private void flushWhileWaited() {
        while (true) {
            try {
                long durable = log.flush();
                for (Waiter w = waiters.peek(); w != null && w.lastOffset < durable; w = waiters.peek()) {
                    waiters.poll().promise.complete();
                }
                if (closed) {
                    failAll(new IllegalStateException("group commit closed"));
                }
            } catch (Throwable e) {
                failAll(e);
            }
            flushing.set(false);
            // A waiter queued after the look above but before the flag went down finds it still up: go on for it.
            if (waiters.isEmpty() || !flushing.compareAndSet(false, true)) {
                return;
            }
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
