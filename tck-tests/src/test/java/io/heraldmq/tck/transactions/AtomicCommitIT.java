package io.heraldmq.tck.transactions;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldMessageProducer;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 6.2.7 Transactions: "a transacted session's ... produced messages and consumed
 * messages ... are committed as one atomic unit". A commit that spans a queue, a topic and a consumed message applies
 * all of it; a commit the provider cannot complete applies none of it and, as the Session.commit Javadoc says for a
 * transaction "rolled back due to some internal error during commit", throws TransactionRolledBackException, after
 * which what the transaction received is redelivered (section 6.2.7: rollback "automatically recovers" it).
 */
class AtomicCommitIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final long NOTHING_MS = 500;
    private static final long WAIT_MS = 20_000;

    private static String text(Message m) throws Exception {
        assertNotNull(m, "expected a message");
        return ((TextMessage) m).getText();
    }

    @Test
    void aCommitSpanningAQueueATopicAndAConsumedMessageAppliesAllOfIt() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue in = plain.createQueue("atomic-in");
            Queue queue = plain.createQueue("atomic-queue");
            Topic topic = plain.createTopic("atomic-topic");
            MessageConsumer topicSubscriber = plain.createConsumer(topic);
            MessageConsumer queueConsumer = plain.createConsumer(queue);
            plain.createProducer(in).send(plain.createTextMessage("order"));
            c.start();

            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer inConsumer = tx.createConsumer(in);
            MessageProducer producer = tx.createProducer(null);
            assertEquals("order", text(inConsumer.receive(WAIT_MS)));
            producer.send(queue, tx.createTextMessage("to the queue"));
            producer.send(topic, tx.createTextMessage("to the topic"));
            producer.send(queue, tx.createTextMessage("to the queue again"));
            tx.commit();

            assertEquals("to the queue", text(queueConsumer.receive(WAIT_MS)));
            assertEquals("to the queue again", text(queueConsumer.receive(WAIT_MS)));
            assertEquals("to the topic", text(topicSubscriber.receive(WAIT_MS)));
            inConsumer.close();
            assertNull(plain.createConsumer(in).receive(NOTHING_MS), "the consumed message was committed");
        }
    }

    @Test
    void aCommitTheBrokerRefusesAppliesNothingAndThrowsTransactionRolledBackException() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue in = plain.createQueue("refused-in");
            Queue queue = plain.createQueue("refused-queue");
            Topic topic = plain.createTopic("refused-topic");
            MessageConsumer topicSubscriber = plain.createConsumer(topic);
            MessageConsumer queueConsumer = plain.createConsumer(queue);
            plain.createProducer(in).send(plain.createTextMessage("order"));
            c.start();

            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer inConsumer = tx.createConsumer(in);
            MessageProducer producer = tx.createProducer(null);
            assertEquals("order", text(inConsumer.receive(WAIT_MS)));
            producer.send(queue, tx.createTextMessage("would go to the queue"));
            producer.send(topic, tx.createTextMessage("would go to the topic"));
            // the last send of the transaction names a partition the queue does not have: the broker refuses it
            Message bad = tx.createTextMessage("unroutable");
            bad.setIntProperty(HeraldMessageProducer.PARTITION_PROPERTY, 7);
            producer.send(queue, bad);
            assertThrows(TransactionRolledBackException.class, tx::commit);

            assertNull(queueConsumer.receive(NOTHING_MS), "no send of the refused transaction was applied");
            assertNull(topicSubscriber.receiveNoWait(), "no send of the refused transaction was applied");
            Message again = inConsumer.receive(WAIT_MS);
            assertEquals("order", text(again), "what the refused transaction received is redelivered");
            assertTrue(again.getJMSRedelivered());

            producer.send(queue, tx.createTextMessage("retried"));
            tx.commit();
            assertEquals("retried", text(queueConsumer.receive(WAIT_MS)));
            assertNull(queueConsumer.receive(NOTHING_MS));
            inConsumer.close();
            assertNull(plain.createConsumer(in).receive(NOTHING_MS), "the retry consumed it");
        }
    }
}
