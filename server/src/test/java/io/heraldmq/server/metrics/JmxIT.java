package io.heraldmq.server.metrics;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's figures as MBeans of the platform MBean server (what JConsole and JMX exporters read): a partition's
 * message count moves with a send, and the broker's MBeans go when it stops.
 */
class JmxIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void aPartitionsCountIsAnMBeanAttribute() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String id = broker.broker().brokerId();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("jmx.orders")).send(s.createTextMessage("hello"));
            s.createProducer(s.createQueue("jmx.orders")).send(s.createTextMessage("again"));
        }
        ObjectName name = new ObjectName("io.heraldmq:type=\"heraldmq.messages.in\",broker=\"" + id + "\","
                + "kind=\"queue\",destination=\"jmx.orders\",partition=\"0\"");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.isRegistered(name));
        assertEquals(2.0, server.getAttribute(name, "Count"));
        ObjectName produce = new ObjectName("io.heraldmq:type=\"heraldmq.produce.latency\",broker=\"" + id + "\"");
        assertEquals(2.0, server.getAttribute(produce, "Count"));
        assertTrue((Double) server.getAttribute(produce, "TotalTime") > 0);
        assertEquals(1.0, server.getAttribute(new ObjectName("io.heraldmq:type=\"heraldmq.ready\",broker=\""
                + id + "\""), "Value"));
        assertTrue(server.queryNames(new ObjectName("io.heraldmq:type=\"jvm.memory.used\",*"), null).size() > 0);

        broker.shutdown();
        assertFalse(server.isRegistered(name), "a stopped broker's MBeans are gone");
        assertTrue(server.queryNames(new ObjectName("io.heraldmq:broker=\"" + id + "\",*"), null).isEmpty());
    }
}
