package io.heraldmq.tck.producer;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldMessageProducer;
import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 7.3 Asynchronous send: {@code send(..., CompletionListener)} returns without
 * waiting; the listener is called later, on a provider thread, in send order within the session; a send the broker
 * refuses reaches {@code onException}; close waits for outstanding completions, and close, commit or rollback from a
 * CompletionListener throw IllegalStateException.
 */
class AsyncSendIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final long WAIT_MS = 20_000;

    private static HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(broker.url());
    }

    /** Records what happened to each send. */
    private static final class Recorder implements CompletionListener {
        final List<String> completed = new CopyOnWriteArrayList<>();
        final List<Exception> failures = new CopyOnWriteArrayList<>();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void onCompletion(Message message) {
            threads.add(Thread.currentThread());
            try {
                completed.add(((TextMessage) message).getText());
            } catch (JMSException e) {
                failures.add(e);
            }
        }

        @Override
        public void onException(Message message, Exception exception) {
            threads.add(Thread.currentThread());
            failures.add(exception);
        }
    }

    @Test
    void completionsComeInSendOrderOnAProviderThread() throws Exception {
        int count = 300;
        Recorder r = new Recorder();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer persistent = s.createProducer(s.createQueue("async-order-a"));
            MessageProducer other = s.createProducer(s.createTopic("async-order-b"));
            other.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String text = "m" + i;
                sent.add(text);
                (i % 3 == 0 ? other : persistent).send(s.createTextMessage(text), r);
            }
            await().until(() -> r.completed.size() + r.failures.size() >= count);
            assertEquals(List.of(), r.failures);
            assertEquals(sent, r.completed, "one session's completions come in send order");
            assertFalse(r.threads.contains(Thread.currentThread()));
            for (Thread t : r.threads) {
                assertFalse(t.getName().contains("eventloop"), "never on an event loop: " + t.getName());
            }

            c.start();
            MessageConsumer consumer = s.createConsumer(s.createQueue("async-order-a"));
            for (int i = 0; i < count; i++) {
                if (i % 3 != 0) {
                    assertEquals("m" + i, ((TextMessage) consumer.receive(WAIT_MS)).getText());
                }
            }
        }
    }

    /**
     * Asynchronous sends made while others are in flight are gathered into batches; a synchronous send of another
     * producer of the session goes after them, so one queue receives everything in the session's send order.
     */
    @Test
    void gatheredAsynchronousSendsKeepTheSessionsOrderWithSynchronousOnes() throws Exception {
        int count = 3_000;
        Recorder r = new Recorder();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("async-gathered");
            MessageProducer async = s.createProducer(queue);
            MessageProducer sync = s.createProducer(queue);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String text = "m" + i;
                sent.add(text);
                if (i % 500 == 499) {
                    sync.send(s.createTextMessage(text));
                } else {
                    async.send(s.createTextMessage(text), r);
                }
            }
            await().until(() -> r.completed.size() + r.failures.size() >= count - count / 500);
            assertEquals(List.of(), r.failures);
            c.start();
            MessageConsumer consumer = s.createConsumer(queue);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                received.add(((TextMessage) consumer.receive(WAIT_MS)).getText());
            }
            assertEquals(sent, received);
        }
    }

    /** A gathered batch holds one key only: each group keeps its order on a topic of several partitions. */
    @Test
    void gatheredAsynchronousSendsKeepEachGroupsOrder() throws Exception {
        int count = 2_000;
        Recorder r = new Recorder();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("async-grouped");
            c.start();
            MessageConsumer consumer = s.createConsumer(queue);
            MessageProducer p = s.createProducer(queue);
            for (int i = 0; i < count; i++) {
                TextMessage m = s.createTextMessage(Integer.toString(i));
                m.setStringProperty("JMSXGroupID", "g" + (i % 3 == 0 ? 0 : i % 5));
                p.send(m, r);
            }
            await().until(() -> r.completed.size() + r.failures.size() >= count);
            assertEquals(List.of(), r.failures);
            java.util.Map<String, Integer> last = new java.util.HashMap<>();
            for (int i = 0; i < count; i++) {
                TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
                int n = Integer.parseInt(m.getText());
                Integer before = last.put(m.getStringProperty("JMSXGroupID"), n);
                assertTrue(before == null || before < n, "group order: " + before + " then " + n);
            }
        }
    }

    @Test
    void aRefusedSendReachesOnException() throws Exception {
        Recorder r = new Recorder();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("async-refused"));
            Message bad = s.createTextMessage("bad");
            bad.setIntProperty(HeraldMessageProducer.PARTITION_PROPERTY, 9); // the queue has one partition
            p.send(bad, r);
            p.send(s.createTextMessage("good"), r);
            await().until(() -> r.completed.size() + r.failures.size() >= 2);
            assertEquals(1, r.failures.size());
            assertInstanceOf(InvalidDestinationException.class, r.failures.get(0));
            assertTrue(r.failures.get(0).getMessage().contains("partition 9"), r.failures.get(0).getMessage());
            assertEquals(List.of("good"), r.completed);
        }
    }

    @Test
    void closeWaitsForOutstandingCompletions() throws Exception {
        int count = 200;
        Recorder r = new Recorder();
        Connection c = factory().createConnection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("async-close"));
        for (int i = 0; i < count; i++) {
            p.send(s.createTextMessage("m" + i), r);
        }
        c.close();
        assertEquals(count, r.completed.size() + r.failures.size(), "close returned before every completion ran");
        assertEquals(List.of(), r.failures);
    }

    @Test
    void closeCommitOrRollbackFromACompletionListenerThrowIllegalStateException() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = plain.createProducer(plain.createQueue("async-forbidden"));
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            p.send(plain.createTextMessage("x"), new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    outcomes.add(attempt(p::close));
                    outcomes.add(attempt(plain::close));
                    outcomes.add(attempt(c::close));
                    outcomes.add(attempt(tx::commit));
                    outcomes.add(attempt(tx::rollback));
                }

                @Override
                public void onException(Message message, Exception exception) {
                    outcomes.add(exception);
                }
            });
            await().until(() -> outcomes.size() >= 5);
            for (Object o : outcomes) {
                assertInstanceOf(IllegalStateException.class, o);
            }
            // Nothing was closed by the refused calls.
            p.send(plain.createTextMessage("still open"));
        }
    }

    @Test
    void asyncSendInATransactionCompletesAndArrivesAtCommit() throws Exception {
        Recorder r = new Recorder();
        try (Connection c = factory().createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue q = new HeraldQueue("async-tx");
            tx.createProducer(q).send(tx.createTextMessage("in tx"), r);
            await().until(() -> r.completed.size() == 1);
            MessageConsumer consumer = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            assertNull(consumer.receive(500), "a transacted send is not visible before commit");
            tx.commit();
            Message m = consumer.receive(WAIT_MS);
            assertEquals("in tx", ((TextMessage) m).getText());
        }
    }

    private interface JmsCall {
        void run() throws Exception;
    }

    private static Object attempt(JmsCall call) {
        try {
            call.run();
            return "no exception";
        } catch (Exception e) {
            return e;
        }
    }
}
