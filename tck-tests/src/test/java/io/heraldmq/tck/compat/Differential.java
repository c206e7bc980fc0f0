package io.heraldmq.tck.compat;

import jakarta.jms.ConnectionFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a script against ActiveMQ Artemis and against HeraldMQ, each with its own run (the same destination names),
 * and compares their traces.
 */
public final class Differential {
    private final Supplier<ConnectionFactory> artemis;
    private final Supplier<ConnectionFactory> herald;

    public Differential(Supplier<ConnectionFactory> artemis, Supplier<ConnectionFactory> herald) {
        this.artemis = artemis;
        this.herald = herald;
    }

    /** The two traces of one script. */
    public record Outcome(List<String> artemis, List<String> herald) {
        public boolean agrees() {
            return artemis.equals(herald);
        }

        /** Writes both traces ({@code BASE.artemis}, {@code BASE.heraldmq}) for a reviewer's diff tool. */
        public void save(Path base) throws IOException {
            Files.createDirectories(base.getParent());
            Files.write(Path.of(base + ".artemis"), artemis);
            Files.write(Path.of(base + ".heraldmq"), herald);
        }

        /** The first differing line of each, with the lines before it, for a failure message. */
        public String firstDifference() {
            int i = 0;
            while (i < artemis.size() && i < herald.size() && artemis.get(i).equals(herald.get(i))) {
                i++;
            }
            StringBuilder b = new StringBuilder();
            for (int k = Math.max(0, i - 3); k < i; k++) {
                b.append("    ").append(artemis.get(k)).append('\n');
            }
            b.append("  artemis:  ").append(i < artemis.size() ? artemis.get(i) : "(end)").append('\n');
            b.append("  heraldmq: ").append(i < herald.size() ? herald.get(i) : "(end)").append('\n');
            return b.toString();
        }
    }

    public Outcome run(String prefix, Script script) {
        return new Outcome(runOn(artemis.get(), prefix, script), runOn(herald.get(), prefix, script));
    }

    private static List<String> runOn(ConnectionFactory factory, String prefix, Script script) {
        try (Run run = new Run(factory, prefix)) {
            try {
                script.run(run);
            } catch (Exception | AssertionError e) {
                // A call outside the trace's wrappers failed: that is an outcome too.
                run.trace().note("script stopped", Trace.exceptionType(e) + ": " + e.getMessage());
            }
            return run.trace().lines();
        }
    }
}
