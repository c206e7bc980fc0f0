package io.heraldmq.server.console;

import io.heraldmq.server.metrics.BrokerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code GET /console/}: throughput in and out, connections, disk use. Every figure is read from the broker's meters
 * (the same as {@code /metrics}), nothing is counted for the console: message totals are the per-destination
 * counters summed, rates the difference between two views of this page (at least {@link #MIN_INTERVAL_NANOS}
 * apart, so a quick reload shows the last rate rather than noise). With {@code metrics.destinations = false} there
 * are no per-destination counters and the page says so.
 */
final class OverviewPage {
    static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    /** Totals at one moment. */
    private record Sample(long nanos, double in, double out, double bytesIn, double bytesOut) {
    }

    /** The figures of the last two samples far enough apart: what the rates are computed from. */
    private record Rates(Sample previous, Sample latest) {
    }

    private final WorkerExecutor workers;
    private final Supplier<ConsoleBackend> backend;
    private Rates rates;

    OverviewPage(WorkerExecutor workers, Supplier<ConsoleBackend> backend) {
        this.workers = workers;
        this.backend = backend;
    }

    void handle(RoutingContext rc) {
        ConsolePages.render(rc, workers, "Overview", this::body);
    }

    private String body() throws IOException {
        ConsoleBackend b = backend.get();
        MeterRegistry r = b.registry();
        Sample now = new Sample(System.nanoTime(), sum(r, "messages.in"), sum(r, "messages.out"),
                sum(r, "bytes.in"), sum(r, "bytes.out"));
        Rates current = sample(now);
        boolean perDestination = !r.find(BrokerMetrics.PREFIX + "messages.in").functionCounters().isEmpty();
        double logBytes = 0;
        int partitions = 0;
        for (Gauge g : r.find(BrokerMetrics.PREFIX + "log.size").gauges()) {
            logBytes += g.value();
            partitions++;
        }
        FileStore store = Files.getFileStore(b.dataDir());
        StringBuilder h = new StringBuilder("<table id=\"overview\">");
        row(h, "connections", "Client connections", Integer.toString(b.connections().getAsInt()));
        if (perDestination) {
            row(h, "messages-in", "Messages in (total)", Long.toString((long) now.in()));
            row(h, "messages-out", "Messages out (total, redeliveries included)", Long.toString((long) now.out()));
            row(h, "rate-in", "Messages in per second", rate(current, Sample::in));
            row(h, "rate-out", "Messages out per second", rate(current, Sample::out));
            row(h, "bytes-rate-in", "Bytes in per second", rate(current, Sample::bytesIn));
            row(h, "bytes-rate-out", "Bytes out per second", rate(current, Sample::bytesOut));
            row(h, "log-bytes", "Logs on disk (" + partitions + " partitions)", Html.bytes((long) logBytes));
        } else {
            row(h, "messages-in", "Messages in and out", "not counted (metrics.destinations = false)");
        }
        row(h, "disk-free", "Disk free (data directory)", Html.bytes(store.getUsableSpace()) + " of "
                + Html.bytes(store.getTotalSpace()));
        h.append("</table><p>Rates are over the time since the previous view of this page (reload to update).</p>");
        return h.toString();
    }

    private synchronized Rates sample(Sample now) {
        if (rates == null) {
            rates = new Rates(null, now);
        } else if (now.nanos() - rates.latest().nanos() >= MIN_INTERVAL_NANOS) {
            rates = new Rates(rates.latest(), now);
        }
        return rates;
    }

    private static String rate(Rates r, java.util.function.ToDoubleFunction<Sample> figure) {
        if (r.previous() == null) {
            return "(reload to see)";
        }
        double seconds = (r.latest().nanos() - r.previous().nanos()) / 1e9;
        double perSecond = Math.max(0, figure.applyAsDouble(r.latest()) - figure.applyAsDouble(r.previous()))
                / seconds;
        return String.format(Locale.ROOT, "%.1f (over %.0f s)", perSecond, seconds);
    }

    private static double sum(MeterRegistry r, String name) {
        double total = 0;
        for (FunctionCounter c : r.find(BrokerMetrics.PREFIX + name).functionCounters()) {
            total += c.count();
        }
        return total;
    }

    private static void row(StringBuilder h, String id, String label, String value) {
        h.append("<tr><th>").append(Html.esc(label)).append("</th><td class=\"n\" id=\"").append(id).append("\">")
                .append(Html.esc(value)).append("</td></tr>");
    }
}
