package io.heraldmq.tck.session;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, the domain-specific (legacy) interfaces, with the QueueSession and TopicSession Javadoc:
 * a QueueSession throws IllegalStateException from the methods it inherits from Session that only make sense for
 * topics (durable and shared subscriptions, createTopic, createTemporaryTopic, unsubscribe), and a TopicSession from
 * those only for queues (createQueue, createTemporaryQueue, createBrowser). A session made by the generic
 * {@code createSession} serves both domains, even on a QueueConnection or TopicConnection.
 */
class DomainSpecificSessionIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static HeraldConnectionFactory factory() {
        HeraldConnectionFactory f = new HeraldConnectionFactory(broker.url());
        f.setClientID("domain-sessions");
        return f;
    }

    @Test
    void aQueueSessionRefusesTopicOnlyMethods() throws Exception {
        try (QueueConnection c = factory().createQueueConnection()) {
            QueueSession s = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = c.createSession().createTopic("domain-topic");
            assertThrows(IllegalStateException.class, () -> s.createDurableSubscriber(t, "d"));
            assertThrows(IllegalStateException.class, () -> s.createDurableSubscriber(t, "d", "a = 1", false));
            assertThrows(IllegalStateException.class, () -> s.createDurableConsumer(t, "d"));
            assertThrows(IllegalStateException.class, () -> s.createSharedConsumer(t, "sh"));
            assertThrows(IllegalStateException.class, () -> s.createSharedDurableConsumer(t, "sd"));
            assertThrows(IllegalStateException.class, () -> s.createTopic("domain-topic"));
            assertThrows(IllegalStateException.class, s::createTemporaryTopic);
            assertThrows(IllegalStateException.class, () -> s.unsubscribe("d"));
            // Its own domain works.
            Queue q = s.createQueue("domain-queue");
            s.createReceiver(q).close();
            s.createBrowser(q).close();
            s.createTemporaryQueue().delete();
        }
    }

    @Test
    void aTopicSessionRefusesQueueOnlyMethods() throws Exception {
        try (TopicConnection c = factory().createTopicConnection()) {
            TopicSession s = c.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = c.createSession().createQueue("domain-queue");
            assertThrows(IllegalStateException.class, () -> s.createQueue("domain-queue"));
            assertThrows(IllegalStateException.class, s::createTemporaryQueue);
            assertThrows(IllegalStateException.class, () -> s.createBrowser(q));
            assertThrows(IllegalStateException.class, () -> s.createBrowser(q, "a = 1"));
            // Its own domain works.
            Topic t = s.createTopic("domain-topic");
            s.createDurableSubscriber(t, "domain-durable").close();
            s.unsubscribe("domain-durable");
            s.createSubscriber(t).close();
            s.createTemporaryTopic().delete();
        }
    }

    @Test
    void aGenericSessionServesBothDomains() throws Exception {
        try (QueueConnection c = factory().createQueueConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertEquals("domain-topic", s.createTopic("domain-topic").getTopicName());
            assertEquals("domain-queue", s.createQueue("domain-queue").getQueueName());
            s.createTemporaryTopic().delete();
        }
    }
}
