package io.heraldmq.connect;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQJMSConnectionFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An ActiveMQ Artemis broker in the test JVM, as {@code bench/artemis}'s launcher configures it (persistence on, NIO
 * journal synced, security off, addresses and queues auto-created): one acceptor on 127.0.0.1 at a free port,
 * data in a temporary directory, restartable on both. Undelivered messages go to the queue {@code DLQ} after
 * {@value #MAX_DELIVERY_ATTEMPTS} attempts. Artemis 2.56 and Vert.x share the Netty version, so both brokers run in
 * one JVM.
 */
public final class EmbeddedArtemis implements BeforeAllCallback, AfterAllCallback {
    public static final int MAX_DELIVERY_ATTEMPTS = 3;
    public static final String JNDI_FACTORY = "org.apache.activemq.artemis.jndi.ActiveMQInitialContextFactory";

    private Path dir;
    private int port;
    private ActiveMQServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("artemis-connect-");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Starts the broker: on a free port the first time, on the same port and data afterwards. */
    public void start() throws Exception {
        Configuration config = new ConfigurationImpl();
        config.setName("connect-artemis");
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.NIO);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setJournalDirectory(new File(dir.toFile(), "journal").getPath());
        config.setBindingsDirectory(new File(dir.toFile(), "bindings").getPath());
        config.setPagingDirectory(new File(dir.toFile(), "paging").getPath());
        config.setLargeMessagesDirectory(new File(dir.toFile(), "large-messages").getPath());
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.addQueueConfiguration(QueueConfiguration.of("DLQ").setRoutingType(RoutingType.ANYCAST));
        config.addAddressSetting("#", new AddressSettings().setDeadLetterAddress(SimpleString.of("DLQ"))
                .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS).setAutoCreateQueues(true)
                .setAutoCreateAddresses(true).setAutoCreateDeadLetterResources(false));
        server = ActiveMQServers.newActiveMQServer(config, true);
        server.start();
        if (!server.waitForActivation(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Artemis did not become active");
        }
        port = ((NettyAcceptor) server.getRemotingService().getAcceptor("tcp")).getActualPort();
    }

    public void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Stops the broker and starts it again on the same port and data. */
    public void restart() throws Exception {
        stop();
        start();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** A client factory with Artemis' defaults, as an application would make one. */
    public ConnectionFactory connectionFactory() {
        return new ActiveMQJMSConnectionFactory(url());
    }

    /** The JNDI environment that binds {@code cf} to this broker, as keys after {@code prefix}. */
    public Map<String, String> jndi(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(prefix + "java.naming.factory.initial", JNDI_FACTORY);
        m.put(prefix + "connectionFactory.cf", url());
        return m;
    }

    /** Messages in the queue, delivered but not acknowledged ones included. */
    public long messageCount(String queue) {
        Queue q = server.locateQueue(SimpleString.of(queue));
        if (q == null) {
            throw new IllegalStateException("Artemis has no queue " + queue);
        }
        return q.getMessageCount();
    }

    /**
     * The Artemis Jakarta client's jars, as a user would list them in {@code classpath} or {@code source.classpath}:
     * the Artemis, Netty, SLF4J and Apache Commons jars of this test's class path (found through their manifests,
     * which works with failsafe's manifest-only class path too).
     */
    public static List<Path> clientJars() throws IOException {
        List<Path> jars = new ArrayList<>();
        for (URL u : Collections.list(EmbeddedArtemis.class.getClassLoader().getResources("META-INF/MANIFEST.MF"))) {
            String s = u.toString();
            if (!s.startsWith("jar:file:")) {
                continue;
            }
            String file = s.substring("jar:".length(), s.indexOf("!/"));
            if (file.contains("/org/apache/artemis/") || file.contains("/org/apache/activemq/")
                    || file.contains("/io/netty/") || file.contains("/org/slf4j/slf4j-api/")
                    || file.contains("/commons-") || file.contains("/org/apache/commons/")
                    || file.contains("/org/jctools/")) {
                try {
                    jars.add(Path.of(new URL(file).toURI()));
                } catch (URISyntaxException e) {
                    throw new IOException(e);
                }
            }
        }
        return jars;
    }
}
