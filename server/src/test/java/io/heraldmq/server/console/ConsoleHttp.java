package io.heraldmq.server.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain HTTP client of the console for tests: keeps the session cookie by hand, follows no redirect. */
final class ConsoleHttp {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    String cookie;

    ConsoleHttp(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        return remember(http.send(withCookie(b).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** POSTs a form; {@code fields} name, value, name, value, ... */
    HttpResponse<String> post(String path, String... fields) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded");
        return remember(http.send(withCookie(b).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private HttpRequest.Builder withCookie(HttpRequest.Builder b) {
        return cookie == null ? b : b.header("Cookie", cookie);
    }

    private HttpResponse<String> remember(HttpResponse<String> r) {
        r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
        return r;
    }

    /** The CSRF token of the session, from the overview's logout form. */
    String csrf() throws IOException, InterruptedException {
        return csrf("/console/");
    }

    /** The CSRF token of the session, from the forms of the page at {@code path}. */
    String csrf(String path) throws IOException, InterruptedException {
        Matcher m = CSRF.matcher(get(path).body());
        if (!m.find()) {
            throw new AssertionError("no CSRF field on " + path);
        }
        return m.group(1);
    }
}
