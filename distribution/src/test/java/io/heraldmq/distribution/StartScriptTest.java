package io.heraldmq.distribution;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's {@code bin/heraldmq} in an installation directory whose path has a space, with JAVA_HOME a
 * stand-in JVM that prints each argument it gets on a line of its own: JAVA_OPTS is split as the shell splits a
 * command line (quotes group words), and the options the script adds (the logging file and directory) stay one word
 * each. (DistributionIT runs the real JVM through it with a quoted JAVA_OPTS value.)
 */
class StartScriptTest {
    private static final Path SCRIPT = Path.of("..", "bin", "heraldmq");

    @TempDir
    Path dir;
    private Path home;
    private Path javaHome;

    @BeforeEach
    void installation() throws IOException {
        home = Files.createDirectories(dir.resolve("opt dir/heraldmq"));
        Files.createDirectories(home.resolve("bin"));
        Files.copy(SCRIPT, home.resolve("bin/heraldmq"));
        executable(home.resolve("bin/heraldmq"));
        Files.createDirectories(home.resolve("lib"));
        Files.createFile(home.resolve("lib/heraldmq-server.jar"));
        Files.createDirectories(home.resolve("config"));
        Files.createFile(home.resolve("config/logback.xml"));
        javaHome = Files.createDirectories(dir.resolve("jdk"));
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        executable(java);
    }

    @Test
    void javaOptsAreSplitAsTheShellSplitsThem() throws Exception {
        Path logs = dir.resolve("my logs");
        List<String> args = run(Map.of("JAVA_OPTS", "-Xmx64m  -Dapp.title=\"order broker\" -Dq='it''s' -Dempty=",
                "HERALDMQ_LOG_DIR", logs.toString()), "--port", "0", "two words");
        assertEquals(List.of("-Xmx64m", "-Dapp.title=order broker", "-Dq=its", "-Dempty=",
                "-Dlogback.configurationFile=" + home.resolve("config/logback.xml"),
                "-Dheraldmq.log.dir=" + logs, "-jar", home.resolve("lib/heraldmq-server.jar").toString(),
                "--port", "0", "two words"), args);
    }

    @Test
    void withTheConnectorsJarTheBrokerRunsFromTheClassPath() throws Exception {
        Files.createFile(home.resolve("lib/heraldmq-connect.jar"));
        List<String> args = run(Map.of("JAVA_OPTS", "-Dapp.title=\"order broker\""));
        assertEquals(List.of("-Dapp.title=order broker",
                "-Dlogback.configurationFile=" + home.resolve("config/logback.xml"),
                "-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider", "-cp",
                home.resolve("lib/heraldmq-server.jar") + ":" + home.resolve("lib/heraldmq-connect.jar"),
                "io.heraldmq.server.Main"), args);
    }

    @Test
    void anAdministrativeCommandGetsJavaOptsOnly() throws Exception {
        List<String> args = run(Map.of("JAVA_OPTS", "-Dapp.title=\"order broker\""), "topic", "list", "--url",
                "tcp://127.0.0.1:7440");
        assertEquals(List.of("-Dapp.title=order broker", "-jar", home.resolve("lib/heraldmq-server.jar").toString(),
                "topic", "list", "--url", "tcp://127.0.0.1:7440"), args);
    }

    /** Runs the installed script with these environment variables and arguments; the stand-in JVM's arguments. */
    private List<String> run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/heraldmq").toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().remove("HERALDMQ_JAR");
        builder.environment().remove("HERALDMQ_CONNECT_JAR");
        builder.environment().remove("HERALDMQ_LOG_DIR");
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bin/heraldmq did not finish");
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), printed);
        return printed.lines().toList();
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
