package io.heraldmq.server.console;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Refuses (403) every POST whose form field {@value #FIELD} is not the session's CSRF token (a synchronizer token:
 * a page of another site can make the browser send the cookie, but cannot read the token from our pages). Runs
 * after {@link SessionGuard} and the body handler.
 */
final class CsrfGuard implements Handler<RoutingContext> {
    static final String FIELD = "csrf";
    private static final Logger LOG = LoggerFactory.getLogger(CsrfGuard.class);

    @Override
    public void handle(RoutingContext rc) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        String given = rc.request().getFormAttribute(FIELD);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("console: POST {} from {} refused: {} CSRF token", rc.request().path(),
                    rc.request().remoteAddress(), (given == null ? "no" : "a wrong"));
            ConsolePages.refuse(rc, session, new ConsoleRefusal(403, "the form's CSRF token is missing or wrong:"
                    + " reload the page and try again"));
            return;
        }
        rc.next();
    }
}
