package io.heraldmq.frameworks.spring;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.SimpleMessageListenerContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Spring's {@link SimpleMessageListenerContainer}, which, unlike the default container, registers
 * {@code MessageListener}s with the provider, so messages arrive on HeraldMQ's session threads: competing
 * listeners on a queue, and a transacted session rolled back from inside {@code onMessage}.
 */
class SimpleListenerContainerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private final List<SimpleMessageListenerContainer> containers = new ArrayList<>();
    private final CachingConnectionFactory sendingFactory =
            new CachingConnectionFactory(new HeraldConnectionFactory(broker.url()));

    @AfterEach
    void shutDown() {
        containers.forEach(SimpleMessageListenerContainer::shutdown);
        sendingFactory.destroy();
    }

    private SimpleMessageListenerContainer container(String queue, MessageListener listener) {
        SimpleMessageListenerContainer c = new SimpleMessageListenerContainer();
        c.setConnectionFactory(new HeraldConnectionFactory(broker.url()));
        c.setDestinationName(queue);
        c.setMessageListener(listener);
        containers.add(c);
        return c;
    }

    private void send(String queue, int count) {
        JmsTemplate t = new JmsTemplate(sendingFactory);
        for (int n = 0; n < count; n++) {
            int i = n;
            t.convertAndSend(queue, "message " + n, m -> {
                m.setIntProperty("n", i);
                return m;
            });
        }
    }

    @Test
    void threeListenersOnAQueueGetEveryMessageExactlyOnce() {
        Delivered delivered = new Delivered();
        SimpleMessageListenerContainer c = container("slc.queue", delivered);
        c.setConcurrentConsumers(3);
        c.afterPropertiesSet();
        c.start();

        send("slc.queue", 1500);

        await().atMost(TIMEOUT).until(() -> delivered.distinct() == 1500);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> delivered.total() == 1500);
        delivered.assertExactlyOnce(0, 1500);
    }

    record Delivery(int n, boolean redelivered) {
    }

    @Test
    void aRollbackInsideOnMessageRedeliversOnlyThatMessageFlaggedAndFirst() {
        Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        SimpleMessageListenerContainer c = container("slc.tx", m -> {
            try {
                Delivery d = new Delivery(m.getIntProperty("n"), m.getJMSRedelivered());
                deliveries.add(d);
                if (d.n() == 3 && !d.redelivered()) {
                    throw new IllegalStateException("first delivery of message 3 fails");
                }
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        c.setSessionTransacted(true);
        c.setErrorHandler(errors::add);
        c.afterPropertiesSet();
        send("slc.tx", 10);
        c.start();

        await().atMost(TIMEOUT).until(() -> deliveries.size() >= 11);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> deliveries.size() == 11);
        List<Delivery> expected = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            expected.add(new Delivery(n, false));
            if (n == 3) {
                expected.add(new Delivery(n, true));
            }
        }
        assertEquals(expected, new ArrayList<>(deliveries));
        assertEquals(1, errors.size(), "listener failures: " + errors);
    }
}
