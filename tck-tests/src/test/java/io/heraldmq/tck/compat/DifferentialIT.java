package io.heraldmq.tck.compat;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential suite: every hand-written script of {@link ScriptBook} runs against ActiveMQ Artemis and against
 * HeraldMQ, and their traces must be equal, unless {@code docs/compatibility.md} lists the script as a known
 * difference (then they must still differ, so the list stays true).
 */
class DifferentialIT {
    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();
    @RegisterExtension
    static final ArtemisBroker artemis = new ArtemisBroker();

    @TestFactory
    Stream<DynamicTest> everyScriptBehavesAsOnArtemis() {
        Differential differential = new Differential(artemis::connectionFactory,
                () -> new HeraldConnectionFactory(herald.url()));
        Set<String> known = KnownDifferences.load();
        // -Dcompat.scripts=a,b: only the scripts whose names start with one of these, to look into one by hand
        List<String> only = List.of(System.getProperty("compat.scripts", "").split(","));
        return ScriptBook.all().entrySet().stream()
                .filter(e -> only.stream().anyMatch(prefix -> e.getKey().startsWith(prefix)))
                .map((Map.Entry<String, Script> e) ->
                DynamicTest.dynamicTest(e.getKey(), () -> {
                    Differential.Outcome outcome = differential.run("compat." + e.getKey(), e.getValue());
                    outcome.save(Path.of("target", "compat", e.getKey()));
                    if (known.contains(e.getKey())) {
                        assertFalse(outcome.agrees(), e.getKey() + " is listed in docs/compatibility.md as a "
                                + "difference but now agrees with Artemis: remove it from the list");
                    } else {
                        assertTrue(outcome.agrees(), () -> e.getKey() + " differs from Artemis:\n"
                                + outcome.firstDifference() + "artemis trace:\n  "
                                + String.join("\n  ", outcome.artemis()) + "\nheraldmq trace:\n  "
                                + String.join("\n  ", outcome.herald()));
                    }
                }));
    }
}
