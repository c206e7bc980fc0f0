package io.heraldmq.connect.http;

import io.heraldmq.connect.ConnectionFactories;
import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.connect.ConnectorRuntime;
import io.heraldmq.connect.ConnectorSettings;
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

/** The README's http example parses and builds, and bad http options are refused naming their key. */
class HttpReadmeExampleTest {
    @Test
    void theReadmeHttpExampleIsValid() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("# HTTP in, HTTP out");
        int end = readme.indexOf("```", start);
        Properties p = new Properties();
        p.load(new StringReader(readme.substring(start, end)));
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        List<ConnectorSettings> settings = ConnectorConfig.parse(m);
        // Built, not started: nothing listens and the factories are never asked for a connection.
        ConnectorRuntime runtime = ConnectorRuntime.create(settings, ConnectionFactories::heraldMq);
        assertEquals(2, runtime.connectors().size());
        assertInstanceOf(HttpSourceConnector.class, runtime.connectors().get(0));
        assertInstanceOf(HttpSinkConnector.class, runtime.connectors().get(1));
    }

    @Test
    void badOptionsAreRefusedWithTheirKey() {
        assertTrue(error("http", "destination", "topic://logs.${a b}", "listen", "tcp://127.0.0.1:0")
                .contains("connector.x.destination: ${a b} is not a property name"));
        assertTrue(error("http", "destination", "topic://t", "listen", "udp://127.0.0.1:0")
                .contains("connector.x.listen: not tcp://HOST:PORT or tls://HOST:PORT"));
        assertTrue(error("http", "destination", "topic://t", "listen", "tls://127.0.0.1:0")
                .contains("tls:// needs connector.x.tls.cert"));
        assertTrue(error("http-sink", "destination", "queue://q", "endpoint", "ftp://h/x")
                .contains("connector.x.endpoint: not http://"));
        assertTrue(error("http-sink", "destination", "queue://q", "endpoint", "http://h/x", "index", "i")
                .contains("connector.x.index: only with format = bulk"));
        assertTrue(error("http-sink", "destination", "queue://q", "endpoint", "http://h/x", "headers", "Host: h")
                .contains("connector.x.headers: "));
        assertTrue(error("http-sink", "destination", "queue://q", "endpoint", "http://h/x", "headers", "novalue")
                .contains("connector.x.headers: not Name: value"));
    }

    private static String error(String type, String... options) {
        Map<String, String> m = new HashMap<>();
        m.put("connector.x.type", type);
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector.x." + options[i], options[i + 1]);
        }
        return assertThrows(IllegalArgumentException.class,
                () -> ConnectorRuntime.create(ConnectorConfig.parse(m), ConnectionFactories::heraldMq)).getMessage();
    }
}
