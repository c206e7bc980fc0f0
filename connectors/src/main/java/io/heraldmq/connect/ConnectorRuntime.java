package io.heraldmq.connect;

import jakarta.jms.ConnectionFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a set of connectors: makes them all first (so a bad template or path fails before anything runs), starts them
 * in name order, and stops them in reverse order. If one fails to start, those already started are stopped again.
 */
public final class ConnectorRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConnectorRuntime.class.getName());

    private final List<Connector> connectors;
    private final List<Connector> started = new ArrayList<>();
    private boolean stopped;

    private ConnectorRuntime(List<Connector> connectors) {
        this.connectors = List.copyOf(connectors);
    }

    /**
     * @param factories the connection factory for a broker URL ({@link ConnectionFactories#heraldMq} outside tests
     *                  that plug in another provider)
     */
    public static ConnectorRuntime create(List<ConnectorSettings> settings,
                                          Function<String, ConnectionFactory> factories) {
        List<Connector> made = new ArrayList<>();
        for (ConnectorSettings s : settings) {
            made.add(s.type().create(s, factories.apply(s.get(CommonOptions.URL))));
        }
        return new ConnectorRuntime(made);
    }

    public synchronized void start() throws Exception {
        for (Connector c : connectors) {
            try {
                c.start();
            } catch (Exception e) {
                stop();
                throw new IllegalStateException("connector " + c.name() + " failed to start: " + e.getMessage(), e);
            }
            started.add(c);
            LOG.log(System.Logger.Level.INFO, "connector " + c.name() + " started");
        }
    }

    /** Stops every started connector (each flushes and commits), in reverse start order. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            Connector c = started.get(i);
            try {
                c.stop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "connector " + c.name() + " did not stop cleanly", e);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    public List<Connector> connectors() {
        return connectors;
    }

    /** Every connector's counters by connector name, for metrics. */
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> m = new LinkedHashMap<>();
        for (Connector c : connectors) {
            m.put(c.name(), c.counters().snapshot());
        }
        return m;
    }

    /** One line per connector: {@code NAME: records_in=... lag=...}. */
    public String report() {
        StringBuilder b = new StringBuilder();
        for (Connector c : connectors) {
            b.append(c.name()).append(": ").append(c.counters().format()).append('\n');
        }
        return b.toString();
    }
}
