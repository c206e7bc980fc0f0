package io.heraldmq.server.console;

import io.heraldmq.admin.HeraldAdmin;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * Finds the request's session by its cookie and puts it in the context ({@link #SESSION}). Without one: on a
 * broker with users, a page redirects to the login page and a POST is refused (403); on a broker without users
 * (open, like its client port) an anonymous session is made at once, so that POSTs still need its CSRF token.
 */
final class SessionGuard implements Handler<RoutingContext> {
    static final String SESSION = "heraldmq.console.session";
    static final String COOKIE = "heraldmq_console";

    private final Supplier<ConsoleBackend> backend;
    private final ConsoleSessions sessions;
    /** Closes an ended session's connection, on a worker. */
    private final java.util.function.Consumer<ConsoleSession> closer;

    SessionGuard(Supplier<ConsoleBackend> backend, ConsoleSessions sessions,
                 java.util.function.Consumer<ConsoleSession> closer) {
        this.backend = backend;
        this.sessions = sessions;
        this.closer = closer;
    }

    @Override
    public void handle(RoutingContext rc) {
        ConsoleBackend b = backend.get();
        if (b == null) {
            ConsolePages.refuse(rc, null, new ConsoleRefusal(503, "the broker is starting; try again shortly"));
            return;
        }
        Cookie cookie = rc.request().getCookie(COOKIE);
        ConsoleSession session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session == null) {
            if (b.authenticator().required()) {
                if (rc.request().method() == io.vertx.core.http.HttpMethod.GET) {
                    ConsolePages.redirect(rc, "/console/login");
                } else {
                    ConsolePages.refuse(rc, null, new ConsoleRefusal(403, "log in first"));
                }
                return;
            }
            sessions.makeRoom(closer);
            Supplier<HeraldAdmin> connect = () -> HeraldAdmin.connect(b.adminUrl());
            session = new ConsoleSession(sessions.token(), null, sessions.token(),
                    b.authorizer().access(null, "console"), null, connect);
            sessions.add(session);
            setCookie(rc, session.id());
        }
        rc.put(SESSION, session);
        rc.next();
    }

    /** The session cookie: not readable by scripts, never sent by other sites' requests, only under /console. */
    static void setCookie(RoutingContext rc, String value) {
        rc.response().addCookie(Cookie.cookie(COOKIE, value).setPath("/console").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT));
    }

    static void clearCookie(RoutingContext rc) {
        rc.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/console").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
    }
}
