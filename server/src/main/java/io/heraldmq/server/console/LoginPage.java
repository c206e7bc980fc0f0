package io.heraldmq.server.console;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.server.security.LoginBackoff;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * {@code GET /console/login}: the login form; {@code POST /console/login}: checks the user name and password with
 * the broker's {@link io.heraldmq.server.security.Authenticator} (on a worker: it is slow by design), opens the
 * session's administrative connection as that user and sets the session cookie. A failure waits as the client
 * port's do ({@link LoginBackoff} per address) and is logged with the address.
 */
final class LoginPage {
    private static final Logger LOG = LoggerFactory.getLogger(LoginPage.class);

    private final Vertx vertx;
    private final WorkerExecutor workers;
    private final Supplier<ConsoleBackend> backend;
    private final ConsoleSessions sessions;
    private final LoginBackoff backoff = new LoginBackoff(500, 10_000);

    LoginPage(Vertx vertx, WorkerExecutor workers, Supplier<ConsoleBackend> backend, ConsoleSessions sessions) {
        this.vertx = vertx;
        this.workers = workers;
        this.backend = backend;
        this.sessions = sessions;
    }

    /** A user name as typed, fit for one log line (control characters, a forged line break included, as '?'). */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    void form(RoutingContext rc) {
        form(rc, 200, null);
    }

    private static void form(RoutingContext rc, int status, String error) {
        String body = (error == null ? "" : "<p class=\"error\" id=\"error\">" + Html.esc(error) + "</p>")
                + "<form method=\"post\" action=\"/console/login\">"
                + "<p><label>User <input id=\"username\" name=\"username\" autocomplete=\"username\" autofocus>"
                + "</label></p><p><label>Password <input id=\"password\" type=\"password\" name=\"password\""
                + " autocomplete=\"current-password\"></label></p><p><button id=\"login\">Log in</button></p></form>";
        ConsolePages.html(rc, status, Html.page("Log in", null, body));
    }

    void login(RoutingContext rc) {
        ConsoleBackend b = backend.get();
        if (b == null) {
            ConsolePages.refuse(rc, null, new ConsoleRefusal(503, "the broker is starting; try again shortly"));
            return;
        }
        if (!b.authenticator().required()) {
            ConsolePages.redirect(rc, "/console/");
            return;
        }
        String user = ConsolePages.param(rc, "username");
        String password = rc.request().getFormAttribute("password");
        String address = rc.request().remoteAddress() == null ? "?" : rc.request().remoteAddress().hostAddress();
        long delay = backoff.delayMs(address);
        if (delay > 0) {
            vertx.setTimer(delay, t -> check(rc, b, user, password, address));
        } else {
            check(rc, b, user, password, address);
        }
    }

    private void check(RoutingContext rc, ConsoleBackend b, String user, String password, String address) {
        workers.executeBlocking(() -> {
            if (user == null || password == null || !b.authenticator().authenticate(user, password)) {
                return null;
            }
            if (sessions.full()) {
                throw new ConsoleRefusal(503, "too many console sessions");
            }
            HeraldAdmin admin = HeraldAdmin.connect(b.adminUrl(), user, password);
            ConsoleSession s = new ConsoleSession(sessions.token(), user, sessions.token(),
                    b.authorizer().access(user, "console"), admin, null);
            sessions.add(s);
            return s;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                ConsoleRefusal r = ar.cause() instanceof HeraldAdminException h
                        ? new ConsoleRefusal(502, "the broker refused the console's connection: " + h.getMessage())
                        : ConsolePages.refusal(ar.cause());
                form(rc, r.status(), r.getMessage());
            } else if (ar.result() == null) {
                backoff.failed(address);
                LOG.warn("console: login of user '{}' from {} refused", printable(user), address);
                form(rc, 401, "wrong user name or password");
            } else {
                backoff.succeeded(address);
                SessionGuard.setCookie(rc, ar.result().id());
                ConsolePages.redirect(rc, "/console/");
            }
        });
    }
}
