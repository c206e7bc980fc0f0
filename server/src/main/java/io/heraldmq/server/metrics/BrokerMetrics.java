package io.heraldmq.server.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broker's meters: one Micrometer registry per broker (several brokers share a JVM in tests), read by
 * {@code /metrics} (Prometheus text format) and by JMX ({@link MeterMBeans}). With neither the HTTP port nor JMX the
 * registry is an empty composite, whose meters do nothing.
 * <p>
 * Hot path: nothing here is looked up per message. Per-partition and per-subscription figures live in the objects
 * that own them ({@link PartitionFigures}, {@link SubscriptionFigures}) and are read by function meters when
 * scraped; the broker-wide histograms below are fields their users hold, recorded once per request or fsync.
 * <p>
 * Per-destination series are bounded: the first {@link MonitoringSettings#destinationsMax()} destinations opened
 * have them, later ones none ({@code heraldmq_metrics_destinations_dropped_total} counts the refusals). Temporary
 * destinations never have any (they come and go with connections).
 */
public final class BrokerMetrics {
    public static final String PREFIX = "heraldmq.";

    private final MonitoringSettings settings;
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private JvmGcMetrics gc;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private Timer produceLatency;
    private Timer fsyncLatency;
    private DistributionSummary groupCommitBatch;
    private Timer metaCommitLatency;

    /** @param clientPort the configured client port ({@link MonitoringSettings#enabled(int)} depends on it) */
    public BrokerMetrics(MonitoringSettings settings, int clientPort) {
        this.settings = settings;
        if (settings.enabled(clientPort)) {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry = prometheus;
        } else {
            prometheus = null;
            registry = new CompositeMeterRegistry();
        }
    }

    /**
     * Registers the JVM binders and the broker-wide meters. After Vert.x is created with {@link #apply}: Vert.x adds
     * meter filters to the registry, which must come before any meter.
     */
    public void bind() {
        if (prometheus != null) {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
        FunctionCounter.builder(PREFIX + "metrics.destinations.dropped", dropped, AtomicLong::get)
                .description("destinations opened without per-destination series (metrics.destinations.max reached)")
                .register(registry);
        produceLatency = latency("produce.latency", "PRODUCE request to its answer (persistent: after the fsync)");
        fsyncLatency = latency("fsync.latency", "one fsync of a partition's log (group commit)");
        metaCommitLatency = latency("meta.commit.latency", "one commit of the H2 metadata store");
        groupCommitBatch = DistributionSummary.builder(PREFIX + "group.commit.batch")
                .description("persistent send requests one fsync made durable (group commit)").baseUnit("sends")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 1024)
                .register(registry);
    }

    private Timer latency(String name, String description) {
        return Timer.builder(PREFIX + name).description(description)
                .serviceLevelObjectives(micros(50), micros(100), micros(250), micros(500), millis(1), millis(2),
                        millis(5), millis(10), millis(25), millis(50), millis(100), millis(250), millis(500),
                        millis(1000), millis(5000))
                .register(registry);
    }

    private static Duration micros(long n) {
        return Duration.ofNanos(n * 1000);
    }

    private static Duration millis(long n) {
        return Duration.ofMillis(n);
    }

    /** Vert.x's own metrics (event loops, pools, net server) go to this registry, unless nothing reads it. */
    public VertxOptions apply(VertxOptions options) {
        if (prometheus == null) {
            return options;
        }
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true)
                .setFactory(new MicrometerMetricsFactory(registry))
                // bounded labels only (no remote address); the pool's name keeps the worker and internal pools apart
                .setLabels(java.util.EnumSet.of(Label.LOCAL, Label.POOL_TYPE, Label.POOL_NAME, Label.HTTP_METHOD,
                        Label.HTTP_CODE))
                // Net client and server metrics look their counter up in the registry on every socket read and
                // write (measured: +50 % broker CPU per message); the broker's own meters count connections and
                // bytes without that. The event bus is unused, verticles are partitions (their series are ours).
                .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
                .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
                .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
                .addDisabledMetricsCategory(MetricsDomain.VERTICLES);
        return options.setMetricsOptions(metrics);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text of every meter; null when metrics are off. */
    public String scrape() {
        return prometheus == null ? null : prometheus.scrape();
    }

    public boolean enabled() {
        return prometheus != null;
    }

    public Timer produceLatency() {
        return produceLatency;
    }

    public Timer fsyncLatency() {
        return fsyncLatency;
    }

    public DistributionSummary groupCommitBatch() {
        return groupCommitBatch;
    }

    /** The fsync meters every partition's group commit records into. */
    public FlushMeters flushMeters() {
        return new FlushMeters(fsyncLatency, groupCommitBatch);
    }

    public Timer metaCommitLatency() {
        return metaCommitLatency;
    }

    /**
     * The meters of one destination, or {@link DestinationMeters#NONE} when it gets no series (metrics off,
     * {@code metrics.destinations = false}, over {@code metrics.destinations.max}, temporary).
     */
    public DestinationMeters destination(boolean queue, boolean temporary, String name) {
        if (prometheus == null || !settings.destinations() || temporary) {
            return DestinationMeters.NONE;
        }
        String key = (queue ? "queue:" : "topic:") + name;
        if (!admitted.contains(key)) {
            synchronized (admitted) {
                if (!admitted.contains(key)) {
                    if (admitted.size() >= settings.destinationsMax()) {
                        dropped.incrementAndGet();
                        return DestinationMeters.NONE;
                    }
                    admitted.add(key);
                }
            }
        }
        return new DestinationMeters(registry, Tags.of("kind", queue ? "queue" : "topic", "destination", name));
    }

    /** A broker-wide gauge read when scraped; {@code f} must be thread-safe and must not block. */
    public <T> void gauge(String name, String description, T obj, java.util.function.ToDoubleFunction<T> f) {
        Gauge.builder(PREFIX + name, obj, f).description(description).strongReference(true).register(registry);
    }

    /** A broker-wide counter read when scraped; {@code f} must be thread-safe and must not block. */
    public <T> void counter(String name, String description, T obj, java.util.function.ToDoubleFunction<T> f) {
        FunctionCounter.builder(PREFIX + name, obj, f).description(description).register(registry);
    }

    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
