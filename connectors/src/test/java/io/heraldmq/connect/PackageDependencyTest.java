package io.heraldmq.connect;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Connectors publish through jakarta.jms only (DESIGN.md): no server or wire-protocol classes in main code. */
class PackageDependencyTest {
    @Test
    void mainCodeImportsNeitherServerNorProtocol() throws IOException {
        Path main = Path.of("src/main/java/io/heraldmq/connect");
        List<Path> sources;
        try (Stream<Path> files = Files.list(main)) {
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
                .filter(l -> l.contains("io.heraldmq.server") || l.contains("io.heraldmq.protocol"))
                .toList();
        assertEquals(List.of(), offending);
    }
}
