package io.heraldmq.server.handler;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Below {@code disk.min.free.bytes} of usable space the broker refuses to store messages: a send fails with
 * ResourceAllocationException naming the limit, while consumers go on reading and acknowledging what was stored.
 * No disk is really filled: the limit is raised above any disk's size.
 */
class DiskFullIT {
    private static final long HUGE = Long.MAX_VALUE / 2;
    private final AtomicLong minFree = new AtomicLong(0);

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(
            c -> c.with(Map.of("disk.min.free.bytes", String.valueOf(minFree.get()))));

    @Test
    void producersAreRefusedAndConsumersKeepReading() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("stored"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < 5; i++) {
                p.send(s.createTextMessage("m" + i));
            }
        }

        minFree.set(HUGE);
        broker.restart();

        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("stored");
            MessageProducer p = s.createProducer(q);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            ResourceAllocationException refused = assertThrows(ResourceAllocationException.class,
                    () -> p.send(s.createTextMessage("refused")));
            assertTrue(refused.getMessage().contains("disk.min.free.bytes=" + HUGE), refused.getMessage());

            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            for (int i = 0; i < 5; i++) {
                assertEquals("m" + i, ((TextMessage) consumer.receive(30_000)).getText());
            }
            assertNull(consumer.receive(200), "the refused message was not stored");
            consumer.close();
        }

        // the acknowledgements were recorded although the disk counts as full
        broker.restart();
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            assertNull(s.createConsumer(s.createQueue("stored")).receive(500));
        }
    }
}
