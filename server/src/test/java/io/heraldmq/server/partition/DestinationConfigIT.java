package io.heraldmq.server.partition;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.message.HeraldMessage;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Partition counts from the broker configuration: {@code topic.<name>.partitions}, fixed once a topic exists. */
class DestinationConfigIT {
    private static final String PARTITION = "JMS_HeraldPartition";

    private final AtomicReference<Map<String, String>> settings = new AtomicReference<>(Map.of(
            "topic.shop.orders.partitions", "3",
            "topic.resized.partitions", "2"));

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(c -> c.with(settings.get()));

    @Test
    void explicitPartitionAndGroupsOnAConfiguredTopic() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("shop.orders");
            MessageConsumer consumer = s.createConsumer(t);
            c.start();
            MessageProducer p = s.createProducer(t);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);

            TextMessage explicit = s.createTextMessage("to partition 2");
            explicit.setIntProperty(PARTITION, 2);
            p.send(explicit);
            Message got = consumer.receive(30_000);
            assertEquals("to partition 2", ((TextMessage) got).getText());
            assertEquals(2, ((HeraldMessage) got).deliveryPartition());
            Path log = broker.dataDir().resolve("log/t-shop.orders/2/00000000000000000000.log");
            assertTrue(Files.size(log) > 0, "stored in partition 2: " + log);

            TextMessage outside = s.createTextMessage("to partition 3");
            outside.setIntProperty(PARTITION, 3);
            InvalidDestinationException refused = assertThrows(InvalidDestinationException.class,
                    () -> p.send(outside));
            assertTrue(refused.getMessage().contains("partition 3"), refused.getMessage());

            // one group stays in one partition, so its order holds while partitions interleave
            for (int i = 0; i < 200; i++) {
                TextMessage m = s.createTextMessage("g" + i % 5);
                m.setStringProperty("JMSXGroupID", "group-" + i % 5);
                m.setIntProperty("seq", i);
                p.send(m);
            }
            Map<String, Integer> lastSeq = new HashMap<>();
            Map<String, Integer> partitionOf = new HashMap<>();
            for (int i = 0; i < 200; i++) {
                Message m = consumer.receive(30_000);
                assertNotNull(m, "message " + i);
                String group = m.getStringProperty("JMSXGroupID");
                int seq = m.getIntProperty("seq");
                Integer before = lastSeq.put(group, seq);
                assertTrue(before == null || before < seq, group + ": " + seq + " after " + before);
                Integer partition = partitionOf.putIfAbsent(group, ((HeraldMessage) m).deliveryPartition());
                assertTrue(partition == null || partition == ((HeraldMessage) m).deliveryPartition(), group);
            }
            assertEquals(5, lastSeq.size());
        }
    }

    @Test
    void theStoredPartitionCountWinsOverALaterConfiguration() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        sendTo(cf, 1);
        settings.set(Map.of("topic.resized.partitions", "4"));
        broker.restart();
        sendTo(cf, 1);
        InvalidDestinationException refused = assertThrows(InvalidDestinationException.class, () -> sendTo(cf, 3));
        assertTrue(refused.getMessage().contains("partition 3"), refused.getMessage());
        assertTrue(Files.isDirectory(broker.dataDir().resolve("log/t-resized/1")));
        assertTrue(Files.notExists(broker.dataDir().resolve("log/t-resized/2")));
    }

    private static void sendTo(HeraldConnectionFactory cf, int partition) throws Exception {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic("resized"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            TextMessage m = s.createTextMessage("x");
            m.setIntProperty(PARTITION, partition);
            p.send(m);
        }
    }
}
