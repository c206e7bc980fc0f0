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
     *                  that plug in another provider); a connector with {@code jndi.*} keys gets its factory from
     *                  JNDI instead
     */
    public static ConnectorRuntime create(List<ConnectorSettings> settings,
                                          Function<String, ConnectionFactory> factories) {
        List<Connector> made = new ArrayList<>();
        for (ConnectorSettings s : settings) {
            made.add(s.type().create(s, brokerFactory(s, factories)));
        }
        return new ConnectorRuntime(made);
    }

    /**
     * The factory of the broker a connector talks to: HeraldMQ's for its {@code url}, or, when it has
     * {@code jndi.*} keys, whatever provider's factory JNDI binds to {@code connection.factory} (an ActiveMQ
     * Artemis broker, say), since the connectors speak {@code jakarta.jms} only.
     */
    static ConnectionFactory brokerFactory(ConnectorSettings s, Function<String, ConnectionFactory> byUrl) {
        if (s.get(CommonOptions.JNDI).isEmpty()) {
            for (Option<?> o : List.of(CommonOptions.CONNECTION_FACTORY, CommonOptions.CLASSPATH)) {
                if (s.values().containsKey(o.key())) {
                    throw new IllegalArgumentException(s.key(o) + " needs " + s.key(CommonOptions.JNDI) + "* keys");
                }
            }
            return byUrl.apply(s.get(CommonOptions.URL));
        }
        if (s.values().containsKey(CommonOptions.URL.key())) {
            throw new IllegalArgumentException(s.key(CommonOptions.URL) + " and " + s.key(CommonOptions.JNDI)
                    + "* both name the broker: give one");
        }
        return JndiConnectionFactories.lookup(s, CommonOptions.JNDI, CommonOptions.CONNECTION_FACTORY,
                CommonOptions.CLASSPATH);
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
