package io.heraldmq.server.security;

import io.heraldmq.server.BrokerConfig;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Securing HeraldMQ" example is a configuration the broker accepts and means what the text says. */
class ReadmeSecurityExampleTest {
    @Test
    void theExampleConfigurationLoadsAndDecidesAsDocumented() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Securing HeraldMQ");
        int start = readme.indexOf("```\n", section) + 4;
        String example = readme.substring(start, readme.indexOf("```", start));
        Properties p = new Properties();
        p.load(new StringReader(example));
        Map<String, String> settings = new HashMap<>();
        p.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        BrokerConfig config = BrokerConfig.defaults().with(settings);
        Permissions permissions = config.security().permissions();
        Set<String> alice = config.security().roles().of("alice");
        assertTrue(permissions.allows(alice, Permission.SEND, "orders.eu"));
        assertFalse(permissions.allows(alice, Permission.SEND, "orders.audit"));
        assertTrue(permissions.allows(config.security().roles().of("ops"), Permission.SEND, "orders.audit"));
        assertFalse(permissions.allows(config.security().roles().of("ops"), Permission.CONSUME, "orders.audit"));
        assertTrue(permissions.allows(config.security().roles().of("bob"), Permission.BROWSE, "orders.eu"));
        assertTrue(config.security().populateUserId());
        assertTrue(config.cluster().secret() != null);
    }

    @Test
    void theTlsExampleConfigurationLoads() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("### TLS and mutual TLS");
        int start = readme.indexOf("```\n", section) + 4;
        Properties p = new Properties();
        p.load(new StringReader(readme.substring(start, readme.indexOf("```", start))));
        Map<String, String> settings = new HashMap<>();
        p.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        BrokerConfig config = BrokerConfig.defaults().with(settings);
        assertTrue(config.tls().enabled());
        assertFalse(config.tls().plainEnabled());
        assertTrue(config.tls().clientAuth() == io.heraldmq.server.net.TlsSettings.ClientAuthMode.NEED);
        assertTrue(config.users().containsKey("orders-app"));
        assertTrue(config.limits().maxConnectionsPerAddress() == 100);
    }

    @Test
    void theClusterTlsExampleConfigurationLoads() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("### TLS between brokers");
        int start = readme.indexOf("```\n", section) + 4;
        Properties p = new Properties();
        p.load(new StringReader(readme.substring(start, readme.indexOf("```", start))));
        Map<String, String> settings = new HashMap<>();
        p.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        BrokerConfig config = BrokerConfig.defaults().with(settings);
        assertTrue(config.cluster().tls().enabled());
        assertTrue(config.cluster().tls().verifyHost());
        assertTrue(config.cluster().secret() != null);
        assertTrue(config.cluster().members().contains(config.cluster().host() + ":" + config.cluster().port()));
    }
}
