package io.heraldmq.server.console;

import io.heraldmq.admin.SubscriptionInfo;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code GET /console/subscriptions[?topic=NAME]}: the subscriptions (LIST_SUBSCRIPTIONS, the CLI's
 * {@code subscription list}) with their lag (backlog, per partition) and consumers, and for each durable one a
 * form to seek it ({@link SeekAction}).
 */
final class SubscriptionsPage {
    private final WorkerExecutor workers;

    SubscriptionsPage(WorkerExecutor workers) {
        this.workers = workers;
    }

    void handle(RoutingContext rc) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        String topic = ConsolePages.param(rc, "topic");
        ConsolePages.render(rc, workers, topic == null ? "Subscriptions" : "Subscriptions of " + topic,
                () -> body(session, session.call(a -> a.listSubscriptions(topic))));
    }

    private static String body(ConsoleSession session, List<SubscriptionInfo> subscriptions) {
        StringBuilder h = new StringBuilder("<table id=\"subscriptions\"><tr><th>Id</th><th>Destination</th>"
                + "<th>Client id</th><th>Selector</th><th>Consumers</th><th>Lag (messages)</th>"
                + "<th>Lag by partition</th><th>Seek (no consumer attached)</th></tr>");
        for (SubscriptionInfo s : subscriptions) {
            h.append("<tr data-subscription=\"").append(Html.esc(s.id())).append("\"><td>").append(Html.esc(s.id()))
                    .append("</td><td>").append(Html.esc(s.topic())).append("</td><td>")
                    .append(Html.esc(s.clientId())).append("</td><td>").append(Html.esc(s.selector()))
                    .append("</td><td class=\"n consumers\">").append(s.consumers())
                    .append("</td><td class=\"n lag\">").append(s.backlog()).append("</td><td>");
            s.backlogByPartition().forEach((p, n) -> h.append(p).append(": ").append(n).append("<br>"));
            h.append("</td><td>");
            if (s.durable() || s.queue()) {
                h.append(Html.form("/console/subscriptions/seek", session, "inline seek"))
                        .append("<input type=\"hidden\" name=\"id\" value=\"").append(Html.esc(s.id())).append("\">")
                        .append("<select name=\"to\"><option value=\"beginning\">beginning</option>")
                        .append("<option value=\"end\">end</option><option value=\"offset\">offset</option>")
                        .append("<option value=\"timestamp\">time (UTC)</option></select> ")
                        .append("<input name=\"value\" size=\"22\" placeholder=\"offset or 2026-01-31T12:00:00Z\"> ")
                        .append("<input name=\"partition\" size=\"4\" placeholder=\"all\" title=\"partition\"> ")
                        .append("<button>Seek</button></form>");
            }
            h.append("</td></tr>");
        }
        return h.append("</table>").toString();
    }
}
