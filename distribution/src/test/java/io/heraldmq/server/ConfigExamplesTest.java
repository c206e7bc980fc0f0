package io.heraldmq.server;

import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.server.cluster.ClusterSettings;
import io.heraldmq.server.security.SecuritySettings;
import io.heraldmq.server.spi.BrokerPlugins;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configuration files the distribution ships (the repository's {@code config/}) stay true to the broker and the
 * connectors: every key the broker knows is documented, a commented-out value is the default, and uncommenting lines
 * gives a configuration the broker's and the connectors' own parsers accept.
 * <p>
 * The convention of those files: {@code #key = value} (no space after {@code #}) is a setting commented out, {@code # }
 * (a space) starts prose. In the package of {@link BrokerConfig} for its {@code KEYS}.
 */
class ConfigExamplesTest {
    /** The repository's config/, from this module's directory (the tests' working directory). */
    private static final Path CONFIG = Path.of("..", "config");
    private static final Pattern SETTING = Pattern.compile("^(#?)([A-Za-z][A-Za-z0-9_.#*-]*)\\s*[=:]");
    /**
     * Keys without a default value: the file shows an example value instead. http.port's default depends on port
     * (7441, or any free port with port = 0).
     */
    private static final Set<String> NO_DEFAULT = Set.of(ClusterSettings.MEMBERS_KEY, ClusterSettings.SECRET_KEY,
            io.heraldmq.server.metrics.MonitoringSettings.HTTP_PORT_KEY);

    /** A setting line of a file, commented out or not. */
    record Setting(boolean commented, String key, String value, int line) {
    }

    @Test
    void brokerPropertiesDocumentsEveryKeyTheBrokerKnows() {
        Set<String> documented = new HashSet<>();
        settings(CONFIG.resolve("broker.properties")).forEach(s -> documented.add(s.key()));
        Set<String> missing = new TreeSet<>(BrokerConfig.KEYS);
        missing.addAll(ClusterSettings.KEYS);
        missing.addAll(SecuritySettings.KEYS);
        missing.removeAll(documented);
        assertTrue(missing.isEmpty(), "config/broker.properties does not mention " + missing
                + ": add each with a comment and its default (#key = default)");
    }

    @Test
    void brokerPropertiesAsShippedChangesNothing() throws IOException {
        Path file = CONFIG.resolve("broker.properties");
        assertEquals(Map.of(), BrokerConfig.readProperties(file), "every setting is commented out");
        assertEquals(BrokerConfig.defaults(), BrokerConfig.load(file));
    }

    @Test
    void eachCommentedOutBrokerKeyShowsItsDefault() {
        String members = "127.0.0.1:7450";
        BrokerConfig clustered = BrokerConfig.defaults().with(Map.of(ClusterSettings.MEMBERS_KEY, members));
        for (Setting s : settings(CONFIG.resolve("broker.properties"))) {
            boolean fixedKey = BrokerConfig.KEYS.contains(s.key()) || SecuritySettings.KEYS.contains(s.key());
            if (!s.commented() || !fixedKey || NO_DEFAULT.contains(s.key())) {
                continue; // per-destination keys, users and connectors are examples too
            }
            BrokerConfig base = ClusterSettings.KEYS.contains(s.key()) ? clustered : BrokerConfig.defaults();
            // compared as text: the security settings' Roles and Permissions are classes without equals, whose
            // toString shows their content
            assertEquals(base.toString(), base.with(Map.of(s.key(), s.value())).toString(), "line " + s.line()
                    + ": " + s.key() + " = " + s.value() + " is not the default");
        }
    }

    @Test
    void brokerPropertiesUncommentedIsAValidConfiguration() {
        Map<String, String> all = uncommented(CONFIG.resolve("broker.properties"));
        Map<String, String> brokerKeys = new HashMap<>();
        Map<String, String> pluginKeys = new HashMap<>();
        all.forEach((k, v) -> (BrokerPlugins.isPluginKey(k) ? pluginKeys : brokerKeys).put(k, v));
        BrokerConfig config = BrokerConfig.defaults().with(brokerKeys);
        assertNotNull(config.cluster(), "the cluster example turns clustering on");
        assertTrue(config.users().containsKey("admin"), "the user example");
        assertNotNull(config.cluster().secret(), "a cluster with users has a secret");
        assertEquals(6, config.destination(false, "orders").partitions());
        List<ConnectorSettings> connectors = ConnectorConfig.parse(pluginKeys, "tcp://127.0.0.1:7440");
        assertEquals(1, connectors.size(), connectors.toString());
    }

    @Test
    void theThreeClusterExamplesFormOneClusterOnOneMachine() throws IOException {
        Set<Integer> ports = new HashSet<>();
        Set<Integer> clusterPorts = new HashSet<>();
        Set<Integer> httpPorts = new HashSet<>();
        Set<Path> dataDirs = new HashSet<>();
        Set<String> ids = new HashSet<>();
        Set<Set<String>> keySets = new HashSet<>();
        List<String> members = null;
        for (int i = 1; i <= 3; i++) {
            Path file = CONFIG.resolve("cluster").resolve("broker" + i + ".properties");
            BrokerConfig config = BrokerConfig.load(file);
            ClusterSettings cluster = config.cluster();
            assertNotNull(cluster, file + " is clustered");
            ports.add(config.port());
            clusterPorts.add(cluster.port());
            httpPorts.add(config.monitoring().effectiveHttpPort(config.port()));
            dataDirs.add(config.dataDir());
            ids.add(cluster.brokerId());
            keySets.add(BrokerConfig.readProperties(file).keySet());
            assertTrue(cluster.members().contains(cluster.host() + ":" + cluster.port()), file + " is a member");
            members = members == null ? cluster.members() : members;
            assertEquals(members, cluster.members(), file + " lists the same members");
        }
        assertEquals(3, ports.size(), "client ports differ");
        assertEquals(3, clusterPorts.size(), "cluster ports differ");
        assertEquals(3, httpPorts.size(), "monitoring ports differ");
        Set<Integer> all = new HashSet<>(ports);
        all.addAll(clusterPorts);
        all.addAll(httpPorts);
        assertEquals(9, all.size(), "no port is taken twice: " + ports + clusterPorts + httpPorts);
        assertEquals(3, dataDirs.size(), "data directories differ");
        assertEquals(3, ids.size(), "broker ids differ");
        assertEquals(1, keySets.size(), "the three files set the same keys");
    }

    @Test
    void connectorsExampleUncommentedParses() throws IOException {
        Path file = CONFIG.resolve("connectors.properties");
        assertEquals(Map.of(), BrokerConfig.readProperties(file), "every connector is commented out");
        List<String> types = new ArrayList<>();
        for (ConnectorSettings c : ConnectorConfig.parse(uncommented(file))) {
            types.add(c.name() + ":" + c.type());
        }
        assertEquals(List.of("app:file", "archive:file-sink", "otel:otlp", "pg:jdbc-sink", "syslog:syslog"), types);
    }

    /** The setting lines of a file, commented out or not, with values as Java properties read them. */
    static List<Setting> settings(Path file) {
        List<Setting> out = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = SETTING.matcher(lines.get(i));
            if (m.find()) {
                boolean commented = !m.group(1).isEmpty();
                Properties one = load(commented ? lines.get(i).substring(1) : lines.get(i));
                out.add(new Setting(commented, m.group(2), one.getProperty(m.group(2)), i + 1));
            }
        }
        return out;
    }

    /** What the file says with every setting line uncommented. */
    static Map<String, String> uncommented(Path file) {
        StringBuilder text = new StringBuilder();
        for (String line : lines(file)) {
            Matcher m = SETTING.matcher(line);
            text.append(m.find() && !m.group(1).isEmpty() ? line.substring(1) : line).append('\n');
        }
        Map<String, String> out = new HashMap<>();
        load(text.toString()).forEach((k, v) -> out.put(k.toString(), v.toString()));
        return out;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties load(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
