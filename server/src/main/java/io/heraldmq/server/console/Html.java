package io.heraldmq.server.console;

import java.time.Instant;

/**
 * The console's HTML: escaping and the page frame. Everything a page shows that did not come from this class's own
 * constants goes through {@link #esc}: destination names, user names, message bodies and properties are user data.
 */
final class Html {
    private static final String CSS = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
            header{background:#243447;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
            header a{color:#cfe3ff;text-decoration:none}header .who{margin-left:auto}
            header form{display:inline;margin:0}main{padding:16px}
            table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;
            vertical-align:top}th{background:#f0f3f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
            pre{background:#f6f6f6;padding:8px;white-space:pre-wrap;word-break:break-all;max-width:100ch}
            .notice{background:#e7f5e7;border:1px solid #9c9;padding:6px 10px}
            .error{background:#fbeaea;border:1px solid #d99;padding:6px 10px}
            form.inline{display:inline}
            """;

    private Html() {
    }

    /** {@code s} safe in element content and in double-quoted attribute values; null is empty. */
    static String esc(Object o) {
        if (o == null) {
            return "";
        }
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code s} as a query parameter value (then escaped as an attribute by the caller's {@link #esc}). */
    static String url(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String time(long epochMs) {
        return epochMs <= 0 ? "" : Instant.ofEpochMilli(epochMs).toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A POST form's opening tag and its CSRF field. */
    static String form(String action, ConsoleSession session, String cssClass) {
        return "<form method=\"post\" action=\"" + esc(action) + "\"" + (cssClass == null ? ""
                : " class=\"" + cssClass + "\"") + "><input type=\"hidden\" name=\"" + CsrfGuard.FIELD
                + "\" value=\"" + esc(session.csrfToken()) + "\">";
    }

    /** A whole page: the navigation, the session's notice (once), then {@code body}. */
    static String page(String title, ConsoleSession session, String body) {
        StringBuilder b = new StringBuilder(body.length() + 2048);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append(" - HeraldMQ console</title><style>").append(CSS)
                .append("</style></head><body><header><strong>HeraldMQ</strong>");
        if (session != null) {
            b.append("<a href=\"/console/\">Overview</a><a href=\"/console/destinations\">Destinations</a>")
                    .append("<a href=\"/console/subscriptions\">Subscriptions</a>")
                    .append("<a href=\"/console/dead-letters\">Dead letters</a>")
                    .append("<a href=\"/console/cluster\">Cluster</a><span class=\"who\">");
            if (session.user() != null) {
                b.append("<span id=\"user\">").append(esc(session.user())).append("</span> ")
                        .append(form("/console/logout", session, "inline"))
                        .append("<button id=\"logout\">Log out</button></form>");
            }
            b.append("</span>");
        }
        b.append("</header><main><h1>").append(esc(title)).append("</h1>");
        String notice = session == null ? null : session.takeNotice();
        if (notice != null) {
            b.append("<p class=\"notice\" id=\"notice\">").append(esc(notice)).append("</p>");
        }
        return b.append(body).append("</main></body></html>").toString();
    }
}
