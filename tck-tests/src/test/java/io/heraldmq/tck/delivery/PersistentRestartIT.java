package io.heraldmq.tck.delivery;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Spec 4.7 (reliability): PERSISTENT messages survive a broker restart; consumed ones do not come back. */
class PersistentRestartIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void persistentMessagesAreStillThereAfterRestart() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("durable-queue");
            MessageProducer p = s.createProducer(q);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < 100; i++) {
                p.send(s.createTextMessage("p" + i));
            }
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            for (int i = 0; i < 30; i++) {
                assertEquals("p" + i, ((TextMessage) consumer.receive(10_000)).getText());
            }
            consumer.close();
        }

        broker.restart();

        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            MessageConsumer consumer = s.createConsumer(s.createQueue("durable-queue"));
            for (int i = 30; i < 100; i++) {
                assertEquals("p" + i, ((TextMessage) consumer.receive(10_000)).getText());
            }
            assertNull(consumer.receive(200));
            // New messages continue the same log after the restart.
            s.createProducer(s.createQueue("durable-queue")).send(s.createTextMessage("after-restart"));
            assertEquals("after-restart", ((TextMessage) consumer.receive(10_000)).getText());
        }
    }
}
