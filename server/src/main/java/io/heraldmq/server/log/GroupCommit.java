package io.heraldmq.server.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Turns a stream of appends into few fsyncs. With {@link FlushPolicy#ALWAYS} at most one {@link PartitionLog#flush}
 * runs at a time, on {@code flushExecutor} (never on the owner context, an event loop); every batch appended while it
 * runs waits for the next one, which then covers them all: the more load, the more batches per fsync.
 * <p>
 * The waiters and the "flush running" flag live on the owner context only, so nothing here is locked: the flusher
 * hops back with {@link Context#runOnContext} to complete them. Waiters complete in offset order, on the owner
 * context. A failed flush fails every waiter it would have covered, and the waiters queued behind it; a later append
 * starts a new attempt.
 */
public final class GroupCommit {
    private record Waiter(long lastOffset, Promise<Void> promise) {
    }

    private final Context owner;
    private final PartitionLog log;
    private final FlushPolicy policy;
    private final Executor flushExecutor;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final long timerId;
    private boolean flushing;
    private boolean closed;

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
     * Owner context, right after the append. Completes on the owner context once everything up to and including
     * {@code lastOffset} is durable as the policy defines it: ALWAYS after an fsync covering it; INTERVAL and NEVER
     * at once.
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
        if (!flushing) {
            startFlush();
        }
        return promise.future();
    }

    private void onTimer() {
        if (!closed && !flushing && log.logEndOffset() > log.durableOffset()) {
            startFlush();
        }
    }

    private void startFlush() {
        flushing = true;
        try {
            flushExecutor.execute(() -> {
                long durable;
                try {
                    durable = log.flush();
                } catch (Throwable e) {
                    owner.runOnContext(v -> onFlushFailed(e));
                    return;
                }
                owner.runOnContext(v -> onFlushed(durable));
            });
        } catch (RuntimeException e) {
            onFlushFailed(e);
        }
    }

    private void onFlushed(long durableEnd) {
        flushing = false;
        while (!waiters.isEmpty() && waiters.peek().lastOffset < durableEnd) {
            waiters.poll().promise.complete();
        }
        if (!waiters.isEmpty()) {
            if (closed) {
                failAll(new IllegalStateException("group commit closed"));
            } else {
                startFlush();
            }
        }
    }

    private void onFlushFailed(Throwable cause) {
        flushing = false;
        failAll(cause);
    }

    private void failAll(Throwable cause) {
        while (!waiters.isEmpty()) {
            waiters.poll().promise.fail(cause);
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
        if (!flushing) {
            failAll(new IllegalStateException("group commit closed"));
        }
    }
}
