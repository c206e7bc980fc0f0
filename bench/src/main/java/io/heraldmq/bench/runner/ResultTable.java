package io.heraldmq.bench.runner;

import io.heraldmq.bench.ScenarioKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison as one markdown table: a row per reported number, a column per broker that ran, HeraldMQ's ratio to the
 * better of the other two, the target for that row and whether it is met. A broker that failed or does not
 * support a scenario shows FAILED or unsupported instead of a number, and is left out of "better peer".
 */
final class ResultTable {

    private enum Goal { HIGHER, LOWER }

    /**
     * {@code ratio}: HeraldMQ / better peer must reach it (HIGHER) or stay under it (LOWER); {@code absolute}:
     * HeraldMQ's own value must reach it (HIGHER) or stay under it (LOWER); both: both; neither: the row is for
     * information.
     */
    private record Row(String label, ScenarioKey scenario, String metric, String unit, Goal goal, Double ratio,
                       Double absolute) {
        String target() {
            String sign = goal == Goal.HIGHER ? "≥ " : "≤ ";
            List<String> parts = new ArrayList<>();
            if (ratio != null) {
                parts.add(sign + format(ratio) + "x");
            }
            if (absolute != null) {
                parts.add(sign + format(absolute) + (unit.isEmpty() ? "" : " " + unit));
            }
            return parts.isEmpty() ? "—" : String.join(" and ", parts);
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row("1. topic fan-out, 1→4 non-durable, NON_PERSISTENT", ScenarioKey.FANOUT, "delivered",
                    "deliveries/s", Goal.HIGHER, 3.0, null),
            new Row("2. durable, 1 sync PERSISTENT producer → 4 durable subs", ScenarioKey.DURABLE, "sent", "msg/s",
                    Goal.HIGHER, 2.0, null),
            new Row("3. queue, 1 sync PERSISTENT producer → 2 competing consumers", ScenarioKey.QUEUE, "sent",
                    "msg/s", Goal.HIGHER, 2.0, null),
            new Row("4. latency p50 (from send), 1 paced producer → 1 sub", ScenarioKey.LATENCY, "p50", "µs",
                    Goal.LOWER, null, 100.0),
            new Row("4. latency p99 (from send)", ScenarioKey.LATENCY, "p99", "µs", Goal.LOWER, 0.2, null),
            new Row("4. latency p99.9 (from send)", ScenarioKey.LATENCY, "p999", "µs", Goal.LOWER, null, null),
            new Row("4. latency p50 (from schedule)", ScenarioKey.LATENCY, "co_p50", "µs", Goal.LOWER, null, null),
            new Row("4. latency p99 (from schedule)", ScenarioKey.LATENCY, "co_p99", "µs", Goal.LOWER, null, null),
            new Row("4. latency p99.9 (from schedule)", ScenarioKey.LATENCY, "co_p999", "µs", Goal.LOWER, null,
                    null),
            new Row("5. transacted, commit every 100, PERSISTENT → 1 queue consumer", ScenarioKey.TRANSACTED, "sent",
                    "msg/s", Goal.HIGHER, 2.0, null),
            new Row("6. many producers, 16 sync PERSISTENT → topic, 4 durable subs", ScenarioKey.MANY_PRODUCERS,
                    "sent", "msg/s", Goal.HIGHER, 2.0, null),
            new Row("7. backlog drain by a durable subscriber", ScenarioKey.BACKLOG, "drain", "msg/s", Goal.HIGHER,
                    null, null),
            new Row("7. backlog publish (async PERSISTENT sends, no consumer)", ScenarioKey.BACKLOG, "publish",
                    "msg/s", Goal.HIGHER, null, null),
            new Row("8. replay: 4 durable subs opened at once on a backlog in the page cache", ScenarioKey.REPLAY,
                    "delivered", "deliveries/s", Goal.HIGHER, 3.0, 600_000.0),
            new Row("8. replay: broker CPU per delivery", ScenarioKey.REPLAY, "broker-cpu-us", "µs", Goal.LOWER,
                    null, null),
            new Row("8. replay publish (async PERSISTENT sends, subs closed)", ScenarioKey.REPLAY, "publish",
                    "msg/s", Goal.HIGHER, null, null),
            new Row("9. replay from disk (page cache dropped first)", ScenarioKey.REPLAY_COLD, "delivered",
                    "deliveries/s", Goal.HIGHER, null, null),
            new Row("9. replay from disk: backlog bytes read", ScenarioKey.REPLAY_COLD, "read-mbps", "MB/s",
                    Goal.HIGHER, null, null),
            new Row("disk bytes written per body byte stored: 2. durable", ScenarioKey.DURABLE, "disk-ratio", "",
                    Goal.LOWER, null, null),
            new Row("disk bytes written per body byte stored: 3. queue", ScenarioKey.QUEUE, "disk-ratio", "",
                    Goal.LOWER, null, null),
            new Row("disk bytes written per body byte stored: 5. transacted", ScenarioKey.TRANSACTED, "disk-ratio", "",
                    Goal.LOWER, null, null),
            new Row("disk bytes written per body byte stored: 6. many producers", ScenarioKey.MANY_PRODUCERS, "disk-ratio", "",
                    Goal.LOWER, null, null),
            new Row("disk bytes written per body byte stored: 7. backlog", ScenarioKey.BACKLOG, "disk-ratio", "",
                    Goal.LOWER, null, null),
            new Row("disk bytes written per body byte stored: 8. replay", ScenarioKey.REPLAY, "disk-ratio", "",
                    Goal.LOWER, null, null),
            new Row("disk bytes written per byte of HeraldMQ's log: 2. durable", ScenarioKey.DURABLE, "disk-ratio-log",
                    "", Goal.LOWER, null, 1.2),
            new Row("disk bytes written per byte of HeraldMQ's log: 3. queue", ScenarioKey.QUEUE, "disk-ratio-log",
                    "", Goal.LOWER, null, 1.2),
            new Row("disk bytes written per byte of HeraldMQ's log: 5. transacted", ScenarioKey.TRANSACTED, "disk-ratio-log",
                    "", Goal.LOWER, null, 1.2),
            new Row("disk bytes written per byte of HeraldMQ's log: 8. replay", ScenarioKey.REPLAY, "disk-ratio-log",
                    "", Goal.LOWER, null, 1.2));

    private ResultTable() {
    }

    /**
     * @param results per broker: {@code scenario.metric} → number, and {@code scenario.status} → "FAILED reason" or
     *                "UNSUPPORTED reason" for a scenario that gave no numbers
     */
    static String render(List<BrokerKind> brokers, Map<BrokerKind, Map<String, String>> results) {
        StringBuilder out = new StringBuilder();
        List<BrokerKind> columns = new ArrayList<>();
        for (BrokerKind broker : BrokerKind.values()) {
            if (brokers.contains(broker)) {
                columns.add(broker);
            }
        }
        out.append("| scenario | unit |");
        for (BrokerKind broker : columns) {
            out.append(' ').append(broker.displayName()).append(" |");
        }
        out.append(" HeraldMQ / better peer | target | met |\n");
        out.append("| --- | --- |").append(" ---: |".repeat(columns.size()))
                .append(" ---: | --- | --- |\n");
        for (Row row : ROWS) {
            out.append("| ").append(row.label()).append(" | ").append(row.unit()).append(" |");
            for (BrokerKind broker : columns) {
                out.append(' ').append(cell(results.get(broker), row)).append(" |");
            }
            Double herald = number(results.get(BrokerKind.HERALDMQ), row);
            Double peer = betterPeer(results, row);
            Double ratio = herald != null && peer != null && peer > 0 ? herald / peer : null;
            out.append(' ').append(ratio == null ? "n/a" : format(ratio) + "x").append(" | ")
                    .append(row.target()).append(" | ").append(met(row, herald, ratio)).append(" |\n");
        }
        List<String> notes = new ArrayList<>();
        for (BrokerKind broker : brokers) {
            Map<String, String> values = results.get(broker);
            for (ScenarioKey scenario : ScenarioKey.values()) {
                String status = values == null ? null : values.get(scenario.key() + ".status");
                if (status != null) {
                    notes.add("- " + broker.displayName() + ", " + scenario.key() + ": " + status);
                }
            }
        }
        if (!notes.isEmpty()) {
            out.append('\n').append(String.join("\n", notes)).append('\n');
        }
        return out.toString();
    }

    private static String cell(Map<String, String> values, Row row) {
        if (values == null) {
            return "—";
        }
        String status = values.get(row.scenario().key() + ".status");
        if (status != null) {
            return status.startsWith("UNSUPPORTED") ? "unsupported" : "FAILED";
        }
        Double value = number(values, row);
        return value == null ? "—" : format(value);
    }

    private static Double number(Map<String, String> values, Row row) {
        if (values == null || values.containsKey(row.scenario().key() + ".status")) {
            return null;
        }
        String raw = values.get(row.scenario().key() + "." + row.metric());
        return raw == null ? null : Double.valueOf(raw);
    }

    private static Double betterPeer(Map<BrokerKind, Map<String, String>> results, Row row) {
        Double best = null;
        for (BrokerKind peer : List.of(BrokerKind.ARTEMIS, BrokerKind.CLASSIC)) {
            Double value = number(results.get(peer), row);
            if (value != null && (best == null
                    || (row.goal() == Goal.HIGHER ? value > best : value < best))) {
                best = value;
            }
        }
        return best;
    }

    private static String met(Row row, Double herald, Double ratio) {
        if (row.ratio() == null && row.absolute() == null) {
            return "—";
        }
        if (herald == null) {
            return "missed";
        }
        boolean higher = row.goal() == Goal.HIGHER;
        if (row.absolute() != null && (higher ? herald < row.absolute() : herald > row.absolute())) {
            return "missed";
        }
        if (row.ratio() == null) {
            return "met";
        }
        if (ratio == null) {
            return "n/a";
        }
        return (higher ? ratio >= row.ratio() : ratio <= row.ratio()) ? "met" : "missed";
    }

    static String format(double value) {
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
