package io.heraldmq.connect;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Connectors use jakarta.jms only, so any provider can be plugged in: no server or wire-protocol classes in main
 * code, and HeraldMQ's own JMS classes in ConnectionFactories only (and the broker's plugin interface in
 * ConnectorsPlugin).
 */
class PackageDependencyTest {
    @Test
    void mainCodeNamesHeraldMqOnlyWhereTheFactoryIsMade() throws IOException {
        Path main = Path.of("src/main/java/io/heraldmq/connect");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(main)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertFalse(sources.isEmpty(), "no sources found under " + main.toAbsolutePath());
        List<String> offending = sources.stream()
                .flatMap(p -> {
                    try {
                        return Files.readAllLines(p).stream().map(l -> p.getFileName() + ": " + l);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .filter(l -> l.contains("io.heraldmq.") && !l.contains("io.heraldmq.connect"))
                .filter(l -> !l.equals("ConnectionFactories.java: import io.heraldmq.jms.HeraldConnectionFactory;"))
                // the broker's plugin interface, for running the connectors inside the broker process
                .filter(l -> !l.equals("ConnectorsPlugin.java: import io.heraldmq.server.spi.BrokerPlugin;"))
                .toList();
        assertEquals(List.of(), offending);
    }
}
