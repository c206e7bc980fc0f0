package io.heraldmq.client;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The client's one Vert.x instance per JVM, shared by every connection and closed when the last connection closes,
 * so that an application holding many connections does not get many sets of event-loop threads.
 */
public final class ClientVertx {
    private static Vertx vertx;
    private static int users;

    private ClientVertx() {
    }

    public static synchronized Vertx acquire() {
        if (vertx == null) {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1,
                    Math.min(4, Runtime.getRuntime().availableProcessors()))).setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1));
        }
        users++;
        return vertx;
    }

    public static synchronized void release() {
        if (--users == 0) {
            Vertx v = vertx;
            vertx = null;
            v.close();
        }
    }
}
