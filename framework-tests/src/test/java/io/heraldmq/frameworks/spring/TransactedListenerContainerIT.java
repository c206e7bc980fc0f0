package io.heraldmq.frameworks.spring;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.SessionAwareMessageListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Spring's {@link DefaultMessageListenerContainer} with {@code sessionTransacted = true} (a local JMS transaction per
 * message, no transaction manager): a listener that throws on the first delivery of one message makes the container
 * roll back, HeraldMQ redelivers that message with {@code JMSRedelivered} set, and every other message still arrives
 * once. What the listener sends through a {@link JmsTemplate} joins the container's transaction and is discarded
 * with the rollback.
 */
class TransactedListenerContainerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MESSAGES = 20;
    private static final int POISON = 3;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private CachingConnectionFactory sendingFactory;
    private JmsTemplate sender;
    private final List<DefaultMessageListenerContainer> containers = new ArrayList<>();
    private final Queue<Throwable> listenerErrors = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void sender() {
        sendingFactory = new CachingConnectionFactory(new HeraldConnectionFactory(broker.url()));
        sender = new JmsTemplate(sendingFactory);
    }

    @AfterEach
    void shutDown() {
        containers.forEach(DefaultMessageListenerContainer::shutdown);
        sendingFactory.destroy();
    }

    /** One delivery as the listener saw it. */
    record Delivery(int n, boolean redelivered, int deliveryCount) {
        static Delivery of(Message m) throws JMSException {
            return new Delivery(m.getIntProperty("n"), m.getJMSRedelivered(),
                    m.getIntProperty("JMSXDeliveryCount"));
        }
    }

    private DefaultMessageListenerContainer transactedContainer(ConnectionFactory cf, String queue, Object listener) {
        DefaultMessageListenerContainer c = new DefaultMessageListenerContainer();
        c.setConnectionFactory(cf);
        c.setDestinationName(queue);
        c.setSessionTransacted(true);
        c.setMessageListener(listener);
        c.setReceiveTimeout(500);
        // The thrown exceptions are expected: record them instead of letting the container log them.
        c.setErrorHandler(listenerErrors::add);
        c.afterPropertiesSet();
        containers.add(c);
        return c;
    }

    private void send(String queue) {
        for (int n = 0; n < MESSAGES; n++) {
            int i = n;
            sender.convertAndSend(queue, "message " + n, m -> {
                m.setIntProperty("n", i);
                return m;
            });
        }
    }

    /** Throws on the first delivery of message {@link #POISON}, records every delivery. */
    private static jakarta.jms.MessageListener failingOnceListener(Queue<Delivery> deliveries) {
        return m -> {
            try {
                Delivery d = Delivery.of(m);
                deliveries.add(d);
                if (d.n() == POISON && !d.redelivered()) {
                    throw new IllegalStateException("first delivery of message " + POISON + " fails");
                }
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void aListenerExceptionRollsBackAndTheMessageIsRedeliveredFlaggedWhileTheRestStillArrive() {
        Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        DefaultMessageListenerContainer c = transactedContainer(new HeraldConnectionFactory(broker.url()),
                "tx.redeliver", failingOnceListener(deliveries));
        send("tx.redeliver");
        c.start();

        await().atMost(TIMEOUT).until(() -> deliveries.size() == MESSAGES + 1);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> deliveries.size() == MESSAGES + 1);
        List<Delivery> poison = deliveries.stream().filter(d -> d.n() == POISON).toList();
        assertEquals(List.of(new Delivery(POISON, false, 1), new Delivery(POISON, true, 2)), poison);
        for (int n = 0; n < MESSAGES; n++) {
            if (n != POISON) {
                int i = n;
                assertEquals(List.of(new Delivery(n, false, 1)),
                        deliveries.stream().filter(d -> d.n() == i).toList(), "deliveries of message " + n);
            }
        }
        assertEquals(1, listenerErrors.size(), "listener failures: " + listenerErrors);
    }

    @Test
    void afterTheRollbackTheSessionStartsAgainWithTheRolledBackMessage() {
        Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        DefaultMessageListenerContainer c = transactedContainer(new HeraldConnectionFactory(broker.url()),
                "tx.order", failingOnceListener(deliveries));
        send("tx.order");
        c.start();

        await().atMost(TIMEOUT).until(() -> deliveries.size() == MESSAGES + 1);
        List<Integer> order = deliveries.stream().map(Delivery::n).toList();
        List<Integer> expected = new ArrayList<>();
        for (int n = 0; n < MESSAGES; n++) {
            expected.add(n);
            if (n == POISON) {
                expected.add(n);
            }
        }
        assertEquals(expected, order, "one consumer on a transacted session: rollback restarts at the rolled back"
                + " message (Jakarta Messaging 3.1, 6.2.10 and 6.2.11)");
    }

    @Test
    void whatTheListenerSendsThroughAJmsTemplateCommitsAndRollsBackWithTheReceive() throws Exception {
        // The container's session is exposed to a JmsTemplate on the same connection factory, so the forward
        // joins the local transaction of the receive.
        ConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        JmsTemplate forwarder = new JmsTemplate(cf);
        Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        SessionAwareMessageListener<Message> listener = (m, session) -> {
            Delivery d = Delivery.of(m);
            deliveries.add(d);
            forwarder.convertAndSend("tx.forwarded", "forwarded " + d.n(), out -> {
                out.setIntProperty("n", d.n());
                return out;
            });
            if (d.n() == POISON && !d.redelivered()) {
                throw new IllegalStateException("first delivery of message " + POISON + " fails after forwarding");
            }
        };
        DefaultMessageListenerContainer c = transactedContainer(cf, "tx.forward", listener);
        send("tx.forward");
        c.start();
        await().atMost(TIMEOUT).until(() -> deliveries.size() == MESSAGES + 1);

        Delivered forwarded = new Delivered();
        JmsTemplate reader = new JmsTemplate(sendingFactory);
        reader.setReceiveTimeout(10_000);
        for (int i = 0; i < MESSAGES; i++) {
            Message m = reader.receive("tx.forwarded");
            assertEquals(false, m == null, "forwarded messages received: " + forwarded.total());
            forwarded.onMessage(m);
        }
        reader.setReceiveTimeout(300);
        assertNull(reader.receive("tx.forwarded"), "a message sent in the rolled back transaction");
        forwarded.assertExactlyOnce(0, MESSAGES);
    }
}
