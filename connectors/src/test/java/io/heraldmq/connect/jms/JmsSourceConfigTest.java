package io.heraldmq.connect.jms;

import io.heraldmq.connect.ConnectionFactories;
import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.connect.ConnectorRuntime;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.connect.ConnectorType;
import io.heraldmq.connect.DestinationName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jms source's options and the {@code jndi.*} families, checked before anything connects. */
class JmsSourceConfigTest {
    /** HeraldMQ's own JNDI: binds factories without connecting, so lookups need no broker. */
    private static final String HERALD_JNDI = "io.heraldmq.jndi.HeraldInitialContextFactory";

    private static Map<String, String> bridge(String... more) {
        Map<String, String> m = new HashMap<>();
        m.put("connector.b.type", "jms");
        m.put("connector.b.destination", "topic://in.${type}");
        m.put("connector.b.source.destination", "queue://orders");
        m.put("connector.b.source.jndi.java.naming.factory.initial", HERALD_JNDI);
        m.put("connector.b.source.jndi.connectionFactory.cf", "tcp://127.0.0.1:1");
        m.put("connector.b.source.connection.factory", "cf");
        for (int i = 0; i < more.length; i += 2) {
            m.put("connector.b." + more[i], more[i + 1]);
        }
        return m;
    }

    private static String error(Map<String, String> m) {
        return assertThrows(IllegalArgumentException.class, () -> ConnectorRuntime.create(ConnectorConfig.parse(m),
                ConnectionFactories::heraldMq)).getMessage();
    }

    @Test
    void keysOfAFamilyAreCollectedAndTheFactoryIsLookedUpWhenTheConnectorIsMade() {
        List<ConnectorSettings> all = ConnectorConfig.parse(bridge("batch.size", "50"));
        ConnectorSettings s = all.get(0);
        assertEquals(ConnectorType.JMS, s.type());
        assertEquals(Map.of("java.naming.factory.initial", HERALD_JNDI, "connectionFactory.cf",
                "tcp://127.0.0.1:1"), s.get(JmsSourceConnector.SOURCE_JNDI));
        assertEquals(new DestinationName(true, "orders"), s.get(JmsSourceConnector.SOURCE_DESTINATION));
        assertEquals(50, s.get(JmsSourceConnector.BATCH_SIZE));
        assertEquals(Map.of(), s.get(io.heraldmq.connect.CommonOptions.JNDI));
        ConnectorRuntime runtime = ConnectorRuntime.create(all, ConnectionFactories::heraldMq);
        assertInstanceOf(JmsSourceConnector.class, runtime.connectors().get(0));
    }

    @Test
    void badSourceSettingsNameTheirKey() {
        Map<String, String> noJndi = bridge();
        noJndi.remove("connector.b.source.jndi.java.naming.factory.initial");
        noJndi.remove("connector.b.source.jndi.connectionFactory.cf");
        assertTrue(error(noJndi).contains("missing keys connector.b.source.jndi.*"), error(noJndi));
        String e = error(bridge("source.jndi.java.naming.factory.initial", "org.example.NoSuchFactory"));
        assertTrue(e.startsWith("connector.b.source.jndi.*: cannot look up cf"), e);
        e = error(bridge("source.connection.factory", "nothing-bound-here"));
        assertTrue(e.startsWith("connector.b.source.jndi.*: cannot look up nothing-bound-here"), e);
        e = error(bridge("source.jndi.queue.cf2", "q", "source.connection.factory", "cf2"));
        assertTrue(e.contains("cf2 is a io.heraldmq.jms.HeraldQueue, not a jakarta.jms.ConnectionFactory"), e);
        e = error(bridge("source.subscription", "s"));
        assertTrue(e.contains("connector.b.source.subscription: a queue has no subscriptions"), e);
        e = error(bridge("destination", "topic://in.${app}"));
        assertTrue(e.contains("connector.b.destination: unknown field ${app}"), e);
        e = error(bridge("source.classpath", "/no/such/client.jar"));
        assertTrue(e.contains("connector.b.source.classpath: no such file or directory: /no/such/client.jar"), e);
        e = assertThrows(IllegalArgumentException.class, () -> ConnectorConfig.parse(bridge("source.destination",
                "orders"))).getMessage();
        assertTrue(e.contains("connector.b.source.destination: not topic://NAME or queue://NAME"), e);
        e = assertThrows(IllegalArgumentException.class, () -> ConnectorConfig.parse(bridge("source.jdni.x", "y")))
                .getMessage();
        assertTrue(e.contains("unknown key connector.b.source.jdni.x") && e.contains("source.jndi.*"), e);
    }

    @Test
    void anyConnectorsBrokerMayBeNamedByJndiInsteadOfAUrl() {
        Map<String, String> sink = new HashMap<>(Map.of("connector.s.type", "file-sink",
                "connector.s.destination", "queue://q", "connector.s.directory", "/tmp/unused",
                "connector.s.jndi.java.naming.factory.initial", HERALD_JNDI,
                "connector.s.jndi.connectionFactory.cf", "tcp://127.0.0.1:1",
                "connector.s.connection.factory", "cf"));
        // Made, not started: the lookup alone is enough here.
        assertEquals(1, ConnectorRuntime.create(ConnectorConfig.parse(sink), url -> {
            throw new AssertionError("a broker named by JNDI needs no url");
        }).connectors().size());
        // Inside the broker the connectors default to its url, but not one whose broker JNDI names.
        assertEquals(1, ConnectorRuntime.create(ConnectorConfig.parse(sink, "tcp://127.0.0.1:7440"), url -> {
            throw new AssertionError("a broker named by JNDI needs no url");
        }).connectors().size());
        sink.put("connector.s.url", "tcp://127.0.0.1:7440");
        assertTrue(error(sink).contains("connector.s.url and connector.s.jndi.* both name the broker"), error(sink));
        Map<String, String> noJndi = new HashMap<>(Map.of("connector.s.type", "file-sink",
                "connector.s.destination", "queue://q", "connector.s.directory", "/tmp/unused",
                "connector.s.connection.factory", "cf"));
        assertTrue(error(noJndi).contains("connector.s.connection.factory needs connector.s.jndi.* keys"),
                error(noJndi));
    }

    /** The README's Artemis examples parse, and build once their jars are this test's class path. */
    @Test
    void theReadmeExamplesAreValid() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String marker : List.of("connector.app.jndi.java.naming", "# ActiveMQ Artemis into HeraldMQ")) {
            int start = readme.lastIndexOf("```", readme.indexOf(marker)) + 3;
            int end = readme.indexOf("```", start);
            Properties p = new Properties();
            p.load(new StringReader(readme.substring(start, end)));
            Map<String, String> m = new HashMap<>();
            p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
            List<ConnectorSettings> settings = ConnectorConfig.parse(m);
            assertEquals(1, settings.size(), marker);
            // The example's directory of Artemis jars does not exist here; the test's class path has them.
            m.keySet().removeIf(k -> k.endsWith("classpath"));
            assertEquals(1, ConnectorRuntime.create(ConnectorConfig.parse(m), ConnectionFactories::heraldMq)
                    .connectors().size(), marker);
        }
    }
}
