package io.heraldmq.connect.http;

import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throughput measurement, not a test: an embedded broker, an {@code http} source, and {@code clients} threads each
 * POSTing NDJSON requests of {@code lines} lines of about {@code bytes} bytes back to back (each waits for its 200,
 * which comes once the broker acknowledged the request) for {@code seconds}; prints lines/s. All three share this
 * JVM and the machine's cores.
 * <pre>
 * java -cp ... io.heraldmq.connect.http.HttpSourceThroughput [seconds=10] [warmup=5] [clients=4] [lines=1000]
 *     [bytes=200] [send=transacted|async] [window=10000] [transaction.size=1000]
 * </pre>
 */
public final class HttpSourceThroughput {
    private HttpSourceThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("seconds", "10", "clients", "4", "lines", "1000", "bytes", "200",
                "send", "transacted", "window", "10000", "transaction.size", "1000", "warmup", "5"));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        int seconds = Integer.parseInt(a.get("seconds"));
        int clients = Integer.parseInt(a.get("clients"));
        int lines = Integer.parseInt(a.get("lines"));
        int bytes = Integer.parseInt(a.get("bytes"));

        Path data = Files.createTempDirectory("http-throughput-");
        Broker broker = Broker.start(BrokerConfig.defaults().withPort(0).withDataDir(data))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        Map<String, String> m = new HashMap<>();
        m.put("connector.h.type", "http");
        m.put("connector.h.url", broker.url());
        m.put("connector.h.destination", "topic://logs.${app}");
        m.put("connector.h.listen", "tcp://127.0.0.1:0");
        m.put("connector.h.send", a.get("send"));
        m.put("connector.h.window", a.get("window"));
        m.put("connector.h.transaction.size", a.get("transaction.size"));
        HttpSourceConnector source = new HttpSourceConnector(ConnectorConfig.parse(m).get(0),
                new HeraldConnectionFactory(broker.url()));
        source.start();
        URI uri = URI.create(source.boundAddresses().get(0).replace("tcp://", "http://") + "/");

        byte[] body = body(lines, bytes);
        System.out.println("http source listening at " + uri);
        AtomicLong accepted = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong latencyNanos = new AtomicLong();
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.parseInt(a.get("warmup")));
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                try {
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - now;
                        if (now < warmupEnd) {
                            continue;
                        }
                        if (r.statusCode() == 200) {
                            accepted.addAndGet(lines);
                            requests.incrementAndGet();
                            latencyNanos.addAndGet(took);
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "client " + i);
            threads.add(t);
            t.start();
        }
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(warmupEnd - System.nanoTime())));
        Map<String, Long> cpuBefore = threadCpu();
        long processCpuBefore = processCpu();
        for (Thread t : threads) {
            t.join();
        }
        Map<String, Long> cpuAfter = threadCpu();
        long processCpu = processCpu() - processCpuBefore;
        double lps = accepted.get() / (double) seconds;
        System.out.printf("http source: %d clients, %d lines of %d bytes per request, send=%s: %,.0f lines/s "
                        + "(%.1f MB/s of body), %d requests answered 200 (mean %.1f ms), %d answered otherwise%n",
                clients, lines, bytes, a.get("send"), lps, lps * bytes / 1e6, requests.get(),
                requests.get() == 0 ? 0.0 : latencyNanos.get() / 1e6 / requests.get(), refused.get());
        System.out.println("counters: " + source.counters().format());
        // CPU per line, by thread group: independent of what else the machine runs, unlike lines/s.
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        cpuAfter.forEach((k, v) -> byGroup.merge(k.substring(k.indexOf(' ') + 1), v - cpuBefore.getOrDefault(k, 0L),
                Long::sum));
        long lines1 = Math.max(1, accepted.get());
        System.out.printf("process CPU %.2f s over %d s = %.2f cores; %.2f us per line (all threads, client included)%n",
                processCpu / 1e9, seconds, processCpu / 1e9 / seconds, processCpu / 1e3 / lines1);
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("  %-40s %6.2f us/line%n", e.getKey(), e.getValue() / 1e3 / lines1));
        source.stop();
        broker.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** CPU time by {@code "id name"} with the digits of the name folded, so that pools add up. */
    private static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                long cpu = mx.getThreadCpuTime(t.getThreadId());
                if (cpu >= 0) {
                    out.put(t.getThreadId() + " " + t.getThreadName().replaceAll("\\d+", "N"), cpu);
                }
            }
        }
        return out;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** {@code lines} NDJSON objects of about {@code bytes} bytes each, with a few fields as a log shipper sends. */
    static byte[] body(int lines, int bytes) {
        StringBuilder b = new StringBuilder(lines * (bytes + 1));
        for (int i = 0; i < lines; i++) {
            int start = b.length();
            b.append("{\"ts\":\"2026-01-01T00:00:00.").append(String.format("%03d", i % 1000))
                    .append("Z\",\"host\":\"web-").append(i % 8).append("\",\"app\":\"checkout\",\"level\":\"info\",")
                    .append("\"msg\":\"request served ");
            while (b.length() - start < bytes - 3) {
                b.append('x');
            }
            b.append("\"}\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
