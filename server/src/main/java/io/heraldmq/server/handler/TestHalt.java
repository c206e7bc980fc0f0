package io.heraldmq.server.handler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fault injection for the cluster ITs: a system property naming destinations (comma-separated) whose transactions
 * halt the broker at one step, as kill -9 would stop it. A list, so that the tests of one class can share one cluster
 * and still each halt it with a destination of its own. Unset in production: then it names nothing.
 */
public final class TestHalt {
    private static final Logger LOG = LoggerFactory.getLogger(TestHalt.class);

    /**
     * {@code heraldmq.test.haltAfterDecisionTo}: the coordinator halts once a decision with a part in one of these
     * destinations is committed, before anything of it is applied ({@link ReplicatedCommit},
     * {@code gateway.SpanningCommit}).
     */
    public static final TestHalt AFTER_DECISION = new TestHalt("heraldmq.test.haltAfterDecisionTo", "deciding");
    /**
     * {@code heraldmq.test.haltAfterPrepareOf}: a leader halts once it has prepared a part in one of these
     * destinations, before it answers ({@link TxParts}).
     */
    public static final TestHalt AFTER_PREPARE = new TestHalt("heraldmq.test.haltAfterPrepareOf", "preparing");

    private final String property;
    private final String step;
    private final List<String> destinations;

    private TestHalt(String property, String step) {
        this.property = property;
        this.step = step;
        String value = System.getProperty(property);
        this.destinations = value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(d -> !d.isEmpty()).toList();
    }

    /**
     * Halts the broker if one of {@code partitions} (keys {@code kind:destination:partition}) is in a destination
     * the property names; {@code transaction} is for the log line.
     */
    public void haltIfTouched(Stream<String> partitions, Object transaction) {
        if (destinations.isEmpty()) {
            return;
        }
        if (partitions.anyMatch(key -> destinations.stream().anyMatch(d -> key.contains(":" + d + ":")))) {
            LOG.error("{}: halting after {} {}", property, step, transaction);
            Runtime.getRuntime().halt(137);
        }
    }
}
