package io.heraldmq.server.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The web console under {@code /console/} on the monitoring port: server-rendered HTML pages, one handler class per
 * page or action, each reading and changing the broker through the CLI's {@link io.heraldmq.admin.HeraldAdmin}
 * (the broker's administrative operations over its own client port, as the session's user). Here: the routes, the
 * session and CSRF guards in front of them, the console's worker pool and the session timer.
 * <p>
 * Threads: handlers run on the monitoring port's event loop and hand every administrative call, password check
 * and file-system read to {@link #WORKERS} threads of their own, so a slow broker call never holds an event loop
 * nor the broker's shared worker pool.
 */
public final class Console {
    static final int WORKERS = 2;
    /** A form is a few fields: anything larger is refused before it is read. */
    static final long MAX_FORM_BYTES = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    private final Vertx vertx;
    private final WorkerExecutor workers;
    private final ConsoleSessions sessions = new ConsoleSessions();
    private final long sweepTimer;
    private volatile ConsoleBackend backend;

    public Console(Vertx vertx) {
        this.vertx = vertx;
        this.workers = vertx.createSharedWorkerExecutor("heraldmq-console", WORKERS);
        this.sweepTimer = vertx.setPeriodic(60_000, t -> sessions.expire(this::closeLater));
    }

    /** The broker serves clients: the console serves pages from now on (before, 503). */
    public void ready(io.heraldmq.server.security.Authenticator authenticator,
                      io.heraldmq.server.security.Authorizer authorizer, String adminUrl,
                      java.util.function.IntSupplier connections, io.micrometer.core.instrument.MeterRegistry registry,
                      java.nio.file.Path dataDir) {
        backend = new ConsoleBackend(authenticator, authorizer, adminUrl, connections, registry, dataDir);
        LOG.debug("console ready, administering through {}", AdminUrl.withoutOptions(adminUrl));
    }

    /** Adds the console's routes to the monitoring port's router. */
    public void mount(Router router) {
        SessionGuard guard = new SessionGuard(() -> backend, sessions, this::closeLater);
        CsrfGuard csrf = new CsrfGuard();
        BodyHandler forms = BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES);
        LoginPage login = new LoginPage(vertx, workers, () -> backend, sessions);

        router.get("/console/login").handler(login::form);
        router.post("/console/login").handler(forms).handler(login::login);
        router.route("/console/*").handler(guard);
        router.post("/console/*").handler(forms).handler(csrf);
        router.get("/console/").handler(new OverviewPage(workers, () -> backend)::handle);
        router.get("/console/destinations").handler(new DestinationsPage(workers)::handle);
        router.get("/console/subscriptions").handler(new SubscriptionsPage(workers)::handle);
        router.post("/console/subscriptions/seek").handler(new SeekAction(workers)::handle);
        router.get("/console/browse").handler(new BrowsePage(workers)::handle);
        router.get("/console/dead-letters").handler(new DeadLettersPage(workers)::handle);
        router.post("/console/dead-letters/retry").handler(new DeadLetterAction(workers, true)::handle);
        router.post("/console/dead-letters/delete").handler(new DeadLetterAction(workers, false)::handle);
        router.get("/console/cluster").handler(new ClusterPage(workers)::handle);
        router.post("/console/logout").handler(new LogoutAction(workers, sessions)::handle);
        router.route("/console/*").failureHandler(rc -> {
            ConsoleSession session = rc.get(SessionGuard.SESSION);
            if (rc.failure() == null) {
                ConsolePages.refuse(rc, session, new ConsoleRefusal(rc.statusCode(), rc.statusCode() == 413
                        ? "the form is too large" : "request failed"));
            } else {
                ConsolePages.refuse(rc, session, ConsolePages.refusal(rc.failure()));
            }
        });
    }

    /** Ends every session and stops the workers. */
    public Future<Void> close() {
        vertx.cancelTimer(sweepTimer);
        return workers.executeBlocking(() -> {
            sessions.clear(ConsoleSession::close);
            return null;
        }, false).transform(ar -> workers.close());
    }

    private void closeLater(ConsoleSession s) {
        workers.executeBlocking(() -> {
            s.close();
            return null;
        }, false);
    }
}
