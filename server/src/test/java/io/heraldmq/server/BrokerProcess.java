package io.heraldmq.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The packaged broker ({@code target/heraldmq-server.jar}) run as a process of its own, for tests that kill it with
 * SIGKILL ({@link Process#destroyForcibly}). Its output goes to a file, which also serves the failure messages.
 */
/** @param httpUrl the monitoring port's URL ({@code --http-port 0}: any free port) */
public record BrokerProcess(Process process, int port, Path log, String httpUrl) {
    // port: the plain client port, or the TLS one of a broker without a plain port (plain.enabled = false)
    private static final Pattern MONITORING = Pattern.compile("HeraldMQ monitoring on (http://\\S+)");
    private static final Pattern READY = Pattern.compile("HeraldMQ ready on (?:tcp|ssl)://127\\.0\\.0\\.1:(\\d+)");
    /** Generous: on a loaded 2-core machine (load average 30-50) three brokers starting at once took over a minute. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** The packaged jar; it exists once the {@code package} phase ran, before failsafe's integration tests. */
    public static Path jar() {
        Path jar = Path.of("target", "heraldmq-server.jar");
        if (!Files.exists(jar)) {
            throw new AssertionError("run after package: " + jar.toAbsolutePath());
        }
        return jar;
    }

    /** Starts the broker and returns at once, without waiting for it to be ready. */
    public static Process launch(Path config, Path data, Path log) throws IOException {
        return launch(config, data, log, 0);
    }

    /** {@link #launch(Path, Path, Path)} on a given client port (0: any free one). */
    public static Process launch(Path config, Path data, Path log, int port) throws IOException {
        return launch(config, data, log, port, java.util.List.of());
    }

    /** {@link #launch(Path, Path, Path, int)} with extra JVM options (system properties of fault tests). */
    public static Process launch(Path config, Path data, Path log, int port, java.util.List<String> jvmOptions)
            throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                // C1 only: a test's brokers live seconds, and C2's compiler threads took the CPU three or four of
                // them and the test need on two cores (the process-based ITs ran a fifth faster without them)
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(java.util.List.of("-jar", jar().toString(), "--port", Integer.toString(port),
                "--http-port", "0", "--data-dir", data.toString(), "--config", config.toString()));
        // appended, so that a restarted broker's log keeps what it wrote before the kill (a failed test's evidence)
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Starts the broker and waits for its ready line; a broker that exits first fails with its output. */
    public static BrokerProcess start(Path config, Path data, Path log) throws IOException {
        return start(config, data, log, 0);
    }

    /**
     * {@link #start(Path, Path, Path)} on a given client port (0: any free one), e.g. the port of a killed broker
     * restarted on its data directory, as clients with failover expect it back.
     */
    public static BrokerProcess start(Path config, Path data, Path log, int clientPort) throws IOException {
        return start(config, data, log, clientPort, java.util.List.of());
    }

    /** {@link #start(Path, Path, Path, int)} with extra JVM options. */
    public static BrokerProcess start(Path config, Path data, Path log, int clientPort,
                                      java.util.List<String> jvmOptions) throws IOException {
        long from = Files.exists(log) ? Files.size(log) : 0;
        Process process = launch(config, data, log, clientPort, jvmOptions);
        AtomicInteger port = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> http = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            await("broker ready line in " + log).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        byte[] all = Files.readAllBytes(log);
                        String written = new String(all, (int) Math.min(from, all.length),
                                (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
                        Matcher m = READY.matcher(written);
                        if (m.find()) {
                            port.set(Integer.parseInt(m.group(1)));
                            Matcher h = MONITORING.matcher(written);
                            http.set(h.find() ? h.group(1) : null);
                            return true;
                        }
                        if (!process.isAlive()) {
                            throw new AssertionError("broker exited with " + process.exitValue() + ":\n" + written);
                        }
                        return false;
                    });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return new BrokerProcess(process, port.get(), log, http.get());
    }
}
