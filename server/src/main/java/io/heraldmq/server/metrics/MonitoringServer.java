package io.heraldmq.server.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * The broker's monitoring port ({@code http.port}), HTTP/1.1 on Vert.x Web:
 * <ul>
 *   <li>{@code GET /metrics}: every meter in the Prometheus text format (0.0.4); the scrape runs on a worker, so a
 *       large registry never holds up an event loop;</li>
 *   <li>{@code GET /health/live}: 200 while the process serves HTTP at all;</li>
 *   <li>{@code GET /health/ready}: 200 {@code {"status":"UP"}} once the broker serves clients (see
 *       {@link io.heraldmq.server.Broker}), else 503 {@code {"status":"DOWN","reason":"..."}}.</li>
 * </ul>
 * These serve no data and change nothing, so they need no authentication; the web console
 * ({@link io.heraldmq.server.console.Console}, unless {@code console.enabled = false}) shares the port and has its
 * own login once users are configured. It binds {@code http.host} (127.0.0.1 by default): expose it beyond the
 * machine only where the figures (destination and user names) may be seen.
 */
public final class MonitoringServer {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Vertx vertx;
    private final BrokerMetrics metrics;
    private final Supplier<String> notReady;
    private final Runnable beforeScrape;
    private HttpServer server;

    /**
     * @param notReady     null when ready, else why not (any thread, must not block)
     * @param beforeScrape runs on the worker before each scrape (refreshes meters counted on a timer)
     */
    public MonitoringServer(Vertx vertx, BrokerMetrics metrics, Supplier<String> notReady, Runnable beforeScrape) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.notReady = notReady;
        this.beforeScrape = beforeScrape;
    }

    /** Binds; the future has the port (the one taken, for port 0). */
    public Future<Integer> listen(String host, int port) {
        return listen(host, port, router -> { });
    }

    /** Binds, with more routes (the web console) added by {@code more}; the future has the port. */
    public Future<Integer> listen(String host, int port, java.util.function.Consumer<Router> more) {
        Router router = Router.router(vertx);
        more.accept(router);
        router.get("/metrics").handler(this::metrics);
        router.get("/health/live").handler(rc -> json(rc, 200, new JsonObject().put("status", "UP")));
        router.get("/health/ready").handler(this::ready);
        router.get("/health").handler(this::ready);
        HttpServer http = vertx.createHttpServer();
        return http.requestHandler(router).listen(port, host).map(bound -> {
            server = bound;
            return bound.actualPort();
        }).recover(e -> Future.failedFuture(new IllegalStateException("cannot listen on http://" + host + ":"
                + port + " (http.host, http.port): " + e.getMessage(), e)));
    }

    private void metrics(RoutingContext rc) {
        vertx.executeBlocking(() -> {
            beforeScrape.run();
            return metrics.scrape();
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                rc.response().setStatusCode(500).end(String.valueOf(ar.cause()));
            } else {
                rc.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(ar.result());
            }
        });
    }

    private void ready(RoutingContext rc) {
        String reason = notReady.get();
        if (reason == null) {
            json(rc, 200, new JsonObject().put("status", "UP"));
        } else {
            json(rc, 503, new JsonObject().put("status", "DOWN").put("reason", reason));
        }
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
