package io.heraldmq.server.junit;

import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Starts a real broker on 127.0.0.1, port 0, with a fresh temporary data directory, in the style of Artemis's
 * {@code EmbeddedActiveMQExtension}. Register it as a static field for one broker per class, or as an instance field
 * for one per test:
 * <pre>
 * &#64;RegisterExtension
 * static final BrokerExtension broker = new BrokerExtension();
 * ... new HeraldConnectionFactory(broker.url()) ...
 * </pre>
 * {@link #restart()} stops the broker and starts it again on the same port and data directory.
 */
public final class BrokerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final UnaryOperator<BrokerConfig> customizer;
    private Clock clock = Clock.systemUTC();
    private Path dataDir;
    private Broker broker;
    private boolean perClass;

    public BrokerExtension() {
        this(UnaryOperator.identity());
    }

    /** @param customizer adjusts the configuration (port and data directory are set afterwards) */
    public BrokerExtension(UnaryOperator<BrokerConfig> customizer) {
        this.customizer = customizer;
    }

    /** A broker whose configuration has these keys set (see {@link BrokerConfig}). */
    public static BrokerExtension withSettings(Map<String, String> settings) {
        return new BrokerExtension(c -> c.with(settings));
    }

    /**
     * Gives the broker this clock for its time-based rules (retention), e.g. a {@link TestClock}; applies from the
     * next start.
     */
    public BrokerExtension clock(Clock newClock) {
        this.clock = newClock;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    /** Starts the broker (a no-op if it runs). */
    public void start() {
        if (broker != null) {
            return;
        }
        try {
            if (dataDir == null) {
                dataDir = Files.createTempDirectory("heraldmq-test-");
            }
            if (CLUSTER_SIZE > 1) {
                if (others.isEmpty()) {
                    startCluster();
                } else {
                    // only the gateway was shut down: the other members run on (their Hazelcast instances too)
                    broker = await(Broker.start(clusterConfigs.get(0), clock));
                    drainGateway();
                }
                return;
            }
            BrokerConfig config = customizer.apply(TEST_DEFAULTS).withPort(0).withDataDir(dataDir);
            broker = await(Broker.start(config, clock));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@value #CLUSTER_PROPERTY} = N (N > 1): every test's broker is the first of a cluster of N brokers in this JVM,
     * drained so that it leads nothing: the tests' clients connect to it and every request for a destination goes
     * through its relay to another broker. (Profile {@code cluster} of tck-tests.)
     */
    /**
     * The defaults with the monitoring port on any free port: several test brokers share a machine (and a JVM), and a
     * restarted one keeps its client port, which would otherwise give it the fixed default monitoring port.
     */
    private static final BrokerConfig TEST_DEFAULTS = BrokerConfig.defaults().with(Map.of("http.port", "0"));

    public static final String CLUSTER_PROPERTY = "heraldmq.test.cluster";
    private static final int CLUSTER_SIZE = Integer.getInteger(CLUSTER_PROPERTY, 1);
    private final java.util.List<Broker> others = new java.util.ArrayList<>();
    private java.util.List<BrokerConfig> clusterConfigs;

    private void startCluster() throws IOException {
        if (clusterConfigs == null) {
            int[] ports = MemberPorts.free(CLUSTER_SIZE);
            StringBuilder members = new StringBuilder();
            for (int p : ports) {
                members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
            }
            clusterConfigs = new java.util.ArrayList<>();
            for (int i = 0; i < CLUSTER_SIZE; i++) {
                // cluster.secret: a clustered broker with users needs it (its relays authenticate with it)
                clusterConfigs.add(withDrainUser(customizer.apply(TEST_DEFAULTS.with(Map.of("cluster.members",
                        members.toString(), "cluster.port", String.valueOf(ports[i]), "cluster.host", "127.0.0.1",
                        "cluster.secret", "test-cluster-secret-0123456789"))))
                        .withPort(0).withDataDir(dataDir.resolve("broker" + i)));
            }
        }
        java.util.List<io.vertx.core.Future<Broker>> starting = new java.util.ArrayList<>();
        for (BrokerConfig c : clusterConfigs) {
            starting.add(Broker.start(c, clock));
        }
        await(io.vertx.core.Future.all(starting));
        broker = starting.get(0).result();
        for (int i = 1; i < starting.size(); i++) {
            others.add(starting.get(i).result());
        }
        drainGateway();
    }

    /** The user the extension drains the gateway as when the test configures users (anonymous is refused then). */
    private static final String DRAIN_USER = "heraldmq-test-drain";
    private static final String DRAIN_PASSWORD = "drain-0123456789";

    /**
     * With users configured, a user of the extension's own that may manage everything, so that it can drain the
     * gateway: the test's users and permissions stay as they are, except a {@code permission.manage.#} of the test's
     * own, which this replaces (no test sets one).
     */
    private static BrokerConfig withDrainUser(BrokerConfig config) {
        if (config.users().isEmpty()) {
            return config;
        }
        return config.with(Map.of("user." + DRAIN_USER, io.heraldmq.server.security.PasswordHash
                        .create(DRAIN_PASSWORD.toCharArray(), 1_000).encoded(),
                "user." + DRAIN_USER + ".roles", DRAIN_USER, "permission.manage.#", DRAIN_USER));
    }

    private void drainGateway() {
        boolean users = !clusterConfigs.get(0).users().isEmpty();
        try (io.heraldmq.admin.HeraldAdmin admin = users
                ? io.heraldmq.admin.HeraldAdmin.connect(broker.url(), DRAIN_USER, DRAIN_PASSWORD)
                : io.heraldmq.admin.HeraldAdmin.connect(broker.url())) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> admin.clusterStatus().members().size() == CLUSTER_SIZE);
            admin.drainBroker(broker.brokerId(), false);
        }
    }

    /** Stops the broker cleanly, keeping its data directory for {@link #restart()}. */
    public void shutdown() {
        if (broker != null) {
            Broker b = broker;
            broker = null;
            await(b.close());
        }
    }

    /**
     * Stops every broker, keeping their data directories: this one, and in a cluster every member;
     * {@link #start()} starts them all again.
     */
    public void shutdownAll() {
        shutdown();
        for (Broker b : others) {
            await(b.close());
        }
        others.clear();
    }

    /** The data directory of every broker: this one's, or in a cluster each member's. */
    public java.util.List<Path> dataDirs() {
        if (CLUSTER_SIZE <= 1) {
            return java.util.List.of(dataDir);
        }
        return clusterConfigs.stream().map(BrokerConfig::dataDir).toList();
    }

    /** Stops the broker and starts it again with the same data directory and port. */
    public void restart() {
        int port = broker.port();
        shutdown();
        BrokerConfig config = CLUSTER_SIZE > 1 ? clusterConfigs.get(0).withPort(port)
                : customizer.apply(TEST_DEFAULTS).withPort(port).withDataDir(dataDir);
        broker = await(Broker.start(config, clock));
        if (CLUSTER_SIZE > 1) {
            drainGateway();
        }
    }

    private void stop() {
        shutdown();
        for (Broker b : others) {
            await(b.close());
        }
        others.clear();
        clusterConfigs = null;
        if (dataDir != null) {
            deleteTree(dataDir);
            dataDir = null;
        }
    }

    public Broker broker() {
        return broker;
    }

    public int port() {
        return broker.port();
    }

    /** {@code tcp://127.0.0.1:PORT}, for a connection factory. */
    public String url() {
        return broker.url();
    }

    public Path dataDir() {
        return dataDir;
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("broker operation failed: " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
