package io.heraldmq.selector;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The broker evaluates selectors without the client's classes: this package may use only the JDK and the protocol. */
class SelectorPackageDependencyTest {

    @Test
    void importsOnlyJdkAndProtocol() throws IOException {
        Path dir = Path.of("src/main/java/io/heraldmq/selector");
        List<String> offending;
        try (Stream<Path> files = Files.list(dir)) {
            offending = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f).stream()
                                    .filter(l -> l.startsWith("import "))
                                    .filter(l -> !l.matches("import (static )?(java\\.|io\\.heraldmq\\.selector\\.|io\\.heraldmq\\.protocol\\.).*"))
                                    .map(l -> f.getFileName() + ": " + l);
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    })
                    .toList();
        }
        assertEquals(List.of(), offending);
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.findAny().isEmpty());
        }
    }
}
