package io.heraldmq.server.console;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.security.PasswordHash;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's protection, over plain HTTP: with users, pages need a login and changes a login and the session's
 * CSRF token (403 without either); the cookie is HttpOnly and SameSite=Strict; a user without {@code manage} cannot
 * change anything and without {@code browse} cannot read messages; message bodies are escaped. Without users the
 * console is open but still needs the CSRF token; {@code console.enabled = false} removes it.
 */
class ConsoleSecurityIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.ofEntries(
            Map.entry("user.ops", PasswordHash.create("ops-pw".toCharArray(), 1_000).encoded()),
            Map.entry("user.ops.roles", "admin"),
            Map.entry("user.viewer", PasswordHash.create("viewer-pw".toCharArray(), 1_000).encoded()),
            Map.entry("user.viewer.roles", "viewers"),
            Map.entry("permission.manage.#", "admin"),
            Map.entry("permission.browse.#", "admin"),
            Map.entry("permission.send.#", "admin"),
            Map.entry("permission.consume.#", "admin"),
            Map.entry("permission.createDestination.#", "admin")));

    @TempDir
    Path dir;

    private static ConsoleHttp console() {
        return new ConsoleHttp(broker.broker().httpUrl());
    }

    private static ConsoleHttp loggedIn(String user, String password) throws Exception {
        ConsoleHttp c = console();
        HttpResponse<String> r = c.post("/console/login", "username", user, "password", password);
        assertEquals(303, r.statusCode(), r.body());
        return c;
    }

    @Test
    void withoutLoginPagesRedirectAndChangesAreRefused() throws Exception {
        ConsoleHttp c = console();
        HttpResponse<String> page = c.get("/console/destinations");
        assertEquals(303, page.statusCode());
        assertEquals("/console/login", page.headers().firstValue("Location").orElse(""));
        assertEquals(200, c.get("/console/login").statusCode());
        assertEquals(403, c.post("/console/dead-letters/delete", "queue", "DLQ.x", "csrf", "guess").statusCode());
        assertEquals(403, c.post("/console/subscriptions/seek", "id", "queue:x", "to", "end").statusCode());
    }

    @Test
    void aWrongPasswordIsRefusedAndALoginSetsAStrictHttpOnlyCookie() throws Exception {
        ConsoleHttp c = console();
        HttpResponse<String> wrong = c.post("/console/login", "username", "ops", "password", "nope");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("wrong user name or password"));
        assertEquals(null, c.cookie);
        HttpResponse<String> ok = c.post("/console/login", "username", "ops", "password", "ops-pw");
        assertEquals(303, ok.statusCode());
        String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith(SessionGuard.COOKIE + "="), setCookie);
        assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/console"), setCookie);
        HttpResponse<String> overview = c.get("/console/");
        assertEquals(200, overview.statusCode());
        assertTrue(overview.body().contains("id=\"connections\""), overview.body());
    }

    @Test
    void aChangeNeedsTheSessionsCsrfToken() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url(), "ops", "ops-pw")) {
            admin.createQueue("sec.seek", 1, -1, -1);
        }
        ConsoleHttp c = loggedIn("ops", "ops-pw");
        assertEquals(403, c.post("/console/subscriptions/seek", "id", "queue:sec.seek", "to", "end").statusCode());
        HttpResponse<String> wrong = c.post("/console/subscriptions/seek", "id", "queue:sec.seek", "to", "end",
                "csrf", "not-the-token");
        assertEquals(403, wrong.statusCode());
        assertTrue(wrong.body().contains("CSRF"), wrong.body());
        ConsoleHttp other = loggedIn("ops", "ops-pw");
        assertEquals(403, c.post("/console/subscriptions/seek", "id", "queue:sec.seek", "to", "end",
                "csrf", other.csrf()).statusCode(), "another session's token");
        HttpResponse<String> ok = c.post("/console/subscriptions/seek", "id", "queue:sec.seek", "to", "end",
                "csrf", c.csrf());
        assertEquals(303, ok.statusCode(), ok.body());
        assertTrue(c.get("/console/subscriptions").body().contains("now at {0=0}"));
    }

    @Test
    void aUserWithoutManageOrBrowseIsRefused() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url(), "ops", "ops-pw")) {
            admin.createQueue("DLQ.sec.dl", 1, -1, -1);
        }
        ConsoleHttp c = loggedIn("viewer", "viewer-pw");
        HttpResponse<String> retry = c.post("/console/dead-letters/retry", "queue", "DLQ.sec.dl", "csrf", c.csrf());
        assertEquals(403, retry.statusCode());
        assertTrue(retry.body().contains("lacks the manage permission on sec.dl"), retry.body());
        HttpResponse<String> browse = c.get("/console/browse?queue=DLQ.sec.dl");
        assertEquals(403, browse.statusCode());
        assertTrue(browse.body().contains("browse"), browse.body());
        assertEquals(403, c.get("/console/destinations").statusCode(), "listing needs manage on #, as the CLI's");
    }

    @Test
    void aMessageBodyAndItsPropertiesAreEscaped() throws Exception {
        String evil = "<script>alert('x')</script>&\"";
        try (Connection conn = new HeraldConnectionFactory(broker.url()).createConnection("ops", "ops-pw")) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var m = s.createTextMessage(evil);
            m.setStringProperty("note", "<img src=x onerror=alert(1)>");
            s.createProducer(s.createQueue("sec.<evil>")).send(m);
        }
        ConsoleHttp c = loggedIn("ops", "ops-pw");
        HttpResponse<String> page = c.get("/console/browse?queue=" + java.net.URLEncoder.encode("sec.<evil>",
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, page.statusCode(), page.body());
        assertFalse(page.body().contains("<script>"), page.body());
        assertFalse(page.body().contains("<img"), page.body());
        assertFalse(page.body().contains("<evil>"), page.body());
        assertTrue(page.body().contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"), page.body());
        assertTrue(page.body().contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        HttpResponse<String> destinations = c.get("/console/destinations");
        assertTrue(destinations.body().contains("sec.&lt;evil&gt;"), destinations.body());
    }

    @Test
    void deadLettersAreDeletedOneOrAllAndMovedBack() throws Exception {
        try (Connection conn = new HeraldConnectionFactory(broker.url()).createConnection("ops", "ops-pw")) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var producer = s.createProducer(s.createQueue("DLQ.sec.del"));
            for (int i = 0; i < 4; i++) {
                producer.send(s.createTextMessage("dead " + i));
            }
        }
        ConsoleHttp c = loggedIn("ops", "ops-pw");
        String page = "/console/dead-letters?queue=DLQ.sec.del";
        assertTrue(c.get(page).body().contains("4 message(s)"));
        HttpResponse<String> one = c.post("/console/dead-letters/delete", "queue", "DLQ.sec.del", "offset", "1",
                "csrf", c.csrf());
        assertEquals(303, one.statusCode(), one.body());
        String after = c.get(page).body();
        assertTrue(after.contains("deleted 1 message(s) from DLQ.sec.del"), after);
        assertTrue(after.contains("3 message(s)") && !after.contains("dead 1"), after);
        assertEquals(303, c.post("/console/dead-letters/retry", "queue", "DLQ.sec.del", "offset", "0",
                "csrf", c.csrf()).statusCode());
        assertTrue(c.get("/console/browse?queue=sec.del").body().contains("dead 0"), "moved to the queue it names");
        assertEquals(303, c.post("/console/dead-letters/delete", "queue", "DLQ.sec.del", "csrf", c.csrf())
                .statusCode());
        after = c.get(page).body();
        assertTrue(after.contains("deleted 2 message(s)") && after.contains("0 message(s)"), after);
        assertEquals(400, c.post("/console/dead-letters/delete", "queue", "sec.del", "csrf", c.csrf())
                .statusCode(), "not a dead-letter queue");
    }

    @Test
    void withoutUsersTheConsoleIsOpenButChangesStillNeedTheToken() throws Exception {
        Broker open = start(Map.of());
        try {
            try (HeraldAdmin admin = HeraldAdmin.connect(open.url())) {
                admin.createQueue("q", 1, -1, -1);
            }
            ConsoleHttp c = new ConsoleHttp(open.httpUrl());
            HttpResponse<String> overview = c.get("/console/");
            assertEquals(200, overview.statusCode());
            assertTrue(c.cookie != null, "an anonymous session");
            assertEquals(403, c.post("/console/subscriptions/seek", "id", "queue:q", "to", "end").statusCode());
            ConsoleHttp stranger = new ConsoleHttp(open.httpUrl());
            assertEquals(403, stranger.post("/console/subscriptions/seek", "id", "queue:q", "to", "end",
                    "csrf", c.csrf("/console/subscriptions")).statusCode(), "a token without its session");
            assertEquals(303, c.post("/console/subscriptions/seek", "id", "queue:q", "to", "end",
                    "csrf", c.csrf("/console/subscriptions")).statusCode());
            assertEquals(200, c.get("/console/destinations").statusCode());
        } finally {
            open.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void consoleEnabledFalseLeavesOnlyMetricsAndHealth() throws Exception {
        Broker off = start(Map.of("console.enabled", "false"));
        try {
            ConsoleHttp c = new ConsoleHttp(off.httpUrl());
            assertEquals(404, c.get("/console/").statusCode());
            assertEquals(404, c.get("/console/login").statusCode());
            assertEquals(200, c.get("/health/live").statusCode());
        } finally {
            off.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private Broker start(Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("port", "0");
        all.put("http.port", "0");
        all.put("data.dir", dir.resolve("b" + System.nanoTime()).toString());
        return Broker.start(BrokerConfig.defaults().with(all)).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }
}
