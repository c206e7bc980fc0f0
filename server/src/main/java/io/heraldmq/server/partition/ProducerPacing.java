package io.heraldmq.server.partition;

import io.vertx.core.Context;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Paces producers of NON_PERSISTENT messages to the partition's consumers. A client asks for a PRODUCE_ACK on one
 * non-persistent send in every few (a window marker, see the provider's {@code SendWindow}) and stops sending while
 * a few markers are unanswered; the partition holds the answer to a marker here while a subscription with an active
 * consumer is backed up ({@link Partition.AppendListener#backedUp()}), and lets it go as soon as the consumers catch
 * up. The log, not memory, absorbs what a slow consumer has not read yet: this is about latency and about not
 * starving consumers of CPU, not about safety, so a hold never lasts longer than {@link #MAX_HOLD_MS}: a consumer
 * that stalls paces the producer, it never stops it.
 * <p>
 * Owned by the partition's context: no locks. Checking costs one look at each subscription and happens only for
 * markers and, while something is held, after deliveries.
 */
final class ProducerPacing {
    /** Longest a marker's answer is held. */
    static final long MAX_HOLD_MS = 500;
    /** While something is held, how often to look again even if no consumer made progress. */
    private static final long CHECK_MS = 20;

    private record Held(long sinceNanos, Runnable release) {
    }

    private final Context context;
    private final List<Partition.AppendListener> subscriptions;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long timerId = -1;

    ProducerPacing(Context context, List<Partition.AppendListener> subscriptions) {
        this.context = context;
        this.subscriptions = subscriptions;
    }

    /** Runs {@code release} now if no consumer is backed up, else once they caught up (or after the longest hold). */
    void whenCaughtUp(Runnable release) {
        if (held.isEmpty() && !backedUp()) {
            release.run();
            return;
        }
        held.add(new Held(System.nanoTime(), release));
        armTimer();
    }

    /** A subscription delivered: releases what is held if nobody is backed up any more. */
    void progressed() {
        if (!held.isEmpty() && !backedUp()) {
            releaseAll();
        }
    }

    private boolean backedUp() {
        for (int i = 0; i < subscriptions.size(); i++) {
            if (subscriptions.get(i).backedUp()) {
                return true;
            }
        }
        return false;
    }

    private void releaseAll() {
        while (!held.isEmpty()) {
            held.poll().release.run();
        }
    }

    private void armTimer() {
        if (timerId != -1) {
            return;
        }
        timerId = context.owner().setTimer(CHECK_MS, id -> context.runOnContext(v -> {
            timerId = -1;
            if (!backedUp()) {
                releaseAll();
            } else {
                long oldest = System.nanoTime() - MAX_HOLD_MS * 1_000_000;
                while (!held.isEmpty() && held.peek().sinceNanos - oldest <= 0) {
                    held.poll().release.run();
                }
            }
            if (!held.isEmpty()) {
                armTimer();
            }
        }));
    }

    /** The partition stops: nothing is held back any longer. */
    void close() {
        if (timerId != -1) {
            context.owner().cancelTimer(timerId);
            timerId = -1;
        }
        releaseAll();
    }
}
