package io.heraldmq.tck.queue;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 4.7 (reliability) together with 3.4.10 (priority), 7.9 (delivery delay) and 3.8
 * (selectors on queues): a persistent message that waits on a queue (for its delivery time, or for a consumer that
 * selects it) is still there after a broker restart, and priorities apply to messages read back from disk.
 */
class QueueRestartIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void waitingMessagesSurviveARestart() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("restart-waiting");
            MessageConsumer reds = s.createConsumer(q, "colour = 'red'");
            c.start();
            MessageProducer p = s.createProducer(q);
            p.setDeliveryDelay(3000);
            Message delayed = s.createMessage();
            delayed.setStringProperty("colour", "red");
            delayed.setIntProperty("n", 0);
            p.send(delayed);
            p.setDeliveryDelay(0);
            Message green = s.createMessage();
            green.setStringProperty("colour", "green");
            green.setIntProperty("n", 1);
            p.send(green);
            assertNull(reds.receive(300));
        }
        broker.restart();
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("restart-waiting");
            c.start();
            MessageConsumer all = s.createConsumer(q);
            // Which comes first depends on how long the restart took; both come, the delayed one not early.
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Message m = all.receive(20_000);
                long received = System.currentTimeMillis();
                assertNotNull(m, "both waiting messages are still on the queue");
                got.add(m.getIntProperty("n"));
                assertTrue(received >= m.getJMSDeliveryTime(), "not before its delivery time");
            }
            got.sort(null);
            assertEquals(List.of(0, 1), got);
            assertNull(all.receive(200));
        }
    }

    @Test
    void prioritiesApplyToMessagesReadFromDisk() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        int[] priorities = {2, 8, 5, 0, 9};
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("restart-prio"));
            for (int priority : priorities) {
                p.send(s.createMessage(), DeliveryMode.PERSISTENT, priority, 0);
            }
        }
        broker.restart();
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            MessageConsumer consumer = s.createConsumer(s.createQueue("restart-prio"));
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < priorities.length; i++) {
                got.add(consumer.receive(10_000).getJMSPriority());
            }
            assertEquals(List.of(9, 8, 5, 2, 0), got);
        }
    }
}
