package io.heraldmq.tck.delivery;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Jakarta Messaging 3.1, section 6.1.4 "Starting a connection" with 4.1 (point-to-point): a connection delivers no
 * messages to its consumers until it is started. A queue consumer of a connection that was never started therefore
 * takes no queue messages away from a competing consumer of a started connection; once its connection starts, it
 * receives like any other.
 */
class StoppedConnectionConsumerIT {
    private static final long WAIT_MS = 20_000;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void aConsumerOfAStoppedConnectionLeavesQueueMessagesToStartedConsumers() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection stopped = cf.createConnection(); Connection started = cf.createConnection()) {
            Session ss = stopped.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = ss.createQueue("stopped-connection");
            MessageConsumer idle = ss.createConsumer(q);
            Session s = started.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer active = s.createConsumer(q);
            started.start();

            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 10; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            for (int i = 0; i < 10; i++) {
                TextMessage m = (TextMessage) active.receive(WAIT_MS);
                assertNotNull(m, "message " + i + " went to the consumer of the stopped connection");
                assertEquals("m" + i, m.getText());
            }

            // Once its connection starts, the consumer that waited gets messages like any other.
            active.close();
            stopped.start();
            p.send(s.createTextMessage("after start"));
            TextMessage late = (TextMessage) idle.receive(WAIT_MS);
            assertNotNull(late, "the consumer of the now started connection got nothing");
            assertEquals("after start", late.getText());
            assertNull(idle.receiveNoWait(), "delivered once");
        }
    }

    @Test
    void aJMSContextConsumerReceivesOnceTheContextStartsIt() throws Exception {
        // A JMSContext starts its connection when a consumer is created (autoStart): the consumer must then get
        // messages without any further call.
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (JMSContext ctx = cf.createContext()) {
            Queue q = ctx.createQueue("stopped-connection-context");
            ctx.createProducer().send(q, "before the consumer");
            JMSConsumer consumer = ctx.createConsumer(q);
            assertEquals("before the consumer", consumer.receiveBody(String.class, WAIT_MS));
        }
    }
}
