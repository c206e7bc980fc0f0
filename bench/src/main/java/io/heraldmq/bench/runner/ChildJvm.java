package io.heraldmq.bench.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Java process started by the runner (a broker, or the load generator against one). Its stdout and stderr go,
 * merged, to a log file, and each line to a listener; {@link #awaitLine} waits for a marker such as a broker's
 * ready line.
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Thread pump;
    private final CountDownLatch markerSeen = new CountDownLatch(1);
    private volatile String marker;

    private ChildJvm(String name, Process process, Path log, Consumer<String> lines) throws IOException {
        this.name = name;
        this.process = process;
        PrintWriter logWriter = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        this.pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)); logWriter) {
                String line;
                while ((line = reader.readLine()) != null) {
                    logWriter.println(line);
                    String m = marker;
                    if (m != null && line.contains(m)) {
                        markerSeen.countDown();
                    }
                    lines.accept(line);
                }
            } catch (IOException e) {
                logWriter.println("[runner] output of " + name + " lost: " + e);
            }
        }, "bench-output-" + name);
        pump.setDaemon(true);
    }

    static ChildJvm start(String name, List<String> jvmOptions, String classpath, String mainClass,
                          List<String> arguments, Path log, String readyMarker, Consumer<String> lines)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ChildJvm child = new ChildJvm(name, process, log, lines);
        child.marker = readyMarker;
        child.pump.start();
        return child;
    }

    /** The process id, for reading its I/O counters ({@code /proc/<pid>/io}). */
    long pid() {
        return process.pid();
    }

    /** True once the ready marker was printed; false when the process died or the time ran out first. */
    boolean awaitReady(long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (markerSeen.await(200, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (!process.isAlive()) {
                return markerSeen.getCount() == 0;
            }
        }
        return false;
    }

    /** Waits for the process to end by itself; kills it when the time runs out. True when it ended in time. */
    boolean awaitExit(long timeoutSeconds) throws InterruptedException {
        boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            close();
        }
        pump.join(5_000);
        return ended;
    }

    /** SIGTERM, then a forced kill if it has not ended within 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
