package io.heraldmq.tck.compat;

import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * ActiveMQ Artemis as the reference the differential tests compare HeraldMQ with: the benchmark's
 * {@code ArtemisLauncher} (persistence and journal sync on, security off, Artemis defaults otherwise) started as a
 * process of its own on 127.0.0.1, and its Jakarta JMS client loaded in a class loader that shares only
 * {@code jakarta.jms} with the test, so that Artemis and its Netty never meet HeraldMQ's Vert.x and Netty.
 * <p>
 * Where it is: the system property {@code artemis.home} (the {@code bench/artemis/target} directory, with
 * {@code classes/} and {@code classpath.txt}), set by this module's failsafe configuration.
 */
public final class ArtemisBroker implements BeforeAllCallback, AfterAllCallback {
    private static final String READY = "BENCH-BROKER-READY";
    private Process process;
    private Path dataDir;
    private int port;
    private URLClassLoader clientLoader;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    public void start() throws Exception {
        Path home = Path.of(System.getProperty("artemis.home", "../bench/artemis/target")).toAbsolutePath();
        List<String> jars = classpath(home);
        dataDir = Files.createTempDirectory("artemis-compat-");
        port = freePort();
        String cp = home.resolve("classes") + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, jars);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(java.toString(), "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", cp,
                "io.heraldmq.bench.artemis.ArtemisLauncher", Integer.toString(port), dataDir.toString())
                .redirectErrorStream(true).start();
        Process started = process;
        // Should the test JVM end without afterAll (a crash, a forked JVM's timeout), Artemis ends with it.
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "artemis-stop"));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        if (output.size() < 200) {
                            output.add(line);
                        }
                    }
                    if (line.startsWith(READY)) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("Artemis ended before it was ready: " + output));
        }, "artemis-output");
        reader.setDaemon(true);
        reader.start();
        ready.get(120, TimeUnit.SECONDS);
        List<URL> urls = new ArrayList<>();
        for (String jar : jars) {
            urls.add(Path.of(jar).toUri().toURL());
        }
        clientLoader = new URLClassLoader("artemis-client", urls.toArray(URL[]::new), new JmsApiOnly());
    }

    /** {@code tcp://127.0.0.1:PORT} of the Artemis client. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /**
     * A new Artemis connection factory (Artemis' defaults, as an application would create one from a URL); the JMS
     * flavour, which is also a QueueConnectionFactory and TopicConnectionFactory.
     */
    public ConnectionFactory connectionFactory() {
        try {
            Class<?> type = clientLoader.loadClass("org.apache.activemq.artemis.jms.client.ActiveMQJMSConnectionFactory");
            return (ConnectionFactory) type.getConstructor(String.class).newInstance(url());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the Artemis connection factory", e);
        }
    }

    public void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
        if (clientLoader != null) {
            clientLoader.close();
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<String> classpath(Path home) {
        Path file = home.resolve("classpath.txt");
        try {
            String text = Files.readString(file).trim();
            List<String> jars = new ArrayList<>();
            for (String entry : text.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    jars.add(entry);
                }
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("no Artemis classpath at " + file
                    + " (build bench/artemis first: mvn -pl bench/artemis package)", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The parent of the Artemis client's loader: the platform's classes and, from the test, jakarta.jms only. */
    private static final class JmsApiOnly extends ClassLoader {
        private final ClassLoader test = ArtemisBroker.class.getClassLoader();

        JmsApiOnly() {
            super("jakarta-jms-only", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("jakarta.jms.")) {
                return test.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        protected URL findResource(String name) {
            return name.startsWith("jakarta/jms/") ? test.getResource(name) : null;
        }
    }
}
