package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.server.BrokerProcess;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Packaged brokers as separate JVMs, each in a Linux network namespace of its own, so that the network between them
 * can fail the way real networks do: a partition ({@link #cut}), a slow link ({@link #delay}), alongside crashes
 * ({@link #kill}) and clean stops ({@link #stop}).
 * <p>
 * Layout, per instance (a random 6-hex-digit tag {@code T} keeps concurrent runs apart):
 * <ul>
 *   <li>a bridge {@code hmqbrT} in the root namespace with address {@code 10.X.Y.254/24}, so that the test JVM
 *       reaches every broker's client port directly;</li>
 *   <li>per broker n (1-based on the wire, 0-based in this API): namespace {@code hmqT-n}, veth pair
 *       {@code hmqTh<n>} (bridge side) / {@code hmqTn<n>} (inside), address {@code 10.X.Y.n/24}.</li>
 * </ul>
 * Every broker listens on the same fixed ports on its own address (client {@value #CLIENT_PORT}, Hazelcast
 * {@value #CLUSTER_PORT}), so a restarted broker comes back at the same URL and clients can reconnect to it.
 * <p>
 * {@link #cut} isolates a broker from the <em>other brokers</em> both ways (blackhole routes on both ends of each
 * link) but not from the test JVM: a test must be able to keep sending through an isolated leader and watch it refuse
 * to acknowledge. Taking the veth down ({@link #unplug}) would also cut the test off, and a send that cannot reach its
 * broker proves nothing about the broker.
 * <p>
 * Needs root and iproute2 ({@code ip}, {@code tc}); {@link #assumeSupported()} skips the test otherwise. Everything
 * created is deleted in {@link #close()}, by a JVM shutdown hook if the test never got there, and leftovers of
 * crashed runs (whose owning JVM is gone) are deleted by the next run.
 */
final class NetnsCluster implements AutoCloseable {
    static final int CLIENT_PORT = 7440;
    static final int CLUSTER_PORT = 7450;
    private static final String PREFIX = "hmq";
    /** Owner files: {@code <tag>} holds the pid of the JVM that made the namespaces and links with that tag. */
    private static final Path OWNERS = Path.of(System.getProperty("java.io.tmpdir"), "heraldmq-netns");
    private static final Pattern TAGGED = Pattern.compile("hmq(?:br)?([0-9a-f]{6})(?:[-hn]\\d+)?");
    private static final Set<NetnsCluster> OPEN = ConcurrentHashMap.newKeySet();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(NetnsCluster::close), "netns-cleanup"));
    }

    private final Path dir;
    private final String tag;
    private final String subnet;
    private final Process[] processes;
    private final Path[] configs;
    private final Path[] data;
    private final Set<Integer> cut = new HashSet<>();
    private final Set<Integer> delayed = new HashSet<>();
    private boolean networkUp;

    /**
     * @param extraConfig appended to every broker's configuration file
     */
    NetnsCluster(Path dir, int size, String extraConfig) throws IOException {
        assumeSupported();
        cleanLeftovers();
        this.dir = dir;
        this.tag = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        this.subnet = freeSubnet();
        this.processes = new Process[size];
        this.configs = new Path[size];
        this.data = new Path[size];
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < size; i++) {
            members.append(i == 0 ? "" : ",").append(address(i)).append(':').append(CLUSTER_PORT);
        }
        for (int i = 0; i < size; i++) {
            configs[i] = dir.resolve("broker" + i + ".properties");
            data[i] = dir.resolve("data" + i);
            Files.writeString(configs[i], "host = " + address(i) + "\n"
                    + "cluster.host = " + address(i) + "\n" + "http.port = 0\n"
                    + "cluster.members = " + members + "\n"
                    + "cluster.port = " + CLUSTER_PORT + "\n"
                    + extraConfig, StandardCharsets.UTF_8);
        }
    }

    /** Skips the calling test unless namespaces, veths, bridges and netem can be made here. */
    static void assumeSupported() {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "network namespaces need Linux");
        Assumptions.assumeTrue(onPath("ip") && onPath("tc"),
                "iproute2 (ip, tc) is not installed: install it (apt-get install iproute2) to run the network fault"
                        + " tests");
        String probe = PREFIX + "probe" + ProcessHandle.current().pid();
        Result r = exec(false, "ip", "netns", "add", probe);
        exec(false, "ip", "netns", "del", probe);
        Assumptions.assumeTrue(r.ok(), "cannot create network namespaces (needs root / CAP_SYS_ADMIN + CAP_NET_ADMIN): "
                + r.output());
    }

    /** Sets broker n's data directory (before {@link #start()}), e.g. to a small tmpfs. */
    NetnsCluster dataDir(int n, Path path) {
        data[n] = path;
        return this;
    }

    /** Builds the network, starts every broker (in parallel) and waits until each sees all the others. */
    NetnsCluster start() {
        OPEN.add(this);
        writeOwner();
        String bridge = bridge();
        sh("ip", "link", "add", bridge, "type", "bridge");
        networkUp = true;
        sh("ip", "addr", "add", subnet + ".254/24", "dev", bridge);
        sh("ip", "link", "set", bridge, "up");
        for (int i = 0; i < processes.length; i++) {
            String ns = namespace(i);
            sh("ip", "netns", "add", ns);
            sh("ip", "link", "add", hostVeth(i), "type", "veth", "peer", "name", nsVeth(i), "netns", ns);
            sh("ip", "link", "set", hostVeth(i), "master", bridge, "up");
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            sh("ip", "netns", "exec", ns, "ip", "addr", "add", address(i) + "/24", "dev", nsVeth(i));
            sh("ip", "netns", "exec", ns, "ip", "link", "set", nsVeth(i), "up");
        }
        List<CompletableFuture<Process>> starting = new ArrayList<>();
        for (int i = 0; i < processes.length; i++) {
            int n = i;
            starting.add(CompletableFuture.supplyAsync(() -> launch(n)));
        }
        for (int i = 0; i < processes.length; i++) {
            processes[i] = starting.get(i).join();
        }
        for (int i = 0; i < processes.length; i++) {
            awaitMembers(i, processes.length);
        }
        return this;
    }

    /** Waits until broker n sees {@code count} members. */
    void awaitMembers(int n, int count) {
        try (HeraldAdmin admin = HeraldAdmin.connect(url(n))) {
            await("broker " + n + " sees " + count + " members").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.clusterStatus().members().size() == count);
        }
    }

    private Process launch(int n) {
        Path log = log(n);
        try {
            Files.createDirectories(data[n]);
            long from = Files.exists(log) ? Files.size(log) : 0;
            // ip netns exec execs java in place: the Process's pid is the broker's, so signals reach the broker.
            Process p = new ProcessBuilder("ip", "netns", "exec", namespace(n),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-jar", BrokerProcess.jar().toAbsolutePath().toString(),
                    "--port", String.valueOf(CLIENT_PORT), "--data-dir", data[n].toString(),
                    "--config", configs[n].toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            String ready = "HeraldMQ ready on tcp://" + address(n) + ":" + CLIENT_PORT;
            try {
                await("broker " + n + " ready line in " + log).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            String out = Files.readString(log, StandardCharsets.UTF_8);
                            if (out.length() > from && out.substring((int) from).contains(ready)) {
                                return true;
                            }
                            if (!p.isAlive()) {
                                throw new AssertionError("broker " + n + " exited with " + p.exitValue() + ":\n"
                                        + out.substring((int) Math.min(from, out.length())));
                            }
                            return false;
                        });
            } catch (RuntimeException | AssertionError e) {
                p.destroyForcibly();
                throw e;
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** (Re)starts broker n on its data directory and waits for its ready line. */
    void restart(int n) {
        if (processes[n] != null) {
            throw new IllegalStateException("broker " + n + " is running");
        }
        processes[n] = launch(n);
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill(int n) {
        Process p = processes[n];
        processes[n] = null;
        if (p != null) {
            p.destroyForcibly();
            waitFor(p, 30);
        }
    }

    /**
     * SIGTERM, the clean stop (connections closed, logs flushed); waits for the exit.
     *
     * @return the exit status (0 for a clean stop)
     */
    int stop(int n) {
        Process p = processes[n];
        processes[n] = null;
        p.destroy();
        if (!waitFor(p, 60)) {
            p.destroyForcibly();
            waitFor(p, 30);
            throw new AssertionError("broker " + n + " did not stop within 60 s of SIGTERM; see " + log(n));
        }
        return p.exitValue();
    }

    boolean alive(int n) {
        return processes[n] != null && processes[n].isAlive();
    }

    Process process(int n) {
        return processes[n];
    }

    /**
     * Partitions broker n from every other broker, both directions, by a blackhole route on each end (a route change
     * also reroutes established connections). The test JVM (on the bridge) still reaches it, and it the test JVM.
     */
    void cut(int n) {
        for (int m = 0; m < processes.length; m++) {
            if (m != n) {
                sh("ip", "-n", namespace(n), "route", "add", "blackhole", address(m) + "/32");
                sh("ip", "-n", namespace(m), "route", "add", "blackhole", address(n) + "/32");
            }
        }
        cut.add(n);
    }

    /** Undoes {@link #cut}. */
    void heal(int n) {
        for (int m = 0; m < processes.length; m++) {
            if (m != n) {
                sh("ip", "-n", namespace(n), "route", "del", "blackhole", address(m) + "/32");
                sh("ip", "-n", namespace(m), "route", "del", "blackhole", address(n) + "/32");
            }
        }
        cut.remove(n);
    }

    /** Takes broker n's veth down: it loses the other brokers and the test JVM alike. */
    void unplug(int n) {
        sh("ip", "link", "set", hostVeth(n), "down");
    }

    void plug(int n) {
        sh("ip", "link", "set", hostVeth(n), "up");
    }

    /**
     * Adds {@code ms} to every packet broker n sends and to every packet it receives (netem on both ends of its veth:
     * a round trip with it takes 2 x ms longer), for the brokers and the test JVM alike.
     */
    void delay(int n, int ms) {
        String op = delayed.contains(n) ? "change" : "add";
        sh("tc", "qdisc", op, "dev", hostVeth(n), "root", "netem", "delay", ms + "ms");
        sh("ip", "netns", "exec", namespace(n), "tc", "qdisc", op, "dev", nsVeth(n), "root", "netem", "delay",
                ms + "ms");
        delayed.add(n);
    }

    /**
     * Whether this kernel has netem (sch_netem). Kernels built without it (CONFIG_NET_SCH_NETEM unset, as on the
     * Firecracker VMs this project's CI uses) answer "Specified qdisc kind is unknown".
     */
    boolean netemSupported() {
        Result r = exec(false, "ip", "netns", "exec", namespace(0), "tc", "qdisc", "add", "dev", "lo", "root", "netem",
                "delay", "1ms");
        if (r.ok()) {
            exec(false, "ip", "netns", "exec", namespace(0), "tc", "qdisc", "del", "dev", "lo", "root");
        }
        return r.ok();
    }

    /**
     * The fallback when netem is missing: a token bucket (tbf) on both ends of broker n's veth limits its link to
     * {@code kbit}; packets wait up to {@code maxQueueMs} in the queue and are dropped beyond it. A slow link rather
     * than a long one: the delay grows with the traffic.
     */
    void throttle(int n, int kbit, int maxQueueMs) {
        String op = delayed.contains(n) ? "change" : "add";
        sh("tc", "qdisc", op, "dev", hostVeth(n), "root", "tbf", "rate", kbit + "kbit", "burst", "1600",
                "latency", maxQueueMs + "ms");
        sh("ip", "netns", "exec", namespace(n), "tc", "qdisc", op, "dev", nsVeth(n), "root", "tbf", "rate",
                kbit + "kbit", "burst", "1600", "latency", maxQueueMs + "ms");
        delayed.add(n);
    }

    /** Removes {@link #delay} or {@link #throttle}. */
    void undelay(int n) {
        sh("tc", "qdisc", "del", "dev", hostVeth(n), "root");
        sh("ip", "netns", "exec", namespace(n), "tc", "qdisc", "del", "dev", nsVeth(n), "root");
        delayed.remove(n);
    }

    int size() {
        return processes.length;
    }

    String address(int n) {
        return subnet + "." + (n + 1);
    }

    String url(int n) {
        return "tcp://" + address(n) + ":" + CLIENT_PORT;
    }

    /** Every broker's address, broker {@code first}'s first: a client connects there and fails over to the others. */
    String clusterUrl(int first) {
        StringBuilder url = new StringBuilder("tcp://").append(address(first)).append(':').append(CLIENT_PORT);
        for (int i = 0; i < configs.length; i++) {
            if (i != first) {
                url.append(',').append(address(i)).append(':').append(CLIENT_PORT);
            }
        }
        return url.toString();
    }

    Path data(int n) {
        return data[n];
    }

    Path log(int n) {
        return dir.resolve("broker" + n + ".log");
    }

    String brokerId(int n) throws IOException {
        return Files.readString(data[n].resolve("broker-id")).trim();
    }

    int indexOf(String brokerId) throws IOException {
        for (int i = 0; i < processes.length; i++) {
            if (brokerId(i).equals(brokerId)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no broker " + brokerId);
    }

    /** The destination's leader as broker {@code via} sees it, once live, agreed by all partitions and not {@code not}. */
    String awaitLeader(int via, boolean queue, String destination, int partitions, String not, Duration atMost) {
        AtomicReference<String> leader = new AtomicReference<>();
        try (HeraldAdmin admin = HeraldAdmin.connect(url(via))) {
            await("leader of " + destination + " via broker " + via).atMost(atMost)
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                        String l = ClusterProcesses.leaderOf(admin.clusterStatus(), queue, destination, partitions);
                        leader.set(l);
                        return l != null && !l.equals(not);
                    });
        }
        return leader.get();
    }

    ClusterStatus status(int via) {
        try (HeraldAdmin admin = HeraldAdmin.connect(url(via))) {
            return admin.clusterStatus();
        }
    }

    /** Stops every broker and deletes every namespace, link and owner file this instance made; never throws. */
    @Override
    public synchronized void close() {
        for (int i = 0; i < processes.length; i++) {
            Process p = processes[i];
            if (p != null) {
                p.destroyForcibly();
                waitFor(p, 30);
                processes[i] = null;
            }
        }
        if (networkUp) {
            for (int i = 0; i < processes.length; i++) {
                killNamespacePids(namespace(i));
                exec(false, "ip", "link", "del", hostVeth(i));
                exec(false, "ip", "netns", "del", namespace(i));
            }
            exec(false, "ip", "link", "del", bridge());
            networkUp = false;
        }
        try {
            Files.deleteIfExists(OWNERS.resolve(tag));
        } catch (IOException ignored) {
            // a stale owner file only names a dead pid; the next run removes it
        }
        OPEN.remove(this);
    }

    // ------------------------------------------------------------------------------------------ names and cleanup

    private String bridge() {
        return PREFIX + "br" + tag;
    }

    private String namespace(int n) {
        return PREFIX + tag + "-" + (n + 1);
    }

    private String hostVeth(int n) {
        return PREFIX + tag + "h" + (n + 1);
    }

    private String nsVeth(int n) {
        return PREFIX + tag + "n" + (n + 1);
    }

    private void writeOwner() {
        try {
            Files.createDirectories(OWNERS);
            Files.writeString(OWNERS.resolve(tag), String.valueOf(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes namespaces and links of earlier runs whose JVM is gone (a crashed or killed test run); those of a run
     * still going (another module or worktree testing at the same time) are left alone.
     */
    static synchronized void cleanLeftovers() {
        Set<String> tags = new HashSet<>();
        for (String line : exec(false, "ip", "netns", "list").output().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            Matcher m = TAGGED.matcher(name);
            if (m.matches()) {
                tags.add(m.group(1));
            }
        }
        for (String line : exec(false, "ip", "-o", "link", "show").output().split("\n")) {
            String[] f = line.split(":\\s+");
            if (f.length > 1) {
                Matcher m = TAGGED.matcher(f[1].split("@")[0]);
                if (m.matches()) {
                    tags.add(m.group(1));
                }
            }
        }
        for (String t : tags) {
            if (ownerAlive(t)) {
                continue;
            }
            for (String line : exec(false, "ip", "netns", "list").output().split("\n")) {
                String ns = line.trim().split("\\s+")[0];
                if (ns.startsWith(PREFIX + t + "-")) {
                    killNamespacePids(ns);
                    exec(false, "ip", "netns", "del", ns);
                }
            }
            for (String line : exec(false, "ip", "-o", "link", "show").output().split("\n")) {
                String[] f = line.split(":\\s+");
                if (f.length > 1) {
                    String link = f[1].split("@")[0];
                    if (link.startsWith(PREFIX + t) || link.equals(PREFIX + "br" + t)) {
                        exec(false, "ip", "link", "del", link);
                    }
                }
            }
            try {
                Files.deleteIfExists(OWNERS.resolve(t));
            } catch (IOException ignored) {
                // harmless
            }
            System.out.println("NetnsCluster: removed leftovers of an earlier run, tag " + t);
        }
    }

    private static boolean ownerAlive(String tag) {
        try {
            long pid = Long.parseLong(Files.readString(OWNERS.resolve(tag)).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Brokers of a crashed run still in their namespace (found by pid, which only those brokers have). */
    private static void killNamespacePids(String ns) {
        for (String pid : exec(false, "ip", "netns", "pids", ns).output().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** A 10.X.Y.0/24 that no route or address of the root namespace overlaps. */
    private static String freeSubnet() {
        String routes = exec(true, "ip", "-4", "route", "show", "table", "all").output()
                + exec(true, "ip", "-4", "-o", "addr", "show").output();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int x = 100 + rnd.nextInt(150);
            int y = rnd.nextInt(256);
            if (!overlaps(routes, 10, x, y)) {
                return "10." + x + "." + y;
            }
        }
        throw new IllegalStateException("no free 10.X.Y.0/24 subnet");
    }

    /** Whether any prefix in the route/address listing contains 10.x.y.0/24 or lies inside it. */
    private static boolean overlaps(String listing, int a, int b, int c) {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)(?:/(\\d+))?").matcher(listing);
        long ours = ((long) a << 24) | ((long) b << 16) | ((long) c << 8);
        while (m.find()) {
            long ip = (Long.parseLong(m.group(1)) << 24) | (Long.parseLong(m.group(2)) << 16)
                    | (Long.parseLong(m.group(3)) << 8) | Long.parseLong(m.group(4));
            int len = m.group(5) == null ? 32 : Integer.parseInt(m.group(5));
            if (len == 0) {
                continue; // the default route overlaps everything; it is not a local network
            }
            int common = Math.min(len, 24);
            long mask = common == 0 ? 0 : (0xFFFFFFFFL << (32 - common)) & 0xFFFFFFFFL;
            if ((ip & mask) == (ours & mask)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ processes

    record Result(int status, String output) {
        boolean ok() {
            return status == 0;
        }
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
    }

    private static void sh(String... command) {
        exec(true, command);
    }

    /** Runs a command to completion; with {@code check}, a non-zero status is an error that shows the output. */
    static Result exec(boolean check, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            Result r = new Result(p.exitValue(), out);
            if (check && !r.ok()) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + r.status() + "): " + out);
            }
            return r;
        } catch (IOException e) {
            if (check) {
                throw new UncheckedIOException(e);
            }
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitFor(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
