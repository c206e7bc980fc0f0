package io.heraldmq.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged broker as a user runs it: a real process that announces its port and stops cleanly on SIGTERM. */
class ServerProcessIT {
    private static final Pattern READY = Pattern.compile("HeraldMQ ready on tcp://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void startsPrintsReadyLineAndExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        Path jar = Path.of("target", "heraldmq-server.jar");
        assertTrue(Files.exists(jar), "run after package: " + jar.toAbsolutePath());
        Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--port", "0", "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            int port = -1;
            while ((line = out.readLine()) != null) {
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    break;
                }
            }
            assertTrue(port > 0, "no ready line");
            try (Socket s = new Socket("127.0.0.1", port)) {
                assertTrue(s.isConnected());
            }
            // Process.destroy() would also close our end of the pipes; kill sends SIGTERM and leaves them.
            new ProcessBuilder("kill", "-TERM", Long.toString(broker.pid())).start().waitFor();
            assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "broker did not stop");
            assertEquals(0, broker.exitValue());
            StringBuilder rest = new StringBuilder();
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertTrue(rest.toString().contains("HeraldMQ stopped"), rest.toString());
            assertTrue(Files.isDirectory(dir.resolve("data").resolve("meta")));
        } finally {
            broker.destroyForcibly();
        }
    }
}
