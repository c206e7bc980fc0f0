package io.heraldmq.tck.official;

import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.security.PasswordHash;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import javax.naming.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts one broker for a test JVM's whole run of the official Jakarta Messaging TCK and stops it at the end (with
 * several failsafe forks, each has a broker of its own and runs its share of the test classes). Registered as a
 * JUnit {@link LauncherSessionListener} only by the {@code tck} Maven profile (its service file lives in
 * {@code src/tck/resources}), so the default build never starts it.
 * <p>
 * The broker listens on a free port; the port reaches the TCK through the standard {@code java.naming.provider.url}
 * system property, which JNDI merges into every {@code new InitialContext()}. The profile's {@code jndi.properties}
 * binds the TCK's connection factories with empty or options-only URLs, which resolve against that property.
 */
public final class TckBrokerSession implements LauncherSessionListener {
    /**
     * With {@code -Pcluster} too ({@code heraldmq.test.cluster} = N > 1): N clustered brokers in this JVM, the first
     * drained so that it leads nothing; the TCK's clients connect to it and every request goes through its relay.
     */
    private static final int CLUSTER_SIZE = Integer.getInteger("heraldmq.test.cluster", 1);

    private Broker broker;
    private final List<Broker> others = new java.util.ArrayList<>();
    private Path dataDir;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            dataDir = Files.createTempDirectory("heraldmq-tck");
            // The TCK logs in as j2ee/j2ee and expects invalid/invalid to be refused; some of its connections give
            // no credentials. Few hash iterations: the TCK opens thousands of connections.
            // With users the broker refuses what no permission grants: j2ee and anonymous clients may do anything.
            Map<String, String> settings = new java.util.HashMap<>(Map.of(
                    "user.j2ee", PasswordHash.create("j2ee".toCharArray(), 1_000).encoded(),
                    "user.j2ee.roles", "tck",
                    "security.anonymous.roles", "tck",
                    "security.allow.anonymous", "true"));
            for (String permission : List.of("send", "consume", "browse", "createDurable", "deleteDurable",
                    "createDestination", "deleteDestination", "manage")) {
                settings.put("permission." + permission + ".#", "tck");
            }
            if (CLUSTER_SIZE > 1) {
                startCluster(settings);
            } else {
                BrokerConfig config = BrokerConfig.defaults().with(settings).withPort(0)
                        .withDataDir(dataDir.resolve("data"));
                broker = Broker.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the broker for the TCK", e);
        }
        System.setProperty(Context.PROVIDER_URL, broker.url());
    }

    private void startCluster(Map<String, String> settings) throws Exception {
        int[] ports = io.heraldmq.server.junit.MemberPorts.free(CLUSTER_SIZE);
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < CLUSTER_SIZE; i++) {
            members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(ports[i]);
        }
        List<io.vertx.core.Future<Broker>> starting = new java.util.ArrayList<>();
        for (int i = 0; i < CLUSTER_SIZE; i++) {
            Map<String, String> clustered = new java.util.HashMap<>(settings);
            clustered.putAll(Map.of("cluster.members", members.toString(), "cluster.port", String.valueOf(ports[i]),
                    "cluster.host", "127.0.0.1", "cluster.secret", "tck-cluster-secret-0123456789"));
            starting.add(Broker.start(BrokerConfig.defaults().with(clustered).withPort(0)
                    .withDataDir(dataDir.resolve("broker" + i))));
        }
        for (io.vertx.core.Future<Broker> f : starting) {
            Broker b = f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            if (broker == null) {
                broker = b;
            } else {
                others.add(b);
            }
        }
        try (io.heraldmq.admin.HeraldAdmin admin = io.heraldmq.admin.HeraldAdmin.connect(broker.url(), "j2ee",
                "j2ee")) {
            org.awaitility.Awaitility.await("the TCK's cluster formed").atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> admin.clusterStatus().members().size() == CLUSTER_SIZE);
            admin.drainBroker(broker.brokerId(), false);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            for (Broker other : others) {
                other.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            if (broker != null) {
                broker.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the TCK's broker", e);
        } finally {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
