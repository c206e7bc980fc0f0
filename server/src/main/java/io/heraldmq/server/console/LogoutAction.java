package io.heraldmq.server.console;

import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /console/logout}: ends the session (its connection closed on a worker) and clears the cookie. */
final class LogoutAction {
    private final WorkerExecutor workers;
    private final ConsoleSessions sessions;

    LogoutAction(WorkerExecutor workers, ConsoleSessions sessions) {
        this.workers = workers;
        this.sessions = sessions;
    }

    void handle(RoutingContext rc) {
        ConsoleSession session = sessions.remove(((ConsoleSession) rc.get(SessionGuard.SESSION)).id());
        if (session != null) {
            workers.executeBlocking(() -> {
                session.close();
                return null;
            }, false);
        }
        SessionGuard.clearCookie(rc);
        ConsolePages.redirect(rc, "/console/login");
    }
}
