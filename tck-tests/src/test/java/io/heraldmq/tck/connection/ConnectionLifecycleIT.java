package io.heraldmq.tck.connection;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 6.1 (connections: 6.1.4 starting, 6.1.5 pausing delivery, 6.1.8 closing) and
 * 6.2.5 (closing a session), with the Javadoc of Connection, Session, MessageProducer and MessageConsumer: stop waits
 * for running listeners, close waits for them and ends blocked receives with null, closed objects throw
 * IllegalStateException (closing again does nothing), and what a listener may do to its own connection.
 */
class ConnectionLifecycleIT {
    private static final long WAIT_MS = 30_000;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private Connection connect() throws JMSException {
        return new HeraldConnectionFactory(broker.url()).createConnection();
    }

    private static void send(Session s, Queue q, int n) throws JMSException {
        MessageProducer p = s.createProducer(q);
        for (int i = 0; i < n; i++) {
            p.send(s.createTextMessage("m" + i));
        }
        p.close();
    }

    /** Waits until the thread is blocked, so that the caller knows it has entered the call it makes. */
    private static void awaitBlocked(Thread t) {
        await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void stopWaitsForARunningListenerPausesDeliveryAndStartResumesIt() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("lifecycle.stop");
            CountDownLatch inListener = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean firstListenerReturned = new AtomicBoolean();
            AtomicInteger delivered = new AtomicInteger();
            s.createConsumer(q).setMessageListener(m -> {
                if (delivered.incrementAndGet() == 1) {
                    inListener.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    firstListenerReturned.set(true);
                }
            });
            c.start();
            Session ps = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(ps, q, 1);
            assertTrue(inListener.await(WAIT_MS, TimeUnit.MILLISECONDS));

            CompletableFuture<Boolean> listenerDoneWhenStopReturned = new CompletableFuture<>();
            Thread stopper = new Thread(() -> {
                try {
                    c.stop();
                    listenerDoneWhenStopReturned.complete(firstListenerReturned.get());
                } catch (Throwable e) {
                    listenerDoneWhenStopReturned.completeExceptionally(e);
                }
            });
            stopper.start();
            awaitBlocked(stopper);
            release.countDown();
            assertTrue(listenerDoneWhenStopReturned.get(WAIT_MS, TimeUnit.MILLISECONDS),
                    "stop() returned only after the running listener had returned");

            send(ps, q, 3);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofMillis(WAIT_MS))
                    .until(() -> delivered.get() == 1);
            c.start();
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> delivered.get() == 4);
        }
    }

    @Test
    void aStoppedConnectionDoesNotDeliverToReceive() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("lifecycle.stop.receive");
            MessageConsumer consumer = s.createConsumer(q);
            send(s, q, 1);
            c.start();
            c.stop();
            c.stop(); // stopping a stopped connection is ignored
            assertNull(consumer.receive(300), "stopped: receive times out");
            c.start();
            c.start(); // starting a started connection is ignored
            assertEquals("m0", ((TextMessage) consumer.receive(WAIT_MS)).getText());
        }
    }

    @Test
    void closeWaitsForARunningListener() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("lifecycle.close.listener");
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean listenerReturned = new AtomicBoolean();
        s.createConsumer(q).setMessageListener(m -> {
            inListener.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listenerReturned.set(true);
        });
        c.start();
        send(c.createSession(false, Session.AUTO_ACKNOWLEDGE), q, 1);
        assertTrue(inListener.await(WAIT_MS, TimeUnit.MILLISECONDS));
        CompletableFuture<Boolean> listenerDoneWhenCloseReturned = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                c.close();
                listenerDoneWhenCloseReturned.complete(listenerReturned.get());
            } catch (Throwable e) {
                listenerDoneWhenCloseReturned.completeExceptionally(e);
            }
        });
        closer.start();
        awaitBlocked(closer);
        release.countDown();
        assertTrue(listenerDoneWhenCloseReturned.get(WAIT_MS, TimeUnit.MILLISECONDS));
    }

    @Test
    void closingTheConnectionSessionOrConsumerEndsABlockedReceiveWithNull() throws Exception {
        for (String what : List.of("connection", "session", "consumer")) {
            Connection c = connect();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("lifecycle.unblock." + what));
            c.start();
            CompletableFuture<Message> received = new CompletableFuture<>();
            Thread receiver = new Thread(() -> {
                try {
                    received.complete(consumer.receive());
                } catch (Throwable e) {
                    received.completeExceptionally(e);
                }
            });
            receiver.start();
            awaitBlocked(receiver);
            switch (what) {
                case "connection" -> c.close();
                case "session" -> s.close();
                default -> consumer.close();
            }
            assertNull(received.get(WAIT_MS, TimeUnit.MILLISECONDS), what);
            c.close();
        }
    }

    @Test
    void aListenerMustNotStopOrCloseItsOwnConnection() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("lifecycle.listener.own");
            CompletableFuture<List<Class<?>>> outcome = new CompletableFuture<>();
            s.createConsumer(q).setMessageListener(m -> outcome.complete(List.of(thrown(c::stop), thrown(c::close))));
            c.start();
            send(c.createSession(false, Session.AUTO_ACKNOWLEDGE), q, 1);
            assertEquals(List.of(IllegalStateException.class, IllegalStateException.class),
                    outcome.get(WAIT_MS, TimeUnit.MILLISECONDS));
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).close(); // the connection still works
        }
    }

    @Test
    void aListenerMayCloseItsOwnConsumerButNotItsOwnSession() throws Exception {
        // Session.close from the session's own listener either fails with IllegalStateException or succeeds (Session
        // Javadoc); HeraldMQ fails, as for Connection.stop and close. MessageConsumer.close is allowed.
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("lifecycle.listener.consumer");
            CompletableFuture<Class<?>> sessionClose = new CompletableFuture<>();
            MessageConsumer[] consumer = new MessageConsumer[1];
            consumer[0] = s.createConsumer(q);
            consumer[0].setMessageListener(m -> {
                try {
                    consumer[0].close();
                    sessionClose.complete(thrown(s::close));
                } catch (Throwable e) {
                    sessionClose.completeExceptionally(e);
                }
            });
            c.start();
            send(c.createSession(false, Session.AUTO_ACKNOWLEDGE), q, 1);
            assertEquals(IllegalStateException.class, sessionClose.get(WAIT_MS, TimeUnit.MILLISECONDS));
            assertThrows(IllegalStateException.class, () -> consumer[0].getMessageSelector());
            s.createTextMessage(); // the session is still open
            s.close();
            assertThrows(IllegalStateException.class, s::createTextMessage);
        }
    }

    @Test
    void consumerCloseFromAnotherThreadWaitsForItsRunningListener() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("lifecycle.consumer.close");
            CountDownLatch inListener = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean listenerReturned = new AtomicBoolean();
            MessageConsumer consumer = s.createConsumer(q);
            consumer.setMessageListener(m -> {
                inListener.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                listenerReturned.set(true);
            });
            c.start();
            send(c.createSession(false, Session.AUTO_ACKNOWLEDGE), q, 1);
            assertTrue(inListener.await(WAIT_MS, TimeUnit.MILLISECONDS));
            CompletableFuture<Boolean> listenerDoneWhenCloseReturned = new CompletableFuture<>();
            Thread closer = new Thread(() -> {
                try {
                    consumer.close();
                    listenerDoneWhenCloseReturned.complete(listenerReturned.get());
                } catch (Throwable e) {
                    listenerDoneWhenCloseReturned.completeExceptionally(e);
                }
            });
            closer.start();
            awaitBlocked(closer);
            release.countDown();
            assertTrue(listenerDoneWhenCloseReturned.get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    private static Class<?> thrown(Executable e) {
        try {
            e.execute();
            return null;
        } catch (Throwable t) {
            return t.getClass();
        }
    }

    @Test
    void everyMethodOfAClosedObjectThrowsIllegalStateExceptionAndCloseIsANoOp() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("lifecycle.closed");
        MessageProducer producer = s.createProducer(q);
        MessageConsumer consumer = s.createConsumer(q);
        producer.send(s.createTextMessage("to acknowledge"));
        c.start();
        Message received = consumer.receive(WAIT_MS);
        TextMessage unsent = s.createTextMessage("x");

        Map<String, Executable> producerCalls = new LinkedHashMap<>();
        producerCalls.put("send", () -> producer.send(unsent));
        producerCalls.put("getDeliveryMode", producer::getDeliveryMode);
        producerCalls.put("setDeliveryMode", () -> producer.setDeliveryMode(1));
        producerCalls.put("getPriority", producer::getPriority);
        producerCalls.put("setPriority", () -> producer.setPriority(1));
        producerCalls.put("getTimeToLive", producer::getTimeToLive);
        producerCalls.put("setTimeToLive", () -> producer.setTimeToLive(1));
        producerCalls.put("getDeliveryDelay", producer::getDeliveryDelay);
        producerCalls.put("setDeliveryDelay", () -> producer.setDeliveryDelay(1));
        producerCalls.put("getDisableMessageID", producer::getDisableMessageID);
        producerCalls.put("setDisableMessageID", () -> producer.setDisableMessageID(true));
        producerCalls.put("getDisableMessageTimestamp", producer::getDisableMessageTimestamp);
        producerCalls.put("setDisableMessageTimestamp", () -> producer.setDisableMessageTimestamp(true));
        producerCalls.put("getDestination", producer::getDestination);

        Map<String, Executable> consumerCalls = new LinkedHashMap<>();
        consumerCalls.put("receive", consumer::receive);
        consumerCalls.put("receive(timeout)", () -> consumer.receive(10));
        consumerCalls.put("receiveNoWait", consumer::receiveNoWait);
        consumerCalls.put("getMessageSelector", consumer::getMessageSelector);
        consumerCalls.put("getMessageListener", consumer::getMessageListener);
        consumerCalls.put("setMessageListener", () -> consumer.setMessageListener(null));

        Map<String, Executable> sessionCalls = new LinkedHashMap<>();
        sessionCalls.put("createTextMessage", s::createTextMessage);
        sessionCalls.put("createBytesMessage", s::createBytesMessage);
        sessionCalls.put("createMapMessage", s::createMapMessage);
        sessionCalls.put("createObjectMessage", s::createObjectMessage);
        sessionCalls.put("createStreamMessage", s::createStreamMessage);
        sessionCalls.put("createMessage", s::createMessage);
        sessionCalls.put("createProducer", () -> s.createProducer(q));
        sessionCalls.put("createConsumer", () -> s.createConsumer(q));
        sessionCalls.put("createBrowser", () -> s.createBrowser(q));
        sessionCalls.put("createQueue", () -> s.createQueue("y"));
        sessionCalls.put("createTopic", () -> s.createTopic("y"));
        sessionCalls.put("createTemporaryQueue", s::createTemporaryQueue);
        sessionCalls.put("createTemporaryTopic", s::createTemporaryTopic);
        sessionCalls.put("getTransacted", s::getTransacted);
        sessionCalls.put("getAcknowledgeMode", s::getAcknowledgeMode);
        sessionCalls.put("commit", s::commit);
        sessionCalls.put("rollback", s::rollback);
        sessionCalls.put("recover", s::recover);
        sessionCalls.put("unsubscribe", () -> s.unsubscribe("d"));
        sessionCalls.put("getMessageListener", s::getMessageListener);
        sessionCalls.put("acknowledge a received message", received::acknowledge);

        Map<String, Executable> connectionCalls = new LinkedHashMap<>();
        connectionCalls.put("createSession", () -> c.createSession(false, Session.AUTO_ACKNOWLEDGE));
        connectionCalls.put("getClientID", c::getClientID);
        connectionCalls.put("getMetaData", c::getMetaData);
        connectionCalls.put("getExceptionListener", c::getExceptionListener);
        connectionCalls.put("setExceptionListener", () -> c.setExceptionListener(null));
        connectionCalls.put("start", c::start);
        connectionCalls.put("stop", c::stop);

        // Each object closed on its own first, then everything by closing the connection.
        producer.close();
        producer.close();
        assertAllIllegalState("producer", producerCalls);
        consumer.close();
        consumer.close();
        assertAllIllegalState("consumer", consumerCalls);
        s.close();
        s.close();
        assertAllIllegalState("session", sessionCalls);
        c.close();
        c.close();
        assertAllIllegalState("connection", connectionCalls);
        assertEquals("to acknowledge", ((TextMessage) received).getText(), "a received message stays readable");
    }

    @Test
    void closingTheConnectionClosesItsSessionsProducersAndConsumers() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("lifecycle.closed.cascade");
        MessageProducer producer = s.createProducer(q);
        MessageConsumer consumer = s.createConsumer(q);
        c.close();
        assertThrows(IllegalStateException.class, s::createTextMessage);
        assertThrows(IllegalStateException.class, () -> producer.send(new io.heraldmq.jms.message.HeraldMessage()));
        assertThrows(IllegalStateException.class, consumer::receiveNoWait);
        s.close();
        producer.close();
        consumer.close();
    }

    private static void assertAllIllegalState(String object, Map<String, Executable> calls) {
        for (Map.Entry<String, Executable> e : calls.entrySet()) {
            assertThrows(IllegalStateException.class, e.getValue(), object + "." + e.getKey());
        }
    }

    @Test
    void metaDataNamesJakartaMessaging31AndTheSupportedJmsxProperties() throws Exception {
        try (Connection c = connect()) {
            ConnectionMetaData md = c.getMetaData();
            assertEquals("3.1", md.getJMSVersion());
            assertEquals(3, md.getJMSMajorVersion());
            assertEquals(1, md.getJMSMinorVersion());
            assertEquals("HeraldMQ", md.getJMSProviderName());
            assertEquals(md.getProviderMajorVersion() + "." + md.getProviderMinorVersion(),
                    md.getProviderVersion().substring(0, md.getProviderVersion().lastIndexOf('.')));
            List<String> jmsx = Collections.list(md.getJMSXPropertyNames()).stream().map(Object::toString).toList();
            assertTrue(jmsx.containsAll(List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq")), jmsx.toString());
        }
    }
}
