package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.server.BrokerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;

/**
 * Packaged brokers as separate JVMs on 127.0.0.1 forming one cluster: config files that differ only in ports and
 * data directories, as a user would write them. For the cluster ITs.
 */
final class ClusterProcesses implements AutoCloseable {
    private final Path dir;
    private final BrokerProcess[] brokers;
    private final Path[] configs;
    /** Each broker's client port, kept across kills: a restarted broker comes back where clients look for it. */
    private final int[] ports;
    /** Extra JVM options per broker (fault injection), from {@link #jvmOptions}. */
    private final Map<Integer, List<String>> jvmOptions = new HashMap<>();
    /** Credentials of a user with {@code manage} on {@code #}, for brokers with users; null: anonymous. */
    private String adminUser;
    private String adminPassword;
    /** The client URL options of brokers whose client port is TLS only ({@link #tlsClients}); null: plain text. */
    private String tlsOptions;

    ClusterProcesses(Path dir, int size, String extraConfig) throws IOException {
        this(dir, size, n -> extraConfig);
    }

    /** @param extraConfig broker n's lines besides host, ports and members (its certificate, say) */
    ClusterProcesses(Path dir, int size, java.util.function.IntFunction<String> extraConfig) throws IOException {
        this.dir = dir;
        this.brokers = new BrokerProcess[size];
        this.configs = new Path[size];
        this.ports = new int[size];
        int[] clusterPorts = freePorts(size);
        StringBuilder members = new StringBuilder();
        for (int p : clusterPorts) {
            members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        for (int i = 0; i < size; i++) {
            configs[i] = dir.resolve("broker" + i + ".properties");
            Files.writeString(configs[i], "host = 127.0.0.1\nhttp.port = 0\n"
                    + "cluster.members = " + members + "\n"
                    + "cluster.port = " + clusterPorts[i] + "\n"
                    + extraConfig.apply(i), StandardCharsets.UTF_8);
        }
    }

    /** Starts broker n with these extra JVM options (e.g. a fault test's system property). Before start. */
    ClusterProcesses jvmOptions(int n, String... options) {
        jvmOptions.put(n, List.of(options));
        return this;
    }

    /** For brokers with users: administer as this user (who needs {@code manage} on {@code #}). Before start. */
    ClusterProcesses admin(String user, String password) {
        this.adminUser = user;
        this.adminPassword = password;
        return this;
    }

    /**
     * For brokers without a plain client port: clients (and {@link #admin}) connect with {@code ssl://} and these
     * URL options ({@code trustStorePath=...}). Before start.
     */
    ClusterProcesses tlsClients(String urlOptions) {
        this.tlsOptions = urlOptions;
        return this;
    }

    /** An administration client of broker n, as the {@link #admin} user if one is set. */
    HeraldAdmin admin(int n) {
        return adminUser == null ? HeraldAdmin.connect(url(n)) : HeraldAdmin.connect(url(n), adminUser, adminPassword);
    }

    /**
     * Starts every broker (in parallel) and waits until each sees all the others. If one fails to start, the others
     * are stopped too (else they outlive the test, which has no cluster to close).
     */
    ClusterProcesses start() {
        List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < brokers.length; i++) {
            int n = i;
            starting.add(CompletableFuture.supplyAsync(() -> launch(n)));
        }
        try {
            for (int i = 0; i < brokers.length; i++) {
                brokers[i] = starting.get(i).join();
            }
            awaitMembers();
        } catch (RuntimeException | Error e) {
            starting.forEach(f -> f.thenAccept(b -> b.process().destroyForcibly()));
            close();
            throw e;
        }
        return this;
    }

    /**
     * Restarts every killed broker and waits until each broker sees all the others. A class whose tests share one
     * cluster (one start instead of one per test) calls this before each test, so that every test begins with all
     * brokers up whatever an earlier one killed.
     */
    ClusterProcesses reviveKilled() {
        boolean revived = false;
        for (int i = 0; i < brokers.length; i++) {
            if (brokers[i] == null) {
                restart(i);
                revived = true;
            }
        }
        if (revived) {
            awaitMembers();
        }
        return this;
    }

    private void awaitMembers() {
        for (int i = 0; i < brokers.length; i++) {
            try (HeraldAdmin admin = admin(i)) {
                await("members").atMost(Duration.ofSeconds(30))
                        .until(() -> admin.clusterStatus().members().size() == brokers.length);
            }
        }
    }

    /** (Re)starts broker n on its data directory. */
    BrokerProcess restart(int n) {
        brokers[n] = launch(n);
        return brokers[n];
    }

    private BrokerProcess launch(int n) {
        try {
            BrokerProcess b = BrokerProcess.start(configs[n], data(n), dir.resolve("broker" + n + ".log"), ports[n],
                    jvmOptions.getOrDefault(n, List.of()));
            ports[n] = b.port();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Broker n's monitoring URL ({@code /metrics}, {@code /health}). */
    String httpUrl(int n) {
        return brokers[n].httpUrl();
    }

    /** SIGKILL. */
    void kill(int n) {
        brokers[n].process().destroyForcibly();
        try {
            brokers[n].process().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        brokers[n] = null;
    }

    boolean alive(int n) {
        return brokers[n] != null;
    }

    int size() {
        return brokers.length;
    }

    Path config(int n) {
        return configs[n];
    }

    Path data(int n) {
        return dir.resolve("data" + n);
    }

    String brokerId(int n) throws IOException {
        return Files.readString(data(n).resolve("broker-id")).trim();
    }

    /** Index of the broker with this id. */
    int indexOf(String brokerId) throws IOException {
        for (int i = 0; i < brokers.length; i++) {
            if (brokerId(i).equals(brokerId)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no broker " + brokerId);
    }

    String url(int n) {
        return tlsOptions == null ? "tcp://127.0.0.1:" + brokers[n].port()
                : "ssl://127.0.0.1:" + brokers[n].port() + "?" + tlsOptions;
    }

    /** Every broker's address, broker {@code first}'s first: a client connects there and fails over to the others. */
    String clusterUrl(int first) {
        StringBuilder url = new StringBuilder(tlsOptions == null ? "tcp" : "ssl").append("://127.0.0.1:")
                .append(ports[first]);
        for (int i = 0; i < ports.length; i++) {
            if (i != first) {
                url.append(",127.0.0.1:").append(ports[i]);
            }
        }
        return tlsOptions == null ? url.toString() : url.append("?").append(tlsOptions).toString();
    }

    /** The leader of every partition of a destination, once they all have the same live one. */
    static String leaderOf(ClusterStatus status, boolean queue, String destination, int partitions) {
        List<ClusterStatus.Partition> ps = status.partitions().stream()
                .filter(p -> p.queue() == queue && p.destination().equals(destination)).toList();
        if (ps.size() != partitions || ps.stream().map(ClusterStatus.Partition::leader).distinct().count() != 1) {
            return null;
        }
        String leader = ps.get(0).leader();
        boolean live = status.members().stream().anyMatch(m -> m.id().equals(leader));
        return live ? leader : null;
    }

    @Override
    public void close() {
        for (BrokerProcess b : brokers) {
            if (b != null) {
                b.process().destroyForcibly();
            }
        }
    }

    static int[] freePorts(int n) throws IOException {
        return io.heraldmq.server.junit.MemberPorts.free(n);
    }
}
