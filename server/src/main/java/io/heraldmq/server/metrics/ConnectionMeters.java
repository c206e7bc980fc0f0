package io.heraldmq.server.metrics;

import io.heraldmq.server.net.ClientConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code heraldmq_connections}, {@code heraldmq_sessions}, {@code heraldmq_consumers} and {@code heraldmq_producers}
 * by {@code user} ({@code anonymous} for clients that
 * gave none; connections that have not sent CONNECT yet and other brokers' relays are not counted). The set of users
 * changes, so the rows are counted again every {@value #REFRESH_MS} ms on a timer (a walk over the connections, no
 * lock) rather than per connect or close.
 */
public final class ConnectionMeters {
    static final long REFRESH_MS = 5_000;

    private final Vertx vertx;
    private final Supplier<Collection<ClientConnection>> connections;
    private final MultiGauge byUser;
    private final MultiGauge sessionsByUser;
    private final MultiGauge consumersByUser;
    private final MultiGauge producersByUser;
    private final long timer;

    public ConnectionMeters(Vertx vertx, MeterRegistry registry, Supplier<Collection<ClientConnection>> connections) {
        this.vertx = vertx;
        this.connections = connections;
        this.byUser = MultiGauge.builder(BrokerMetrics.PREFIX + "connections")
                .description("client connections, by user").register(registry);
        this.sessionsByUser = MultiGauge.builder(BrokerMetrics.PREFIX + "sessions")
                .description("sessions open (a JMSContext counts as one), by user").register(registry);
        this.consumersByUser = MultiGauge.builder(BrokerMetrics.PREFIX + "consumers")
                .description("consumers (and queue browsers) open, by user").register(registry);
        this.producersByUser = MultiGauge.builder(BrokerMetrics.PREFIX + "producers")
                .description("producers open (a JMSContext's JMSProducers count as one), by user").register(registry);
        refresh();
        this.timer = vertx.setPeriodic(REFRESH_MS, t -> refresh());
    }

    /** Counts the connections again. Also called by a scrape, so that a dashboard sees a connection at once. */
    public void refresh() {
        Map<String, int[]> counts = new HashMap<>();
        for (ClientConnection c : connections.get()) {
            String user = c.meteredUser();
            if (user != null) {
                int[] n = counts.computeIfAbsent(user, u -> new int[4]);
                n[0]++;
                n[1] += c.consumerCount();
                n[2] += c.producerCount();
                n[3] += c.sessionCount();
            }
        }
        List<MultiGauge.Row<?>> conns = new ArrayList<>();
        List<MultiGauge.Row<?>> cons = new ArrayList<>();
        List<MultiGauge.Row<?>> prods = new ArrayList<>();
        List<MultiGauge.Row<?>> sess = new ArrayList<>();
        counts.forEach((user, n) -> {
            conns.add(MultiGauge.Row.of(Tags.of("user", user), n[0]));
            cons.add(MultiGauge.Row.of(Tags.of("user", user), n[1]));
            prods.add(MultiGauge.Row.of(Tags.of("user", user), n[2]));
            sess.add(MultiGauge.Row.of(Tags.of("user", user), n[3]));
        });
        byUser.register(conns, true);
        consumersByUser.register(cons, true);
        producersByUser.register(prods, true);
        sessionsByUser.register(sess, true);
    }

    public void close() {
        vertx.cancelTimer(timer);
    }
}
