package io.heraldmq.server.net;

import io.vertx.core.Context;
import io.vertx.core.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * Runs a connection's requests that wait for a lookup (a PRODUCE's destination, which may still be opening) in the
 * order they arrived. A Vert.x future completed off the connection's event loop hands its earlier listeners to that
 * loop as queued tasks, while a listener added on the loop after completion runs at once: a later PRODUCE would then
 * be appended before earlier ones that waited for the destination to open (one producer's messages out of order on a
 * queue, found through a cluster relay by the conformance suite). Here a request runs at once only when nothing of
 * its connection waits before it. Connection's event loop only.
 */
final class InOrder {
    private static final Logger LOG = LoggerFactory.getLogger(InOrder.class);
    private record Waiting(Future<?> ready, Runnable then) {
    }

    private final Context context;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    InOrder(Context context) {
        this.context = context;
    }

    /** Runs {@code then} once {@code ready} is complete and every request queued before it has run. */
    void run(Future<?> ready, Runnable then) {
        if (waiting.isEmpty() && ready.isComplete()) {
            then.run();
            return;
        }
        waiting.add(new Waiting(ready, then));
        ready.onComplete(ar -> context.runOnContext(v -> drain()));
    }

    private void drain() {
        while (!waiting.isEmpty() && waiting.peek().ready().isComplete()) {
            try {
                waiting.poll().then().run();
            } catch (RuntimeException e) {
                // the request's own failure; the ones behind it still run
                LOG.warn("a request failed after waiting for its lookup", e);
            }
        }
    }
}
