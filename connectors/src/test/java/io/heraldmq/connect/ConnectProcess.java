package io.heraldmq.connect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * {@code bin/heraldmq connect --config FILE} as a process of its own (the packaged {@code target/heraldmq-connect.jar},
 * which failsafe finds built), for tests that stop it with SIGTERM or kill it with SIGKILL.
 */
public final class ConnectProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread pump;

    private ConnectProcess(Process process) {
        this.process = process;
        this.pump = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] b = new byte[8192];
                for (int n = in.read(b); n >= 0; n = in.read(b)) {
                    output.append(new String(b, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "connect-output");
        pump.setDaemon(true);
        pump.start();
    }

    public static ConnectProcess start(Path config) throws IOException {
        Path script = Path.of("..", "bin", "heraldmq").toAbsolutePath().normalize();
        Path jar = Path.of("target", "heraldmq-connect.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing; run through mvn verify (package comes first)");
        }
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "connect", "--config", config.toString())
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_OPTS", "-Xmx256m");
        pb.environment().put("HERALDMQ_CONNECT_JAR", jar.toString());
        return new ConnectProcess(pb.start());
    }

    /** Waits until the connectors run (or the process ended, for tests of refusals). */
    public ConnectProcess awaitRunning() {
        await().atMost(Duration.ofSeconds(30)).until(() -> output.toString().contains("HeraldMQ connect running")
                || !process.isAlive());
        return this;
    }

    public String output() {
        return output.toString();
    }

    /** Sends the signal {@code name} (USR1, ...) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then the exit code. */
    public int terminate() throws InterruptedException {
        // Through the handle: Process.destroy() also closes our end of the pipes, losing what the process writes
        // while it stops (its counters).
        process.toHandle().destroy();
        return waitFor();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        waitFor();
    }

    public int waitFor() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("connect did not exit; output:\n" + output);
        }
        pump.join(TimeUnit.SECONDS.toMillis(10)); // what the process wrote last
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
