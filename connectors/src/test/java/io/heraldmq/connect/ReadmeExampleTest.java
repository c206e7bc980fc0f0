package io.heraldmq.connect;

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

/** The connectors file shown in README.md parses and builds (templates, globs, options), so the README stays true. */
class ReadmeExampleTest {
    @Test
    void theReadmeConnectorsFileIsValid() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("# Files and syslog into topics");
        int end = readme.indexOf("```", start);
        Properties p = new Properties();
        p.load(new StringReader(readme.substring(start, end)));
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        List<ConnectorSettings> settings = ConnectorConfig.parse(m);
        assertEquals(List.of("app", "archive", "pg", "syslog"),
                settings.stream().map(ConnectorSettings::name).toList());
        // Built, not started: the factories are never asked for a connection, nor the database.
        ConnectorRuntime runtime = ConnectorRuntime.create(settings, ConnectionFactories::heraldMq);
        assertEquals(4, runtime.connectors().size());
    }

    @Test
    void theReadmeOtlpExampleIsValid() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("# OpenTelemetry logs (OTLP/HTTP)");
        Properties p = new Properties();
        p.load(new StringReader(readme.substring(start, readme.indexOf("```", start))));
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        List<ConnectorSettings> settings = ConnectorConfig.parse(m);
        assertEquals(ConnectorType.OTLP, settings.get(0).type());
        assertEquals(1, ConnectorRuntime.create(settings, ConnectionFactories::heraldMq).connectors().size());
    }
}
