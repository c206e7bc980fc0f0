package io.heraldmq.tck.producer;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, section 7.2 (MessageProducer) with the MessageProducer Javadoc: a producer created without
 * a destination must be given one in every send, and the send methods without a destination throw
 * {@link UnsupportedOperationException}; a producer created with a destination refuses the send methods naming one
 * with {@link UnsupportedOperationException}; naming a null destination on an unidentified producer is an
 * {@link InvalidDestinationException}. Nothing is sent by a refused call.
 */
class ProducerDestinationIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final CompletionListener IGNORED = new CompletionListener() {
        @Override
        public void onCompletion(Message message) {
        }

        @Override
        public void onException(Message message, Exception exception) {
        }
    };

    @Test
    void anUnidentifiedProducerRefusesTheSendsWithoutADestination() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("producer-dest-unidentified");
            MessageProducer p = s.createProducer(null);
            TextMessage m = s.createTextMessage("refused");
            assertThrows(UnsupportedOperationException.class, () -> p.send(m));
            assertThrows(UnsupportedOperationException.class,
                    () -> p.send(m, DeliveryMode.NON_PERSISTENT, 4, 0));
            assertThrows(UnsupportedOperationException.class, () -> p.send(m, IGNORED));
            assertThrows(UnsupportedOperationException.class,
                    () -> p.send(m, DeliveryMode.PERSISTENT, 4, 0, IGNORED));
            assertThrows(InvalidDestinationException.class, () -> p.send((Destination) null, m));

            p.send(q, s.createTextMessage("named"));
            c.start();
            var consumer = s.createConsumer(q);
            assertEquals("named", ((TextMessage) consumer.receive(10_000)).getText());
            assertNull(consumer.receiveNoWait(), "the refused sends sent nothing");
        }
    }

    @Test
    void aProducerWithADestinationRefusesSendsNamingOne() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("producer-dest-identified");
            MessageProducer p = s.createProducer(q);
            TextMessage m = s.createTextMessage("refused");
            assertThrows(UnsupportedOperationException.class, () -> p.send(q, m));
            assertThrows(UnsupportedOperationException.class,
                    () -> p.send(s.createQueue("elsewhere"), m, DeliveryMode.PERSISTENT, 4, 0));
            assertThrows(UnsupportedOperationException.class, () -> p.send(q, m, IGNORED));
        }
    }

    @Test
    void theDomainSpecificSendersFollowTheSameRules() throws Exception {
        HeraldConnectionFactory factory = new HeraldConnectionFactory(broker.url());
        try (QueueConnection qc = factory.createQueueConnection();
             TopicConnection tc = factory.createTopicConnection()) {
            QueueSession qs = qc.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueSender sender = qs.createSender(null);
            assertThrows(UnsupportedOperationException.class, () -> sender.send(qs.createTextMessage("x")));
            TopicSession ts = tc.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            TopicPublisher publisher = ts.createPublisher(null);
            assertThrows(UnsupportedOperationException.class, () -> publisher.publish(ts.createTextMessage("x")));
            assertThrows(UnsupportedOperationException.class,
                    () -> publisher.publish(ts.createTextMessage("x"), DeliveryMode.PERSISTENT, 4, 0));
        }
    }
}
