package io.heraldmq.server.console;

import io.heraldmq.server.security.Permission;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /console/dead-letters/retry} and {@code .../delete}: {@code queue} (a dead-letter queue,
 * {@code DLQ.<destination>}) and {@code offset} (one message; absent: every message in it now). Retry moves
 * messages back to where they came from (sent again, then acknowledged in the dead-letter queue), delete only
 * acknowledges them: the CLI's {@link io.heraldmq.admin.HeraldAdmin} code, run as the session's user. Needs
 * {@code manage} on the destination the dead-letter queue belongs to, checked here (the broker checks
 * {@code consume} on the dead-letter queue and {@code send} on the destination as for any client).
 */
final class DeadLetterAction {
    private final WorkerExecutor workers;
    private final boolean retry;

    /** @param retry true: move back; false: delete */
    DeadLetterAction(WorkerExecutor workers, boolean retry) {
        this.workers = workers;
        this.retry = retry;
    }

    void handle(RoutingContext rc) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        String queue = ConsolePages.required(rc, "queue");
        if (!queue.startsWith(DeadLettersPage.PREFIX) || queue.length() == DeadLettersPage.PREFIX.length()) {
            throw new ConsoleRefusal(400, "'" + queue + "' is not a dead-letter queue (" + DeadLettersPage.PREFIX
                    + "<destination>)");
        }
        long offset = ConsolePages.number(rc, "offset", -1);
        String destination = queue.substring(DeadLettersPage.PREFIX.length());
        ConsolePages.change(rc, workers, "/console/dead-letters?queue=" + Html.url(queue), () -> {
            session.require(Permission.MANAGE, destination);
            int n = session.call(a -> offset < 0
                    ? retry ? a.retryDeadLetters(queue) : a.deleteDeadLetters(queue)
                    : retry ? a.retryDeadLetter(queue, offset) : a.deleteDeadLetter(queue, offset));
            return (retry ? "moved " + n + " message(s) back from " : "deleted " + n + " message(s) from ") + queue;
        });
    }
}
