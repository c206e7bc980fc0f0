package io.heraldmq.server.console;

import io.heraldmq.admin.TopicInfo;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /console/destinations}: every queue and topic (LIST_TOPICS, the CLI's {@code topic list}) with its
 * partitions' log start and end offsets and sizes, and links to browse a queue and to a destination's
 * subscriptions.
 */
final class DestinationsPage {
    private final WorkerExecutor workers;

    DestinationsPage(WorkerExecutor workers) {
        this.workers = workers;
    }

    void handle(RoutingContext rc) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        ConsolePages.render(rc, workers, "Destinations", () -> body(session.call(a -> a.listTopics())));
    }

    private static String body(List<TopicInfo> topics) {
        StringBuilder h = new StringBuilder("<table id=\"destinations\"><tr><th>Name</th><th>Kind</th>"
                + "<th>Messages</th><th>Size</th><th>Partitions: log start - log end (size)</th>"
                + "<th>Retention</th><th></th></tr>");
        for (TopicInfo t : topics) {
            String kind = t.queue() ? "queue" : "topic";
            h.append("<tr data-destination=\"").append(Html.esc(t.name())).append("\" data-kind=\"").append(kind)
                    .append("\"><td>").append(Html.esc(t.name())).append("</td><td>").append(kind)
                    .append("</td><td class=\"n messages\">").append(t.messages())
                    .append("</td><td class=\"n\">").append(Html.esc(Html.bytes(t.sizeBytes()))).append("</td><td>");
            for (Map.Entry<Integer, TopicInfo.PartitionLog> p : t.partitionLogs().entrySet()) {
                h.append("<div class=\"partition\" data-partition=\"").append(p.getKey()).append("\">")
                        .append(p.getKey()).append(": ").append(p.getValue().startOffset()).append(" - <span")
                        .append(" class=\"log-end\">").append(p.getValue().endOffset()).append("</span> (")
                        .append(Html.esc(Html.bytes(p.getValue().sizeBytes()))).append(")</div>");
            }
            h.append("</td><td>").append(t.retentionMs() < 0 ? "no time limit"
                    : Html.esc(java.time.Duration.ofMillis(t.retentionMs()).toString()))
                    .append(t.retentionBytes() < 0 ? "" : ", " + Html.esc(Html.bytes(t.retentionBytes())) + "/partition")
                    .append("</td><td>");
            if (t.queue()) {
                h.append("<a class=\"browse\" href=\"/console/browse?queue=").append(Html.esc(Html.url(t.name())))
                        .append("\">browse</a> ");
            }
            h.append("<a href=\"/console/subscriptions?topic=").append(Html.esc(Html.url(t.name())))
                    .append("\">subscriptions</a></td></tr>");
        }
        return h.append("</table>").toString();
    }
}
