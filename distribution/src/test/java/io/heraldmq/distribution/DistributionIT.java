package io.heraldmq.distribution;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive {@code package} made, as an operator would use it: unpacked with tar, the broker started by
 * {@code bin/heraldmq} from another working directory with the shipped {@code config/broker.properties}, lines in
 * with {@code produce} and out with {@code consume}, a listing as JSON (through a symbolic link to the script, as
 * from {@code /usr/local/bin}), and SIGTERM for a clean stop with exit status 0. Only Java is assumed (the JVM
 * running the test, as JAVA_HOME) and tar.
 */
class DistributionIT {
    private static final Pattern READY = Pattern.compile("HeraldMQ ready on tcp://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path root;

    /** A finished command: exit status, stdout, stderr. */
    record Run(int code, String out, String err) {
    }

    @Test
    void unpacksRunsFromAnyDirectoryAndStopsCleanly() throws Exception {
        String version = System.getProperty("heraldmq.version");
        Path archive = Path.of(System.getProperty("heraldmq.distribution"));
        assertTrue(Files.isRegularFile(archive), "run after package: " + archive);
        Path install = Files.createDirectories(root.resolve("opt"));
        assertEquals(0, run(root, null, "tar", "-xzf", archive.toString(), "-C", install.toString()).code());
        Path home = install.resolve("heraldmq-" + version);
        Path script = home.resolve("bin").resolve("heraldmq");
        assertTrue(Files.isExecutable(script), "bin/heraldmq is executable");
        for (String file : List.of("lib/heraldmq-server.jar", "lib/heraldmq-connect.jar", "lib/heraldmq-ra.rar",
                "lib/README.txt", "config/broker.properties", "config/connectors.properties", "config/heraldmq.service",
                "config/cluster/broker1.properties", "config/cluster/broker2.properties",
                "config/cluster/broker3.properties", "config/logback.xml", "grafana/heraldmq-dashboard.json",
                "README.md")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file + " is in the archive");
        }

        Path work = Files.createDirectories(root.resolve("work"));
        Path log = root.resolve("broker.log");
        ProcessBuilder broker = new ProcessBuilder(script.toString(), "--config",
                home.resolve("config/broker.properties").toString(), "--port", "0")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        javaHome(broker);
        Process process = broker.start();
        try {
            String url = "tcp://127.0.0.1:" + awaitReady(process, log);
            assertTrue(Files.isDirectory(work.resolve("data")), "data under the working directory");
            assertFalse(Files.exists(home.resolve("data")), "nothing written into the installation");
            // config/logback.xml: the rolling log file under the working directory too
            assertTrue(Files.isRegularFile(work.resolve("logs/heraldmq.log")), "logs/heraldmq.log");
            assertFalse(Files.exists(home.resolve("logs")), "no logs in the installation");

            Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
            List<String> lines = IntStream.rangeClosed(1, 200).mapToObj(i -> "line " + i).toList();
            Run produced = run(elsewhere, String.join("\n", lines) + "\n", script.toString(), "produce",
                    "queue://dist-lines", "--url", url);
            assertEquals(0, produced.code(), produced.toString());
            assertTrue(produced.err().contains("produced 200 message(s) to queue://dist-lines"), produced.err());

            Run consumed = run(elsewhere, null, script.toString(), "consume", "queue://dist-lines", "--max", "200",
                    "--timeout", "30s", "--url", url);
            assertEquals(0, consumed.code(), consumed.toString());
            assertEquals(lines, consumed.out().lines().toList());

            Path bin = Files.createDirectories(root.resolve("usr-local-bin"));
            Path link = Files.createSymbolicLink(bin.resolve("heraldmq"), script);
            Run listed = run(elsewhere, null, link.toString(), "topic", "list", "--output", "json", "--url", url);
            assertEquals(0, listed.code(), listed.toString());
            JsonObject queue = new JsonArray(listed.out()).stream().map(JsonObject.class::cast)
                    .filter(t -> t.getString("name").equals("dist-lines")).findFirst().orElseThrow();
            assertEquals("queue", queue.getString("kind"));
            assertEquals(200L, queue.getLong("messages"));

            Run connect = run(elsewhere, null, script.toString(), "connect", "--help");
            assertEquals(0, connect.code(), "bin/heraldmq finds lib/heraldmq-connect.jar: " + connect);

            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the broker stops on SIGTERM");
            assertEquals(0, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            assertTrue(Files.readString(log, StandardCharsets.UTF_8).contains("HeraldMQ stopped"));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Waits for the broker's ready line and returns its port; a broker that exits first fails with its output. */
    private static int awaitReady(Process process, Path log) {
        AtomicInteger port = new AtomicInteger();
        await("ready line in " + log).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Matcher m = READY.matcher(Files.readString(log, StandardCharsets.UTF_8));
                    if (m.find()) {
                        port.set(Integer.parseInt(m.group(1)));
                        return true;
                    }
                    if (!process.isAlive()) {
                        throw new AssertionError("the broker exited with " + process.exitValue() + ":\n"
                                + Files.readString(log, StandardCharsets.UTF_8));
                    }
                    return false;
                });
        return port.get();
    }

    /** Runs a command to its end in {@code dir}, with {@code stdin} (or none) as input. */
    private Run run(Path dir, String stdin, String... command) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory(root, "run");
        Path in = Files.writeString(tmp.resolve("in"), stdin == null ? "" : stdin, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectInput(in.toFile()).redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        javaHome(builder);
        Process p = builder.start();
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
        }
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }

    /** The script runs $JAVA_HOME/bin/java: the JVM of this test. */
    private static void javaHome(ProcessBuilder builder) {
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("HERALDMQ_JAR");
        builder.environment().remove("HERALDMQ_CONNECT_JAR");
        // a quoted value with a space: the script splits JAVA_OPTS as the shell does (StartScriptTest)
        builder.environment().put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -Dheraldmq.test.title=\"a b\"");
    }
}
