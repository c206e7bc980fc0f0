package io.heraldmq.ra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * The packaged broker (the server module's {@code target/heraldmq-server.jar}) as a process of its own on a fixed
 * port of 127.0.0.1, so the test can kill it with SIGKILL and start it again on the same port and data directory.
 */
final class BrokerProcess {
    private final Path config;
    private final Path data;
    private final Path log;
    private final int port;
    private Process process;

    BrokerProcess(Path dir, int port, String settings) throws IOException {
        this.config = dir.resolve("broker.properties");
        this.data = dir.resolve("data");
        this.log = dir.resolve("broker.log");
        this.port = port;
        Files.writeString(config, settings);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    void start() throws IOException {
        Path jar = Path.of(System.getProperty("heraldmq.server.jar", "../server/target/heraldmq-server.jar"));
        if (!Files.exists(jar)) {
            throw new AssertionError("build the server module first: " + jar.toAbsolutePath());
        }
        long from = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--port", Integer.toString(port),
                "--data-dir", data.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Process p = process;
        await("broker ready on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String out = Files.readString(log, StandardCharsets.UTF_8).substring((int) from);
                    if (!p.isAlive()) {
                        throw new AssertionError("broker exited with " + p.exitValue() + ":\n" + out);
                    }
                    return out.contains("HeraldMQ ready on tcp://127.0.0.1:" + port);
                });
    }

    /** SIGKILL, as a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    Path log() {
        return log;
    }
}
