package io.heraldmq.connect.bench;

import io.heraldmq.connect.Connector;
import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.jms.HeraldConnectionFactory;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connectors' ingest benchmark (run by hand, not a test): a broker in its own JVM (the packaged
 * {@code server/target/heraldmq-server.jar}, log.flush.policy always), one source in this JVM, 200-byte lines,
 * PERSISTENT; the rate is lines acknowledged by the broker per second, from the first line to the last
 * acknowledgement.
 * <pre>
 * mvn -pl connectors -am package -DskipTests
 * java -cp "$(cat connectors/target/bench.classpath):connectors/target/classes:connectors/target/test-classes" \
 *     io.heraldmq.connect.bench.IngestBench syslog|file [lines] [send=transacted|async]
 * </pre>
 * The syslog run writes octet-counted RFC 5424 frames to the source's TCP port from one thread as fast as the
 * socket takes them (the source's backpressure slows it); the file run tails a file written beforehand.
 */
public final class IngestBench {
    private static final Pattern READY = Pattern.compile("HeraldMQ ready on tcp://127\\.0\\.0\\.1:(\\d+)");

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "syslog";
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        String send = args.length > 2 ? args[2] : "transacted";
        Path dir = Files.createTempDirectory("ingest-bench");
        Process broker = startBroker(dir);
        try {
            String url = "tcp://127.0.0.1:" + awaitPort(dir.resolve("broker.log"), broker);
            long brokerCpu0 = cpuNanos(broker);
            long ownCpu0 = ownCpuNanos();
            double rate = kind.equals("file") ? file(dir, url, lines, send) : syslog(url, lines, send);
            // CPU time per line in each process: on a shared 2-core machine a steadier figure than the rate
            double brokerUs = (cpuNanos(broker) - brokerCpu0) / 1e3 / lines;
            double ownUs = (ownCpuNanos() - ownCpu0) / 1e3 / lines;
            System.out.printf("%s send=%s: %,d lines of 200 bytes, %,.0f lines/s acknowledged; CPU per line: broker "
                    + "%.2f us, connector and load %.2f us%n", kind, send, lines, rate, brokerUs, ownUs);
        } finally {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static long cpuNanos(Process p) {
        return p.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Process startBroker(Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("heraldmq.server.jar", "server/target/heraldmq-server.jar"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms1g",
                "-Xmx1g", "-jar", jar.toString(), "--port", "0", "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile()).start();
    }

    private static int awaitPort(Path log, Process broker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && broker.isAlive()) {
            Matcher m = READY.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            TimeUnit.MILLISECONDS.sleep(50); // a benchmark's start-up wait, not a test
        }
        throw new IllegalStateException("the broker did not start: " + Files.readString(log));
    }

    private static Connector connector(Map<String, String> options, String url) {
        ConnectorSettings s = ConnectorConfig.parse(options).get(0);
        return s.type().create(s, new HeraldConnectionFactory(url));
    }

    /** A 200-byte line, numbered. */
    private static String line(int i) {
        StringBuilder b = new StringBuilder(200).append("line ").append(i).append(' ');
        while (b.length() < 200) {
            b.append('x');
        }
        return b.toString();
    }

    private static double syslog(String url, int lines, String send) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("connector.s.type", "syslog");
        m.put("connector.s.url", url);
        m.put("connector.s.destination", "topic://bench.syslog");
        m.put("connector.s.listen", "tcp://127.0.0.1:0");
        m.put("connector.s.send", send);
        Connector c = connector(m, url);
        c.start();
        int port = URI.create(((io.heraldmq.connect.syslog.SyslogSourceConnector) c).boundAddresses().get(0))
                .getPort();
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            String head = "<14>1 2026-12-07T05:00:00.000Z bench app - - - ";
            for (int i = 0; i < lines; i++) {
                byte[] frame = (head + line(i).substring(head.length())).getBytes(StandardCharsets.UTF_8);
                out.write((frame.length + " ").getBytes(StandardCharsets.US_ASCII));
                out.write(frame);
            }
            out.flush();
            awaitAcknowledged(c, lines);
        }
        double rate = lines / ((System.nanoTime() - start) / 1e9);
        c.stop();
        return rate;
    }

    private static double file(Path dir, String url, int lines, String send) throws Exception {
        Path log = dir.resolve("app.log");
        try (BufferedWriter w = Files.newBufferedWriter(log)) {
            for (int i = 0; i < lines; i++) {
                w.write(line(i));
                w.write('\n');
            }
        }
        Map<String, String> m = new HashMap<>();
        m.put("connector.f.type", "file");
        m.put("connector.f.url", url);
        m.put("connector.f.destination", "topic://bench.file");
        m.put("connector.f.path", log.toString());
        m.put("connector.f.checkpoint.dir", dir.resolve("checkpoints").toString());
        m.put("connector.f.send", send);
        Connector c = connector(m, url);
        long start = System.nanoTime();
        c.start();
        awaitAcknowledged(c, lines);
        double rate = lines / ((System.nanoTime() - start) / 1e9);
        c.stop();
        return rate;
    }

    private static void awaitAcknowledged(Connector c, int lines) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (c.counters().acknowledged.get() < lines) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + c.counters().format());
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }
}
