package io.heraldmq.server.cli;

import picocli.CommandLine.Option;

/**
 * {@code --output text|json}: aligned columns for people, or JSON for scripts. A listing prints one JSON document (an
 * array of objects, or an object for {@code cluster status}); {@code consume} prints one JSON object per line.
 */
public final class OutputOption {
    /** The formats; lower case, as they are typed. */
    enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (the default) or json (for scripts)")
    Format format = Format.text;

    boolean json() {
        return format == Format.json;
    }
}
