package io.heraldmq.server.console;

import io.heraldmq.admin.BrowsedMessage;
import io.heraldmq.admin.SubscriptionInfo;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code GET /console/dead-letters}: the dead-letter queues ({@code DLQ.<destination>}) with the messages each
 * holds (its backlog: what is in it, not what its log keeps); {@code ?queue=DLQ.NAME}: the oldest
 * {@value #MAX} messages of one (a browse: needs {@code browse} on it) with their original destination, failure
 * reason and deliveries, and forms to move them back or delete them, one or all ({@link DeadLetterAction}).
 */
final class DeadLettersPage {
    static final String PREFIX = "DLQ.";
    static final int MAX = 100;
    private static final String ORIGINAL = "JMS_HeraldOriginalDestination";
    private static final String REASON = "JMS_HeraldFailureReason";
    private static final String DELIVERIES = "JMS_HeraldDeliveryCount";

    private final WorkerExecutor workers;

    DeadLettersPage(WorkerExecutor workers) {
        this.workers = workers;
    }

    void handle(RoutingContext rc) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        String queue = ConsolePages.param(rc, "queue");
        if (queue == null) {
            ConsolePages.render(rc, workers, "Dead-letter queues",
                    () -> list(session.call(a -> a.listSubscriptions())));
        } else {
            ConsolePages.render(rc, workers, "Dead-letter queue " + queue,
                    () -> messages(session, queue, session.call(a -> a.browseQueue(queue, MAX))));
        }
    }

    private static String list(List<SubscriptionInfo> subscriptions) {
        StringBuilder h = new StringBuilder("<table id=\"dead-letter-queues\"><tr><th>Dead-letter queue</th>"
                + "<th>Messages</th></tr>");
        int n = 0;
        for (SubscriptionInfo s : subscriptions) {
            if (s.queue() && s.topic() != null && s.topic().startsWith(PREFIX)) {
                n++;
                h.append("<tr data-queue=\"").append(Html.esc(s.topic())).append("\"><td><a href=\"")
                        .append("/console/dead-letters?queue=").append(Html.esc(Html.url(s.topic()))).append("\">")
                        .append(Html.esc(s.topic())).append("</a></td><td class=\"n messages\">").append(s.backlog())
                        .append("</td></tr>");
            }
        }
        h.append("</table>");
        if (n == 0) {
            h.append("<p>No dead-letter queue (one is made when a message first fails too often).</p>");
        }
        return h.toString();
    }

    private static String messages(ConsoleSession session, String queue, List<BrowsedMessage> messages) {
        StringBuilder h = new StringBuilder("<p id=\"count\">").append(messages.size()).append(" message(s)")
                .append(messages.size() == MAX ? " (the oldest " + MAX + ")" : "").append("</p>");
        if (!messages.isEmpty()) {
            h.append(Html.form("/console/dead-letters/retry", session, "inline")).append(hidden("queue", queue))
                    .append("<button id=\"retry-all\">Move all back</button></form> ")
                    .append(Html.form("/console/dead-letters/delete", session, "inline"))
                    .append(hidden("queue", queue)).append("<button id=\"delete-all\">Delete all</button></form>");
        }
        h.append("<table id=\"dead-letters\"><tr><th>Offset</th><th>Message</th><th>Original destination</th>"
                + "<th>Deliveries</th><th>Reason</th><th></th></tr>");
        for (BrowsedMessage m : messages) {
            String offset = Long.toString(m.offset());
            h.append("<tr data-offset=\"").append(offset).append("\"><td class=\"n\">").append(offset)
                    .append("</td><td><details><summary>").append(Html.esc(m.messageId())).append("</summary>");
            MessageView.render(h, m);
            h.append("</details></td><td>").append(Html.esc(m.properties().get(ORIGINAL))).append("</td><td>")
                    .append(Html.esc(m.properties().get(DELIVERIES))).append("</td><td>")
                    .append(Html.esc(m.properties().get(REASON))).append("</td><td>")
                    .append(Html.form("/console/dead-letters/retry", session, "inline"))
                    .append(hidden("queue", queue)).append(hidden("offset", offset))
                    .append("<button class=\"retry\">Move back</button></form> ")
                    .append(Html.form("/console/dead-letters/delete", session, "inline"))
                    .append(hidden("queue", queue)).append(hidden("offset", offset))
                    .append("<button class=\"delete\">Delete</button></form></td></tr>");
        }
        return h.append("</table>").toString();
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.esc(value) + "\">";
    }
}
