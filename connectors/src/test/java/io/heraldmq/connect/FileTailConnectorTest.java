package io.heraldmq.connect;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileTailConnectorTest {
    @Test
    void defaults() {
        FileTailConnector.Options o = FileTailConnector.parse(
                new String[] {"--url", "tcp://h:1", "--file", "/var/log/app.log", "--topic", "logs"});
        assertEquals(new FileTailConnector.Options("tcp://h:1", Path.of("/var/log/app.log"), "logs", false,
                Path.of("app.log.checkpoint"), Duration.ofMillis(500), "file-tail"), o);
    }

    @Test
    void everyOption() {
        FileTailConnector.Options o = FileTailConnector.parse(new String[] {"--queue", "q", "--file", "f",
                "--url", "u", "--checkpoint", "/tmp/cp", "--poll-ms", "50", "--source", "web1"});
        assertEquals(new FileTailConnector.Options("u", Path.of("f"), "q", true, Path.of("/tmp/cp"),
                Duration.ofMillis(50), "web1"), o);
    }

    @Test
    void rejectsBadCommandLines() {
        assertThrows(IllegalArgumentException.class, () -> FileTailConnector.parse(new String[] {"--url", "u"}));
        assertThrows(IllegalArgumentException.class, () -> FileTailConnector.parse(
                new String[] {"--url", "u", "--file", "f"}));
        assertThrows(IllegalArgumentException.class, () -> FileTailConnector.parse(
                new String[] {"--url", "u", "--file", "f", "--topic", "t", "--queue", "q"}));
        assertThrows(IllegalArgumentException.class, () -> FileTailConnector.parse(
                new String[] {"--url", "u", "--file", "f", "--topic", "t", "--poll-ms", "0"}));
        assertThrows(IllegalArgumentException.class, () -> FileTailConnector.parse(
                new String[] {"--url", "u", "--file", "f", "--topic", "t", "--bogus", "1"}));
        assertThrows(IllegalArgumentException.class, () -> FileTailConnector.parse(new String[] {"--url"}));
    }
}
