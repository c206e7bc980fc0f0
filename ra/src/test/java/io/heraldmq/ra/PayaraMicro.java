package io.heraldmq.ra;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Payara Micro 6 as a process of its own, with the resource adapter and the test application deployed by a
 * post-boot command file: the adapter's configuration (broker URL), the RAR, a connection pool of the adapter's
 * connection definition (XATransaction) bound as {@code jms/heraldCF}, then the war. The client's failover is off
 * ({@code reconnectTimeoutMs=0}), so that a killed broker fails the connections at once: the transaction manager, not
 * the client's reconnection, has to complete a prepared branch, and the beans' activations have to connect again
 * by themselves. It needs no network beyond
 * 127.0.0.1 ({@code --nocluster}: no Hazelcast discovery).
 * <p>
 * The server can be killed and started again on the same root directory ({@code --rootdir}: its configuration,
 * deployments and transaction log, {@code <rootdir>/logs/server/tx}), with automatic recovery on (the transaction
 * service's {@code automatic-recovery}, off by default), so the restarted server completes the transactions its log
 * holds as it starts.
 */
final class PayaraMicro {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(150);

    private final Path dir;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    PayaraMicro(Path dir, int httpPort) {
        this.dir = dir;
        this.httpPort = httpPort;
    }

    Path rootDir() {
        return dir.resolve("root");
    }

    Path log() {
        return dir.resolve("payara.log");
    }

    /** Boots the server with the RAR and the test application; returns once it says it is ready. */
    void start(String brokerUrl) throws IOException {
        boot(postBootCommands(brokerUrl));
    }

    /** Boots the server again after {@link #kill}: configuration, deployments and transaction log as it left them. */
    void restart() throws IOException {
        boot(List.of());
    }

    private List<String> postBootCommands(String brokerUrl) throws IOException {
        Path rar = Path.of(System.getProperty("heraldmq.rar", "target/heraldmq-ra.rar")).toAbsolutePath();
        Path war = buildWar(dir.resolve("ra-app.war"));
        String url = escape(brokerUrl + "?reconnectTimeoutMs=0");
        return List.of(
                "set configs.config.server-config.transaction-service.automatic-recovery=true",
                "create-resource-adapter-config --property connectionURL=" + url + " heraldmq-ra",
                "deploy --name heraldmq-ra " + rar,
                "create-connector-connection-pool --raname heraldmq-ra --connectiondefinition"
                        + " jakarta.jms.ConnectionFactory --transactionsupport XATransaction --steadypoolsize 0"
                        + " --property connectionURL=" + url + " heraldmq-pool",
                "create-connector-resource --poolname heraldmq-pool jms/heraldCF",
                "deploy --name ra-app --contextroot ra-app " + war);
    }

    private void boot(List<String> postBootCommands) throws IOException {
        Path jar = Path.of(System.getProperty("payara.micro.jar"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--nocluster", "--port", Integer.toString(httpPort),
                "--rootdir", rootDir().toString()));
        if (!postBootCommands.isEmpty()) {
            Path commands = dir.resolve("post-boot.asadmin");
            Files.write(commands, postBootCommands);
            command.addAll(List.of("--postbootcommandfile", commands.toString()));
        }
        long from = Files.exists(log()) ? Files.size(log()) : 0;
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        Process p = process;
        await("Payara Micro ready").atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            byte[] all = Files.readAllBytes(log());
            String out = new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
            if (!p.isAlive()) {
                throw new AssertionError("Payara Micro exited with " + p.exitValue() + ":\n" + out);
            }
            if (out.contains("Boot Command ") && out.contains(" failed")) {
                throw new AssertionError("a post-boot command failed; see " + log());
            }
            return out.contains("ready in");
        });
    }

    /** Escapes ':' and '=' as asadmin property values need. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=");
    }

    /** The test application: this package's {@code app} classes under WEB-INF/classes. */
    private static Path buildWar(Path war) throws IOException {
        Path classes = Path.of("target", "test-classes");
        Path app = classes.resolve("io/heraldmq/ra/app");
        try (OutputStream out = Files.newOutputStream(war); JarOutputStream jar = new JarOutputStream(out);
             Stream<Path> files = Files.list(app)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                jar.putNextEntry(new JarEntry("WEB-INF/classes/" + classes.relativize(f).toString()
                        .replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        }
        return war;
    }

    /** GET of the test servlet; the body, whatever the status. */
    String get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofString()).body();
    }

    HttpResponse<String> getResponse(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
        return http.sendAsync(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ra-app/t/" + pathAndQuery))
                .timeout(Duration.ofSeconds(150)).GET().build();
    }

    /** SIGKILL, as a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
