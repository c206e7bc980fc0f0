package io.heraldmq.server.console;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.protocol.ErrorCode;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /console/cluster}: the live members and each partition's leader, replicas, ISR, epoch and replica lag
 * (CLUSTER_STATUS, the CLI's {@code cluster status}); on a single node, a line saying so.
 */
final class ClusterPage {
    private final WorkerExecutor workers;

    ClusterPage(WorkerExecutor workers) {
        this.workers = workers;
    }

    void handle(RoutingContext rc) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        ConsolePages.render(rc, workers, "Cluster", () -> {
            try {
                return body(session.call(a -> a.clusterStatus()));
            } catch (HeraldAdminException e) {
                if (e.code() == ErrorCode.ILLEGAL_STATE) {
                    return "<p id=\"single-node\">" + Html.esc(e.getMessage()) + "</p>";
                }
                throw e;
            }
        });
    }

    private static String body(ClusterStatus status) {
        StringBuilder h = new StringBuilder("<h2>Members</h2><table id=\"members\"><tr><th>Broker</th><th>Address"
                + "</th><th>Coordinator</th></tr>");
        for (ClusterStatus.Member m : status.members()) {
            h.append("<tr><td>").append(Html.esc(m.id())).append("</td><td>").append(Html.esc(m.address()))
                    .append("</td><td>").append(m.coordinator() ? "yes" : "").append("</td></tr>");
        }
        h.append("</table><h2>Partitions</h2><table id=\"partitions\"><tr><th>Destination</th><th>Partition</th>"
                + "<th>Leader</th><th>Replicas</th><th>In sync (ISR)</th><th>Epoch</th><th>Lag</th></tr>");
        for (ClusterStatus.Partition p : status.partitions()) {
            h.append("<tr><td>").append(p.queue() ? "queue " : "topic ").append(Html.esc(p.destination()))
                    .append("</td><td class=\"n\">").append(p.partition()).append("</td><td>")
                    .append(p.leader() == null ? "<strong>offline</strong>" : Html.esc(p.leader()))
                    .append("</td><td>").append(Html.esc(String.join(", ", p.replicas()))).append("</td><td>")
                    .append(Html.esc(String.join(", ", p.isr()))).append("</td><td class=\"n\">")
                    .append(p.leaderEpoch()).append("</td><td>").append(Html.esc(p.lag())).append("</td></tr>");
        }
        return h.append("</table>").toString();
    }
}
