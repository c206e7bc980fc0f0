package io.heraldmq.server.spi;

import io.heraldmq.server.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerPluginsTest {
    /** Records what the host does with it. */
    private static final class RecordingPlugin implements BrokerPlugin {
        final List<String> calls = new ArrayList<>();
        private final String prefix;
        private final boolean failStart;

        RecordingPlugin(String prefix, boolean failStart) {
            this.prefix = prefix;
            this.failStart = failStart;
        }

        @Override
        public String keyPrefix() {
            return prefix;
        }

        @Override
        public void start(Map<String, String> keys, String brokerUrl) {
            calls.add("start " + keys + " " + brokerUrl);
            if (failStart) {
                throw new IllegalArgumentException("bad key");
            }
        }

        @Override
        public String report() {
            return prefix + " report\n";
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void eachPluginGetsItsOwnKeysAndIsClosedInReverse() throws Exception {
        RecordingPlugin a = new RecordingPlugin("connector.", false);
        RecordingPlugin b = new RecordingPlugin("other.", false);
        BrokerPlugins plugins = new BrokerPlugins(List.of(a, b))
                .configure(Map.of("connector.x.type", "syslog", "other.y", "1"));
        plugins.start("tcp://127.0.0.1:1");
        assertEquals(List.of("start {connector.x.type=syslog} tcp://127.0.0.1:1"), a.calls);
        assertEquals("connector. report\nother. report\n", plugins.report());
        plugins.close();
        assertEquals("close", a.calls.get(1));
        assertEquals("close", b.calls.get(1));
    }

    @Test
    void aPluginWithoutKeysIsNotStarted() throws Exception {
        RecordingPlugin a = new RecordingPlugin("connector.", false);
        BrokerPlugins plugins = new BrokerPlugins(List.of(a)).configure(Map.of());
        assertTrue(plugins.isEmpty());
        plugins.start("tcp://127.0.0.1:1");
        assertTrue(a.calls.isEmpty());
    }

    @Test
    void aFailedStartClosesThoseStartedBefore() {
        RecordingPlugin a = new RecordingPlugin("a.", false);
        RecordingPlugin b = new RecordingPlugin("b.", true);
        BrokerPlugins plugins = new BrokerPlugins(List.of(a, b)).configure(Map.of("a.k", "1", "b.k", "2"));
        assertThrows(IllegalArgumentException.class, () -> plugins.start("tcp://127.0.0.1:1"));
        assertEquals("close", a.calls.get(1));
    }

    @Test
    void keysOfAPluginThatIsNotThereAreRefusedNamingItsJar() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BrokerPlugins(List.of()).configure(Map.of("connector.sys.type", "syslog")));
        assertTrue(e.getMessage().contains("connector.sys.type"), e.getMessage());
        assertTrue(e.getMessage().contains("heraldmq-connect.jar"), e.getMessage());
    }

    /** The broker's own jar has no connectors: a configuration with connector keys does not start a broker. */
    @Test
    void theBrokerRefusesConnectorKeysWithoutTheConnectors(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "connector.sys.type = syslog\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "--config", config.toString(),
                "--port", "0", "--data-dir", dir.resolve("data").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("heraldmq-connect.jar"), err.toString());
        assertFalse(out.toString().contains("ready"), out.toString());
    }
}
