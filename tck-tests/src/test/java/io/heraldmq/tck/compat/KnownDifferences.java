package io.heraldmq.tck.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripts whose outcome on HeraldMQ differs from Artemis on purpose, read from {@code docs/compatibility.md}:
 * the script names in backquotes in the first cell of a table row ({@code | `name`, `other` | ...}).
 */
final class KnownDifferences {
    private static final Pattern FIRST_CELL = Pattern.compile("^\\|([^|]*)\\|");
    private static final Pattern NAME = Pattern.compile("`([a-z0-9.-]+)`");

    private KnownDifferences() {
    }

    static Set<String> load() {
        Path doc = Path.of(System.getProperty("compat.doc", "../docs/compatibility.md"));
        Set<String> names = new HashSet<>();
        try {
            for (String line : Files.readAllLines(doc)) {
                Matcher cell = FIRST_CELL.matcher(line);
                if (cell.find()) {
                    for (Matcher m = NAME.matcher(cell.group(1)); m.find(); ) {
                        names.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the list of known differences " + doc.toAbsolutePath(), e);
        }
        return names;
    }
}
