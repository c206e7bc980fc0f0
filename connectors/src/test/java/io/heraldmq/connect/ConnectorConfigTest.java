package io.heraldmq.connect;

import io.heraldmq.connect.file.FileSourceConnector;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectorConfigTest {
    private static String error(Map<String, String> m) {
        return assertThrows(IllegalArgumentException.class, () -> ConnectorConfig.parse(m)).getMessage();
    }

    @Test
    void parsesSeveralConnectorsWithDefaultsAndValues() {
        List<ConnectorSettings> all = ConnectorConfig.parse(Map.of(
                "connector.app.type", "file",
                "connector.app.path", "/var/log/app/*.log",
                "connector.app.destination", "topic://logs.${filename}",
                "connector.app.poll.interval", "50ms",
                "connector.app.max.line.bytes", "8k",
                "connector.sys.type", "syslog",
                "connector.sys.listen", "udp://127.0.0.1:0,tcp://127.0.0.1:0",
                "connector.sys.destination", "queue://syslog"));
        assertEquals(2, all.size());
        ConnectorSettings app = all.get(0);
        assertEquals("app", app.name());
        assertEquals(ConnectorType.FILE, app.type());
        assertEquals(Duration.ofMillis(50), app.get(FileSourceConnector.POLL_INTERVAL));
        assertEquals(8192L, app.get(CommonOptions.MAX_LINE_BYTES));
        assertEquals(10_000, app.get(CommonOptions.WINDOW));
        assertEquals("tcp://127.0.0.1:7440", app.get(CommonOptions.URL));
        assertEquals(ConnectorType.SYSLOG, all.get(1).type());
    }

    @Test
    void unknownKeysAreRefusedWithTheKeyNamed() {
        String e = error(Map.of("connector.a.type", "file", "connector.a.path", "x", "connector.a.destination",
                "topic://t", "connector.a.pth", "y"));
        assertTrue(e.contains("unknown key connector.a.pth"), e);
        assertTrue(error(Map.of("port", "1")).contains("unknown key port"));
        assertTrue(error(Map.of("connector.a", "1")).contains("unknown key connector.a"));
    }

    @Test
    void unknownTypesAreRefusedNamingTheSupportedOnes() {
        // Every type of the file format is built now, so no type is refused as "not yet supported".
        String e = error(Map.of("connector.h.type", "kafka"));
        assertTrue(e.contains("connector.h.type: unknown type kafka (supported: [file, syslog, file-sink, http, otlp,"
                + " jms, http-sink, jdbc-sink])"), e);
    }

    @Test
    void missingAndMalformedValuesNameTheirKey() {
        assertTrue(error(Map.of("connector.a.path", "x")).contains("missing key connector.a.type"));
        assertTrue(error(Map.of("connector.a.type", "file", "connector.a.destination", "topic://t"))
                .contains("missing key connector.a.path"));
        String e = error(Map.of("connector.a.type", "file", "connector.a.path", "x", "connector.a.destination",
                "topic://t", "connector.a.window", "lots"));
        assertTrue(e.contains("connector.a.window: not a number: lots"), e);
        e = error(Map.of("connector.a.type", "file", "connector.a.path", "x", "connector.a.destination",
                "topic://t", "connector.a.long.lines", "wrap"));
        assertTrue(e.contains("not one of [cut, refuse]"), e);
        e = assertThrows(IllegalArgumentException.class, () -> ConnectorRuntime.create(ConnectorConfig.parse(
                Map.of("connector.s.type", "syslog", "connector.s.destination", "topic://t",
                        "connector.s.listen", "tls://127.0.0.1:6514")), ConnectionFactories::heraldMq)).getMessage();
        assertTrue(e.contains("tls:// needs connector.s.tls.cert and connector.s.tls.key"), e);
        e = error(Map.of("connector.s.type", "syslog", "connector.s.destination", "topic://t",
                "connector.s.listen", "http://127.0.0.1:80"));
        assertTrue(e.contains("connector.s.listen: not tcp://, udp:// or tls://HOST:PORT"), e);
        assertTrue(error(Map.of()).contains("no connectors"));
    }

    @Test
    void destinationTemplatesKnowTheirFields() {
        DestinationTemplate t = DestinationTemplate.parse("topic://logs.${app}.${host}", java.util.Set.of("app",
                "host"));
        assertEquals(new DestinationName(false, "logs.web.h1_example_com"),
                t.render(f -> f.equals("app") ? "web" : "h1/example com"));
        assertEquals(new DestinationName(false, "logs.unknown.unknown"), t.render(f -> null));
        assertEquals(new DestinationName(true, "q"), DestinationTemplate.parse("queue://q", java.util.Set.of())
                .render(f -> null));
        assertThrows(IllegalArgumentException.class, () -> DestinationTemplate.parse("topic://${nope}",
                java.util.Set.of("app")));
        assertThrows(IllegalArgumentException.class, () -> DestinationTemplate.parse("logs", java.util.Set.of()));
    }

    @Test
    void durationsAndSizes() {
        assertEquals(Duration.ofMinutes(5), Option.duration("5m"));
        assertEquals(3L * 1024 * 1024, Option.bytes("3m"));
        assertThrows(IllegalArgumentException.class, () -> Option.duration("5"));
        assertThrows(IllegalArgumentException.class, () -> Option.bytes("-1"));
    }
}
