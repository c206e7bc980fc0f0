package io.heraldmq.bench.runner;

import io.heraldmq.bench.BenchSettings;
import io.heraldmq.bench.DiskWrites;
import io.heraldmq.bench.ResultLine;
import io.heraldmq.bench.ScenarioKey;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code java -jar bench/target/heraldmq-bench.jar}: measures this machine's physical limit (before and after the
 * brokers); for each broker in turn, starts it in a JVM of its own on 127.0.0.1 with a fresh store, runs the load
 * generator ({@code io.heraldmq.bench.BenchClient}) against it in another JVM whose classpath holds only that
 * broker's libraries, and stops the broker; finally prints the side-by-side table and writes it to
 * {@code bench/target/bench-results.md}. Brokers run one at a time so they never compete for the machine.
 * {@code -Dbench.brokers=heraldmq,artemis,classic} chooses brokers; the {@link BenchSettings} properties are passed
 * through to the load generator.
 */
public final class BenchRunner {
    private static final String JVM_HEAP = "-Xmx1g";
    private static final long BROKER_START_TIMEOUT_S = 120;
    /** By name: loading the class here would pull jakarta.jms into the runner, which has none. */
    private static final String CLIENT_MAIN = "io.heraldmq.bench.BenchClient";

    private final Path home;
    private final Path runDir;
    private final BenchSettings settings;
    /** The TLS brokers' key material, made once per run when one of them runs. */
    private BenchTls tls;

    private BenchRunner(Path home, BenchSettings settings) {
        this.home = home;
        this.runDir = home.resolve("target").resolve("bench-run");
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        List<BrokerKind> brokers = new ArrayList<>();
        for (String name : System.getProperty("bench.brokers", "heraldmq,artemis,classic").split(",")) {
            brokers.add(BrokerKind.parse(name));
        }
        new BenchRunner(codeLocation().getParent().getParent(), settings).run(brokers);
    }

    private void run(List<BrokerKind> brokers) throws Exception {
        long start = System.nanoTime();
        deleteRecursively(runDir);
        Files.createDirectories(runDir);
        System.out.println("Physical limit: measuring loopback round trip and 4 KiB fdatasync under " + runDir);
        PhysicalLimits before = PhysicalLimits.measure(runDir);

        if (brokers.stream().anyMatch(BrokerKind::tls)) {
            tls = BenchTls.create(runDir);
        }
        Map<BrokerKind, Map<String, String>> results = new EnumMap<>(BrokerKind.class);
        for (BrokerKind broker : brokers) {
            results.put(broker, runBroker(broker));
        }
        System.out.println("Physical limit: measuring again");
        PhysicalLimits limits = before.best(PhysicalLimits.measure(runDir));

        String report = report(brokers, results, limits, (System.nanoTime() - start) / 1e9);
        System.out.println();
        System.out.println(report);
        Path file = home.resolve("target").resolve("bench-results.md");
        Files.writeString(file, report, StandardCharsets.UTF_8);
        System.out.println("Written to " + file);
    }

    private Map<String, String> runBroker(BrokerKind broker) throws Exception {
        Map<String, String> results = new ConcurrentHashMap<>();
        Path dir = Files.createDirectories(runDir.resolve(broker.key()));
        String classpath = brokerClasspath(broker);
        int n = broker.brokers();
        int[] ports = new int[n];
        int[] memberPorts = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = freePort();
            memberPorts[i] = freePort();
        }
        List<Path> stores = new ArrayList<>();
        List<ChildJvm> servers = new ArrayList<>();
        try {
            // Cluster members start together: each waits for the others before it says it is ready.
            for (int i = 0; i < n; i++) {
                String suffix = n == 1 ? "" : Integer.toString(i);
                Path data = dir.resolve("data" + suffix);
                stores.add(data);
                Path config = null;
                String text = broker.config(i, memberPorts, ports, tls);
                if (text != null) {
                    config = dir.resolve("broker" + suffix + ".properties");
                    Files.writeString(config, text, StandardCharsets.UTF_8);
                }
                System.out.printf("%n== %s on 127.0.0.1:%d, store %s%n", broker.displayName(), ports[i], data);
                List<String> brokerJvm = new ArrayList<>(List.of("-Xms1g", JVM_HEAP,
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
                brokerJvm.addAll(extraOptions("bench.broker.jvm"));
                servers.add(ChildJvm.start(broker + "-broker" + suffix, brokerJvm, classpath, broker.mainClass(),
                        broker.brokerArguments(i, ports, data, config, tls), dir.resolve("broker" + suffix + ".log"),
                        broker.readyMarker(), line -> { }));
            }
            for (int i = 0; i < n; i++) {
                if (!servers.get(i).awaitReady(BROKER_START_TIMEOUT_S)) {
                    failAll(results, "the broker did not start; see " + dir.resolve("broker"
                            + (n == 1 ? "" : Integer.toString(i)) + ".log"));
                    return results;
                }
            }
            Path jndiDir = Files.createDirectories(dir.resolve("jndi"));
            Files.writeString(jndiDir.resolve("jndi.properties"), broker.jndiProperties(ports, broker.tls() ? tls : null));
            String clientClasspath = codeLocation() + File.pathSeparator + jndiDir + File.pathSeparator + classpath;
            List<String> clientJvm = new ArrayList<>(List.of(JVM_HEAP,
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
            clientJvm.addAll(extraOptions("bench.client.jvm"));
            StringBuilder pids = new StringBuilder();
            for (ChildJvm server : servers) {
                pids.append(pids.length() == 0 ? "" : ",").append(server.pid());
            }
            clientJvm.add("-D" + DiskWrites.PROPERTY + "=" + pids);
            StringBuilder storeList = new StringBuilder();
            for (Path store : stores) {
                storeList.append(storeList.length() == 0 ? "" : ",").append(store.toAbsolutePath());
            }
            clientJvm.add("-D" + DiskWrites.STORES_PROPERTY + "=" + storeList);
            for (String property : BenchSettings.propertyNames()) {
                String value = System.getProperty(property);
                if (value != null) {
                    clientJvm.add("-D" + property + "=" + value);
                }
            }
            ChildJvm client = ChildJvm.start(broker + "-client", clientJvm, clientClasspath,
                    CLIENT_MAIN, List.of(), dir.resolve("client.log"), null,
                    line -> accept(broker, line, results));
            if (!client.awaitExit(clientTimeoutSeconds())) {
                failMissing(results, "the load generator did not finish in time; see " + dir.resolve("client.log"));
            }
            failMissing(results, "no result; see " + dir.resolve("client.log"));
        } finally {
            for (ChildJvm server : servers) {
                server.close();
            }
            for (Path data : stores) {
                deleteRecursively(data);
            }
        }
        return results;
    }

    /** Extra JVM options from a system property, separated by spaces (for profiling or trying a setting). */
    private static List<String> extraOptions(String property) {
        String value = System.getProperty(property, "").trim();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    private static void accept(BrokerKind broker, String line, Map<String, String> results) {
        if (line.startsWith(ResultLine.PREFIX)) {
            String[] parts = line.substring(ResultLine.PREFIX.length()).split(" ", 3);
            if (parts.length == 3) {
                results.put(parts[0] + "." + parts[1], parts[2]);
            }
        }
        System.out.println("  [" + broker + "] " + line);
    }

    private void failAll(Map<String, String> results, String reason) {
        for (ScenarioKey key : settings.scenarios()) {
            results.put(key.key() + ".status", "FAILED " + reason);
        }
    }

    private void failMissing(Map<String, String> results, String reason) {
        for (ScenarioKey key : settings.scenarios()) {
            boolean any = results.keySet().stream().anyMatch(k -> k.startsWith(key.key() + "."));
            if (!any) {
                results.put(key.key() + ".status", "FAILED " + reason);
            }
        }
    }

    private long clientTimeoutSeconds() {
        long perScenario = (settings.warmupMs() + settings.measureMs() + 2 * settings.drainTimeoutMs()) / 1000 + 60;
        return perScenario * settings.scenarios().size() + 600;
    }

    private String brokerClasspath(BrokerKind broker) throws IOException {
        Path module = home.resolve(broker.module()).resolve("target");
        Path file = module.resolve("classpath.txt");
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: build first with"
                    + " mvn -Pbench -pl bench -am package -DskipTests");
        }
        String dependencies = Files.readString(file).trim();
        Path classes = module.resolve("classes");
        return Files.isDirectory(classes) ? classes + File.pathSeparator + dependencies : dependencies;
    }

    private String report(List<BrokerKind> brokers, Map<BrokerKind, Map<String, String>> results,
                          PhysicalLimits limits, double seconds) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# HeraldMQ vs ActiveMQ Artemis vs ActiveMQ Classic (same jakarta.jms + JNDI code)\n\n");
        out.append(String.format(Locale.ROOT, "%s; %d cores; Java %s; versions: %s. Warm-up %.1f s, measured %.1f s,"
                        + " %d-byte BytesMessages, backlog %.1f MiB. Run took %.0f s.%n%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), versions(brokers),
                settings.warmupMs() / 1000.0, settings.measureMs() / 1000.0, settings.messageBytes(),
                settings.backlogBytes() / 1048576.0, seconds));
        out.append("Each broker ran alone in its own JVM with a fresh store; clients use their provider's defaults"
                + " (exceptions and broker settings: bench/README.md). Ratios are HeraldMQ / the better of Artemis and"
                + " Classic; targets are issue 7's.\n\n");
        out.append(ResultTable.render(brokers, results));
        out.append('\n');
        out.append(String.format(Locale.ROOT, "Physical limit (medians, the better of a measurement before and one"
                        + " after the brokers): loopback round trip %.1f µs + 4 KiB fdatasync %.1f µs"
                        + " → 1/(rtt + fsync) = %s msg/s for one synchronous PERSISTENT producer.%n",
                limits.rttMicros(), limits.fsyncMicros(), ResultTable.format(limits.messagesPerSecond())));
        String durable = results.getOrDefault(BrokerKind.HERALDMQ, Map.of())
                .get(ScenarioKey.DURABLE.key() + ".sent");
        if (durable != null && !results.get(BrokerKind.HERALDMQ).containsKey(ScenarioKey.DURABLE.key() + ".status")) {
            double rate = Double.parseDouble(durable);
            out.append(String.format(Locale.ROOT, "HeraldMQ's single synchronous PERSISTENT producer (scenario 2):"
                            + " %s msg/s = %.0f %% of that limit.%n", ResultTable.format(rate),
                    100 * rate / limits.messagesPerSecond()));
        } else {
            out.append("HeraldMQ's single synchronous PERSISTENT producer (scenario 2): no number.\n");
        }
        String coldRead = results.getOrDefault(BrokerKind.HERALDMQ, Map.of())
                .get(ScenarioKey.REPLAY_COLD.key() + ".read-mbps");
        if (!Double.isNaN(limits.sequentialReadMBps())) {
            out.append(String.format(Locale.ROOT, "The disk's sequential read rate (a %d MiB file, page cache"
                    + " dropped, 1 MiB reads): %.0f MB/s.", PhysicalLimits.READ_PROBE_MIB,
                    limits.sequentialReadMBps()));
            if (coldRead != null) {
                double rate = Double.parseDouble(coldRead);
                out.append(String.format(Locale.ROOT, " HeraldMQ's replay from disk (scenario 9) read its backlog"
                        + " at %.0f MB/s = %.0f %% of that (target ≥ 80 %%).", rate,
                        100 * rate / limits.sequentialReadMBps()));
            }
            out.append('\n');
        }
        Map<String, String> single = results.get(BrokerKind.HERALDMQ);
        Map<String, String> cluster = results.get(BrokerKind.HERALDMQ_CLUSTER);
        String[][] everyScenario = {{"fan-out", "fanout.delivered"}, {"durable (sync)", "durable.sent"},
                {"queue (sync)", "queue.sent"}, {"transacted", "transacted.sent"},
                {"many producers", "many-producers.sent"}, {"backlog publish (async)", "backlog.publish"},
                {"backlog drain", "backlog.drain"}, {"latency p50", "latency.p50"}, {"latency p99", "latency.p99"}};
        String[][] replicated = {{"fan-out", "fanout.delivered"}, {"durable", "durable.sent"},
                {"queue", "queue.sent"}, {"transacted", "transacted.sent"},
                {"many producers", "many-producers.sent"}, {"backlog drain", "backlog.drain"}};
        ratios(out, "Metrics on (/metrics served) / metrics off (http.port=-1, jmx.enabled=false), same run:",
                single, results.get(BrokerKind.HERALDMQ_NO_METRICS), everyScenario, "%.3f");
        ratios(out, "Replicated (3 brokers, every partition on all three) / single node, same run:", cluster, single,
                replicated, "%.2f");
        ratios(out, "HeraldMQ x3 / Artemis pair (replicated primary and backup), same run (target ≥ 2x):", cluster,
                results.get(BrokerKind.ARTEMIS_PAIR), replicated, "%.2f");
        Map<String, String> tlsHerald = results.get(BrokerKind.HERALDMQ_TLS);
        Map<String, String> tlsArtemis = results.get(BrokerKind.ARTEMIS_TLS);
        ratios(out, "HeraldMQ: TLS / plain TCP, same run:", tlsHerald, single, everyScenario, "%.2f");
        ratios(out, "Artemis: TLS / plain TCP, same run:", tlsArtemis, results.get(BrokerKind.ARTEMIS),
                everyScenario, "%.2f");
        ratios(out, "HeraldMQ TLS / Artemis TLS, same run:", tlsHerald, tlsArtemis, everyScenario, "%.2f");
        return out.toString();
    }

    /** One line of {@code a / b} per metric that both have, when both brokers ran. */
    private static void ratios(StringBuilder out, String title, Map<String, String> a, Map<String, String> b,
                               String[][] metrics, String format) {
        if (a == null || b == null) {
            return;
        }
        out.append(title);
        for (String[] m : metrics) {
            String x = a.get(m[1]);
            String y = b.get(m[1]);
            if (x != null && y != null && Double.parseDouble(y) > 0) {
                out.append(String.format(Locale.ROOT, " %s " + format + "x;", m[0],
                        Double.parseDouble(x) / Double.parseDouble(y)));
            }
        }
        out.append('\n');
    }

    /** The broker library versions, read from the jar names on each broker's classpath. */
    private String versions(List<BrokerKind> brokers) {
        List<String> found = new ArrayList<>();
        Pattern jar = Pattern.compile("(heraldmq-server|artemis-server|activemq-broker)-([0-9][^/\\\\]*?)\\.jar");
        for (BrokerKind broker : brokers) {
            try {
                Matcher m = jar.matcher(brokerClasspath(broker));
                found.add(m.find() ? m.group(1) + " " + m.group(2) : broker.displayName() + " (classes)");
            } catch (IOException | RuntimeException e) {
                found.add(broker.displayName() + " (unknown)");
            }
        }
        return String.join(", ", found);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static Path codeLocation() {
        try {
            return Path.of(BenchRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
