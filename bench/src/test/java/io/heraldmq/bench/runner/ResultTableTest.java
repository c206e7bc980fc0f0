package io.heraldmq.bench.runner;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest {

    private static String row(String table, String labelStart) {
        return table.lines().filter(l -> l.startsWith("| " + labelStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + labelStart + " in\n" + table));
    }

    @Test
    void throughputRatioIsAgainstTheFasterPeer() {
        Map<BrokerKind, Map<String, String>> results = new EnumMap<>(BrokerKind.class);
        results.put(BrokerKind.HERALDMQ, Map.of("fanout.delivered", "900"));
        results.put(BrokerKind.ARTEMIS, Map.of("fanout.delivered", "300"));
        results.put(BrokerKind.CLASSIC, Map.of("fanout.delivered", "200"));
        String line = row(ResultTable.render(List.of(BrokerKind.values()), results), "1.");
        assertTrue(line.contains("| 3.00x | ≥ 3.00x | met |"), line);
    }

    @Test
    void latencyRatioIsAgainstTheLowerPeerAndMissesAboveAFifth() {
        Map<BrokerKind, Map<String, String>> results = new EnumMap<>(BrokerKind.class);
        results.put(BrokerKind.HERALDMQ, Map.of("latency.p99", "50"));
        results.put(BrokerKind.ARTEMIS, Map.of("latency.p99", "100"));
        results.put(BrokerKind.CLASSIC, Map.of("latency.p99", "400"));
        String line = row(ResultTable.render(List.of(BrokerKind.values()), results), "4. latency p99 (from send)");
        assertTrue(line.contains("| 0.50x | ≤ 0.20x | missed |"), line);
    }

    @Test
    void failedAndUnsupportedScenariosShowNoNumberAndAreNotPeers() {
        Map<BrokerKind, Map<String, String>> results = new EnumMap<>(BrokerKind.class);
        results.put(BrokerKind.HERALDMQ, Map.of("transacted.status", "UNSUPPORTED no transactions"));
        results.put(BrokerKind.ARTEMIS, Map.of("transacted.status", "FAILED lost messages"));
        results.put(BrokerKind.CLASSIC, Map.of("transacted.sent", "1000"));
        String table = ResultTable.render(List.of(BrokerKind.values()), results);
        String line = row(table, "5.");
        assertTrue(line.contains("| unsupported | — | — | FAILED | — | 1,000 | n/a |"), line);
        assertTrue(line.endsWith("| missed |"), line);
        assertTrue(table.contains("- Artemis, transacted: FAILED lost messages"), table);
    }

    @Test
    void replayMustReachBothItsRatioAndItsAbsoluteFigure() {
        Map<BrokerKind, Map<String, String>> results = new EnumMap<>(BrokerKind.class);
        results.put(BrokerKind.HERALDMQ, Map.of("replay.delivered", "500000"));
        results.put(BrokerKind.ARTEMIS, Map.of("replay.delivered", "100000"));
        String line = row(ResultTable.render(List.of(BrokerKind.values()), results), "8. replay: ");
        assertTrue(line.contains("| 5.00x | ≥ 3.00x and ≥ 600,000 deliveries/s | missed |"), line);

        results.put(BrokerKind.HERALDMQ, Map.of("replay.delivered", "700000"));
        line = row(ResultTable.render(List.of(BrokerKind.values()), results), "8. replay: ");
        assertTrue(line.endsWith("| met |"), line);
    }

    @Test
    void diskRatioIsHeraldsOwnFigureAgainstItsCeiling() {
        Map<BrokerKind, Map<String, String>> results = new EnumMap<>(BrokerKind.class);
        results.put(BrokerKind.HERALDMQ, Map.of("transacted.disk-ratio", "1.25", "transacted.disk-ratio-log", "1.05"));
        results.put(BrokerKind.ARTEMIS, Map.of("transacted.disk-ratio", "2.5"));
        String table = ResultTable.render(List.of(BrokerKind.values()), results);
        String perBody = row(table, "disk bytes written per body byte stored: 5.");
        assertTrue(perBody.contains("| 1.25 | — | — | 2.50 |"), perBody);
        String perLog = row(table, "disk bytes written per byte of HeraldMQ's log: 5.");
        assertTrue(perLog.contains("| 1.05 |"), perLog);
        assertTrue(perLog.endsWith("| ≤ 1.20 | met |"), perLog);
    }
}
