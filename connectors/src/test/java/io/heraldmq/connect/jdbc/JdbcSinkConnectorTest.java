package io.heraldmq.connect.jdbc;

import io.heraldmq.connect.ConnectionFactories;
import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.connect.ConnectorType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jdbc-sink's configuration is checked when the connector is made, before it touches the broker or database. */
class JdbcSinkConnectorTest {
    private static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>();
        m.put("connector.pg.type", "jdbc-sink");
        m.put("connector.pg.destination", "topic://logs.web");
        m.put("connector.pg.subscription", "pg");
        m.put("connector.pg.jdbc.url", "jdbc:postgresql://127.0.0.1:1/logs?password=secret");
        m.put("connector.pg.table", "logs");
        m.put("connector.pg.columns", "id=JMSMessageID,line=body");
        return m;
    }

    private static String error(Map<String, String> m) {
        return assertThrows(IllegalArgumentException.class, () -> ConnectorType.JDBC_SINK.create(
                ConnectorConfig.parse(m).get(0), ConnectionFactories.heraldMq("tcp://127.0.0.1:1"))).getMessage();
    }

    @Test
    void aValidConfigurationMakesAConnectorWithoutConnectingAnywhere() {
        var settings = ConnectorConfig.parse(valid()).get(0);
        assertEquals(ConnectorType.JDBC_SINK, settings.type());
        assertEquals(1000, settings.get(JdbcSinkConnector.BATCH_SIZE));
        assertEquals("pg", settings.type().create(settings, ConnectionFactories.heraldMq("tcp://127.0.0.1:1")).name());
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        Map<String, String> m = valid();
        m.put("connector.pg.dedup.column", "seq");
        assertTrue(error(m).contains("connector.pg.dedup.column: seq is not one of the columns"), error(m));
        m = valid();
        m.put("connector.pg.jdbc.url", "postgresql://db/logs");
        assertTrue(error(m).contains("connector.pg.jdbc.url: not a JDBC URL"), error(m));
        m = valid();
        m.put("connector.pg.destination", "queue://logs");
        assertTrue(error(m).contains("connector.pg.subscription: a queue has no subscriptions"), error(m));
        m = valid();
        m.put("connector.pg.columns", "line=JMSBody");
        assertTrue(error(m).contains("connector.pg.columns: unknown JMS header JMSBody"), error(m));
        m = valid();
        m.remove("connector.pg.table");
        assertTrue(error(m).contains("missing key connector.pg.table"), error(m));
    }
}
