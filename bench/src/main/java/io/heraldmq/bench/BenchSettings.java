package io.heraldmq.bench;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The knobs of one load-generator run, read from system properties (the runner passes its own through):
 * {@code bench.warmup.s} (default 5), {@code bench.measure.s} (10), {@code bench.message.bytes} (1024),
 * {@code bench.backlog.mib} (32; the issue asks for 1024, which takes far longer than the 10-minute budget with
 * synchronous-disk brokers), {@code bench.replay.mib} (1024: the backlog the replay scenarios publish, as the issue
 * asks), {@code bench.latency.rate} (10000 msg/s), {@code bench.drain.timeout.s} (60: a
 * scenario fails when no message arrives for this long while some are still missing) and
 * {@code bench.scenarios} (comma separated keys of {@link ScenarioKey}, default all).
 */
public record BenchSettings(long warmupMs, long measureMs, int messageBytes, long backlogBytes, long replayBytes,
                            int latencyRate, long drainTimeoutMs, Set<ScenarioKey> scenarios) {

    public static BenchSettings fromSystemProperties() {
        String scenarioList = System.getProperty("bench.scenarios", "all");
        Set<ScenarioKey> keys = new LinkedHashSet<>();
        if (scenarioList.isBlank() || scenarioList.equals("all")) {
            keys.addAll(Arrays.asList(ScenarioKey.values()));
        } else {
            for (String key : scenarioList.split(",")) {
                keys.add(ScenarioKey.parse(key.trim()));
            }
        }
        return new BenchSettings(
                seconds("bench.warmup.s", 5),
                seconds("bench.measure.s", 10),
                Integer.getInteger("bench.message.bytes", 1024),
                mebibytes("bench.backlog.mib", "32"),
                mebibytes("bench.replay.mib", "1024"),
                Integer.getInteger("bench.latency.rate", 10_000),
                seconds("bench.drain.timeout.s", 60),
                keys);
    }

    private static long mebibytes(String property, String defaultValue) {
        return (long) (Double.parseDouble(System.getProperty(property, defaultValue)) * 1024 * 1024);
    }

    private static long seconds(String property, double defaultSeconds) {
        return (long) (Double.parseDouble(System.getProperty(property, Double.toString(defaultSeconds))) * 1000);
    }

    /** The system properties that carry these settings, for a child JVM's command line. */
    public static List<String> propertyNames() {
        return List.of("bench.warmup.s", "bench.measure.s", "bench.message.bytes", "bench.backlog.mib",
                "bench.replay.mib", "bench.latency.rate", "bench.drain.timeout.s", "bench.scenarios");
    }
}
