package io.heraldmq.tck.transactions;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldMessageProducer;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
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

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 6.2.7 Transactions and 6.2.8 Distributed transactions (local transactions only),
 * with 3.5.11 (JMSRedelivered, JMSXDeliveryCount) for what a rollback redelivers: a transacted session's sends reach
 * the destination only at commit and are discarded by rollback; what it received is acknowledged at commit and
 * redelivered after rollback; closing the session or the connection rolls back.
 */
class TransactedSessionIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    /** Long enough that a message that was going to arrive would have; only used where none is expected. */
    private static final long NOTHING_MS = 500;
    private static final long WAIT_MS = 20_000;

    private static HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(broker.url());
    }

    private static void sendPlain(Connection c, Queue q, String... texts) throws Exception {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(q);
        for (String t : texts) {
            p.send(s.createTextMessage(t));
        }
        s.close();
    }

    private static String text(Message m) throws Exception {
        assertNotNull(m, "expected a message");
        return ((TextMessage) m).getText();
    }

    @Test
    void commitMakesSendsVisibleAndRollbackDiscardsThem() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue q = tx.createQueue("tx-visible");
            MessageProducer p = tx.createProducer(q);
            Session reader = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = reader.createConsumer(q);

            p.send(tx.createTextMessage("a"));
            p.send(tx.createTextMessage("b"));
            assertNull(consumer.receive(NOTHING_MS), "a send must not be visible before commit");
            tx.commit();
            assertEquals("a", text(consumer.receive(WAIT_MS)));
            assertEquals("b", text(consumer.receive(WAIT_MS)));

            p.send(tx.createTextMessage("discarded"));
            tx.rollback();
            p.send(tx.createTextMessage("kept"));
            tx.commit();
            assertEquals("kept", text(consumer.receive(WAIT_MS)));
            assertNull(consumer.receive(NOTHING_MS));
        }
    }

    @Test
    void aLargeTransactionArrivesWholeAndInOrder() throws Exception {
        int count = 3000;
        String pad = "x".repeat(1000); // about 3 MB: the commit needs several batches of at most max.message.bytes
        try (Connection c = factory().createConnection()) {
            c.start();
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            Queue q = tx.createQueue("tx-large");
            MessageProducer p = tx.createProducer(q);
            for (int i = 0; i < count; i++) {
                p.send(tx.createTextMessage(i + ":" + pad));
            }
            tx.commit();
            MessageConsumer consumer = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            for (int i = 0; i < count; i++) {
                String t = text(consumer.receive(WAIT_MS));
                assertEquals(String.valueOf(i), t.substring(0, t.indexOf(':')));
            }
        }
    }

    @Test
    void rollbackRedeliversReceivedMessagesInOrderBeforeLaterOnes() throws Exception {
        try (Connection c = factory().createConnection()) {
            Queue q = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("tx-rollback");
            sendPlain(c, q, "m0", "m1", "m2", "m3", "m4");
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(q);
            for (int i = 0; i < 3; i++) {
                Message m = consumer.receive(WAIT_MS);
                assertEquals("m" + i, text(m));
                assertFalse(m.getJMSRedelivered());
                assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
            }
            tx.rollback();
            for (int i = 0; i < 5; i++) {
                Message m = consumer.receive(WAIT_MS);
                assertEquals("m" + i, text(m), "rolled-back messages first, in their order, then the rest");
                assertEquals(i < 3, m.getJMSRedelivered());
                assertEquals(i < 3 ? 2 : 1, m.getIntProperty("JMSXDeliveryCount"));
            }
            tx.rollback();
            for (int i = 0; i < 5; i++) {
                Message m = consumer.receive(WAIT_MS);
                assertEquals("m" + i, text(m));
                assertTrue(m.getJMSRedelivered());
                assertEquals(i < 3 ? 3 : 2, m.getIntProperty("JMSXDeliveryCount"));
            }
            tx.commit();
            assertNull(consumer.receive(NOTHING_MS));
        }
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertNull(s.createConsumer(s.createQueue("tx-rollback")).receive(NOTHING_MS),
                    "committed messages are not delivered again");
        }
    }

    @Test
    void rollbackInsideAListenerRedeliversToThatListener() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Connection c = factory().createConnection()) {
            Queue q = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("tx-listener");
            sendPlain(c, q, "a", "b");
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            tx.createConsumer(q).setMessageListener(m -> {
                try {
                    seen.add(text(m) + m.getIntProperty("JMSXDeliveryCount"));
                    if (seen.size() == 2) {
                        tx.rollback();
                    } else if (seen.size() == 4) {
                        tx.commit();
                    }
                } catch (Exception e) {
                    seen.add("error " + e);
                }
            });
            c.start();
            await().until(() -> seen.size() >= 4);
            assertEquals(List.of("a1", "b1", "a2", "b2"), seen);
        }
    }

    @Test
    void commitAcknowledgesWhatWasReceived() throws Exception {
        try (Connection c = factory().createConnection()) {
            Queue q = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("tx-ack");
            sendPlain(c, q, "m0", "m1", "m2");
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(q);
            assertEquals("m0", text(consumer.receive(WAIT_MS)));
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
            tx.commit();
            consumer.close();
            MessageConsumer next = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            Message m = next.receive(WAIT_MS);
            assertEquals("m2", text(m), "only the message not received in the committed transaction remains");
            assertFalse(m.getJMSRedelivered(), "m2 was only buffered, never given to the application");
            assertNull(next.receive(NOTHING_MS));
        }
    }

    @Test
    void aConsumerClosedInTheTransactionIsCommittedOrRolledBackWithIt() throws Exception {
        try (Connection c = factory().createConnection()) {
            Queue q = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("tx-closed-consumer");
            sendPlain(c, q, "m0", "m1", "m2");
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer first = tx.createConsumer(q);
            assertEquals("m0", text(first.receive(WAIT_MS)));
            first.close();
            tx.rollback();
            MessageConsumer second = tx.createConsumer(q);
            Message again = second.receive(WAIT_MS);
            assertEquals("m0", text(again), "the rollback covered the closed consumer's message");
            assertTrue(again.getJMSRedelivered());
            assertEquals("m1", text(second.receive(WAIT_MS)));
            second.close();
            tx.commit();
            MessageConsumer third = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            Message last = third.receive(WAIT_MS);
            assertEquals("m2", text(last), "the commit covered the closed consumer's messages");
            assertFalse(last.getJMSRedelivered());
            assertNull(third.receive(NOTHING_MS));
        }
    }

    @Test
    void oneTransactionSpansAQueueAndATopic() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue in = plain.createQueue("tx-span-in");
            Queue audit = plain.createQueue("tx-span-audit");
            Topic out = plain.createTopic("tx-span-out");
            MessageConsumer outSubscriber = plain.createConsumer(out);
            MessageConsumer auditConsumer = plain.createConsumer(audit);
            sendPlain(c, in, "order-1");
            c.start();

            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer inConsumer = tx.createConsumer(in);
            MessageProducer producer = tx.createProducer(null);
            String order = text(inConsumer.receive(WAIT_MS));
            producer.send(out, tx.createTextMessage("shipped " + order));
            producer.send(audit, tx.createTextMessage("audited " + order));
            assertNull(outSubscriber.receive(NOTHING_MS));
            assertNull(auditConsumer.receiveNoWait());
            tx.commit();

            assertEquals("shipped order-1", text(outSubscriber.receive(WAIT_MS)));
            assertEquals("audited order-1", text(auditConsumer.receive(WAIT_MS)));
            inConsumer.close();
            assertNull(plain.createConsumer(in).receive(NOTHING_MS), "the consumed order was committed");
        }
    }

    @Test
    void closingTheSessionRollsBack() throws Exception {
        closeRollsBack("tx-close-session", false);
    }

    @Test
    void closingTheConnectionRollsBack() throws Exception {
        closeRollsBack("tx-close-connection", true);
    }

    private void closeRollsBack(String name, boolean closeConnection) throws Exception {
        HeraldConnectionFactory cf = factory();
        try (Connection c = cf.createConnection()) {
            Queue in = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue(name + "-in");
            sendPlain(c, in, "work");
        }
        Connection c = cf.createConnection();
        c.start();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        assertEquals("work", text(tx.createConsumer(tx.createQueue(name + "-in")).receive(WAIT_MS)));
        tx.createProducer(tx.createQueue(name + "-out")).send(tx.createTextMessage("never"));
        if (closeConnection) {
            c.close();
        } else {
            tx.close();
            c.close();
        }
        try (Connection check = cf.createConnection()) {
            check.start();
            Session s = check.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message again = s.createConsumer(s.createQueue(name + "-in")).receive(WAIT_MS);
            assertEquals("work", text(again));
            assertTrue(again.getJMSRedelivered());
            assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
            assertNull(s.createConsumer(s.createQueue(name + "-out")).receive(NOTHING_MS),
                    "the uncommitted send was discarded");
        }
    }

    @Test
    void aSendRefusedAtCommitRollsTheTransactionBack() throws Exception {
        try (Connection c = factory().createConnection()) {
            Queue in = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("tx-refused-in");
            sendPlain(c, in, "work");
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(in);
            assertEquals("work", text(consumer.receive(WAIT_MS)));
            Message bad = tx.createTextMessage("to a partition that does not exist");
            bad.setIntProperty(HeraldMessageProducer.PARTITION_PROPERTY, 7);
            tx.createProducer(tx.createQueue("tx-refused-out")).send(bad);
            assertThrows(TransactionRolledBackException.class, tx::commit);
            Message again = consumer.receive(WAIT_MS);
            assertEquals("work", text(again), "what the failed transaction received comes again");
            assertTrue(again.getJMSRedelivered());
            tx.commit();
        }
    }

    @Test
    void transactionMethodsInTheWrongStateThrowIllegalStateException() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session plain = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            assertFalse(plain.getTransacted());
            assertThrows(IllegalStateException.class, plain::commit);
            assertThrows(IllegalStateException.class, plain::rollback);

            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            assertTrue(tx.getTransacted());
            assertEquals(Session.SESSION_TRANSACTED, tx.getAcknowledgeMode());
            assertThrows(IllegalStateException.class, tx::recover);
            tx.close();
            assertThrows(IllegalStateException.class, tx::commit);
            assertThrows(IllegalStateException.class, tx::rollback);

            Session txByFlag = c.createSession(true, Session.AUTO_ACKNOWLEDGE);
            assertTrue(txByFlag.getTransacted(), "transacted=true ignores the acknowledge mode");
        }
    }
}
