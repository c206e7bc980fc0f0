package io.heraldmq.server.console;

import io.heraldmq.admin.BrowsedMessage;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code GET /console/browse?queue=NAME[&max=N]}: the oldest messages still in a queue, without consuming them (a
 * queue browse, as JMS's QueueBrowser): at most {@code max}
 * ({@value #DEFAULT_MAX} by default, {@value #MAX} at most). Needs {@code browse} on the queue, which the broker
 * checks. Topics cannot be browsed (the protocol browses queues only); replay a durable subscription instead.
 */
final class BrowsePage {
    static final int DEFAULT_MAX = 20;
    static final int MAX = 200;

    private final WorkerExecutor workers;

    BrowsePage(WorkerExecutor workers) {
        this.workers = workers;
    }

    void handle(RoutingContext rc) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        String queue = ConsolePages.required(rc, "queue");
        int max = (int) Math.max(1, Math.min(MAX, ConsolePages.number(rc, "max", DEFAULT_MAX)));
        ConsolePages.render(rc, workers, "Queue " + queue,
                () -> body(queue, max, session.call(a -> a.browseQueue(queue, max))));
    }

    private static String body(String queue, int max, List<BrowsedMessage> messages) {
        StringBuilder h = new StringBuilder("<p id=\"count\">").append(messages.size()).append(" message(s)")
                .append(messages.size() == max ? " (the first " + max + "; <a href=\"/console/browse?queue="
                        + Html.esc(Html.url(queue)) + "&amp;max=" + MAX + "\">show up to " + MAX + "</a>)" : "")
                .append("</p>");
        for (BrowsedMessage m : messages) {
            h.append("<section class=\"message\" data-offset=\"").append(m.offset()).append("\"><h2>Offset ")
                    .append(m.offset()).append("</h2>");
            MessageView.render(h, m);
            h.append("</section>");
        }
        return h.toString();
    }
}
