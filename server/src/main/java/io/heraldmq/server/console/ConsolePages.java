package io.heraldmq.server.console;

import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.protocol.ErrorCode;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;

/**
 * Answers of the console's handlers: a page rendered on the console's workers (administrative calls block, so they
 * never run on an event loop), a redirect after a change, a refusal. Failures of the broker's operations become
 * pages with the broker's reason and a status: NOT_AUTHORIZED 403, unknown destination or subscription 404, other
 * refusals 409, the broker not answering 502.
 */
final class ConsolePages {
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePages.class);

    private ConsolePages() {
    }

    /** Renders {@code body} (run on a console worker) as a page titled {@code title}. */
    static void render(RoutingContext rc, WorkerExecutor workers, String title, Callable<String> body) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        workers.executeBlocking(body, false).onComplete(ar -> {
            if (ar.succeeded()) {
                html(rc, 200, Html.page(title, session, ar.result()));
            } else {
                refuse(rc, session, refusal(ar.cause()));
            }
        });
    }

    /**
     * Runs a change (on a console worker), then redirects to {@code next} (303: the browser GETs it) with the
     * change's outcome as the session's notice.
     */
    static void change(RoutingContext rc, WorkerExecutor workers, String next, Callable<String> change) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        workers.executeBlocking(change, false).onComplete(ar -> {
            if (ar.succeeded()) {
                session.notice(ar.result());
                redirect(rc, next);
            } else {
                refuse(rc, session, refusal(ar.cause()));
            }
        });
    }

    static ConsoleRefusal refusal(Throwable e) {
        if (e instanceof ConsoleRefusal r) {
            return r;
        }
        if (e instanceof HeraldAdminException h) {
            ErrorCode code = h.code();
            int status = code == null ? 502 : switch (code) {
                case NOT_AUTHORIZED -> 403;
                case INVALID_DESTINATION -> 404;
                case INVALID_ARGUMENT -> 400;
                default -> 409;
            };
            return new ConsoleRefusal(status, h.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return new ConsoleRefusal(400, e.getMessage());
        }
        LOG.warn("console: request failed", e);
        return new ConsoleRefusal(500, String.valueOf(e));
    }

    static void refuse(RoutingContext rc, ConsoleSession session, ConsoleRefusal r) {
        String back = session == null ? "" : "<p><a href=\"/console/\">Back to the overview</a></p>";
        html(rc, r.status(), Html.page(r.status() == 403 ? "Refused" : "Error " + r.status(), session,
                "<p class=\"error\" id=\"error\">" + Html.esc(r.getMessage()) + "</p>" + back));
    }

    static void html(RoutingContext rc, int status, String page) {
        if (rc.response().ended()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                        + "form-action 'self'; frame-ancestors 'none'")
                .end(page);
    }

    static void redirect(RoutingContext rc, String location) {
        rc.response().setStatusCode(303).putHeader("Location", location).end();
    }

    /** A request parameter (query or form), trimmed; null when absent or blank. */
    static String param(RoutingContext rc, String name) {
        String v = rc.request().getParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static String required(RoutingContext rc, String name) {
        String v = param(rc, name);
        if (v == null) {
            throw new ConsoleRefusal(400, "missing '" + name + "'");
        }
        return v;
    }

    static long number(RoutingContext rc, String name, long dflt) {
        String v = param(rc, name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConsoleRefusal(400, "'" + name + "' must be a whole number, was '" + v + "'");
        }
    }
}
