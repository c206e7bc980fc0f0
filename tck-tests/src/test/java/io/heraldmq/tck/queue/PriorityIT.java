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
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Jakarta Messaging 3.1, section 3.4.10 (JMSPriority): priorities 0-9; the provider should attempt to deliver
 * higher-priority messages ahead of lower ones. HeraldMQ does so on queues among the messages waiting to be
 * delivered (a bounded look-ahead); topic subscriptions keep log order.
 */
class PriorityIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void waitingMessagesAreDeliveredHighestPriorityFirst() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("prio");
            MessageProducer p = s.createProducer(q);
            int[] priorities = {3, 9, 0, 5, 7, 1, 8, 2, 6, 4};
            for (int i = 0; i < priorities.length; i++) {
                Message m = s.createMessage();
                m.setIntProperty("n", i);
                p.send(m, DeliveryMode.PERSISTENT, priorities[i], 0);
            }
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < priorities.length; i++) {
                got.add(consumer.receive(10_000).getJMSPriority());
            }
            assertEquals(List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), got);
            assertNull(consumer.receive(200));
        }
    }

    @Test
    void samePriorityKeepsSendOrder() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("prio-fifo");
            MessageProducer p = s.createProducer(q);
            int[] priorities = {4, 7, 4, 7, 4, 7};
            for (int i = 0; i < priorities.length; i++) {
                Message m = s.createMessage();
                m.setIntProperty("n", i);
                p.send(m, DeliveryMode.PERSISTENT, priorities[i], 0);
            }
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < priorities.length; i++) {
                got.add(consumer.receive(10_000).getIntProperty("n"));
            }
            assertEquals(List.of(1, 3, 5, 0, 2, 4), got);
        }
    }

    @Test
    void topicSubscriptionsKeepLogOrder() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url() + "?clientID=prio-topic");
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("prio-topic");
            s.createDurableConsumer(t, "d").close();
            MessageProducer p = s.createProducer(t);
            int[] priorities = {1, 9, 5};
            for (int i = 0; i < priorities.length; i++) {
                Message m = s.createMessage();
                m.setIntProperty("n", i);
                p.send(m, DeliveryMode.PERSISTENT, priorities[i], 0);
            }
            c.start();
            MessageConsumer consumer = s.createDurableConsumer(t, "d");
            for (int i = 0; i < priorities.length; i++) {
                assertEquals(i, consumer.receive(10_000).getIntProperty("n"));
            }
        }
    }
}
