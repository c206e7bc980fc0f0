package io.heraldmq.frameworks.spring;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Spring's {@link DefaultMessageListenerContainer} with {@code CLIENT_ACKNOWLEDGE}: the container acknowledges after
 * the listener returns and calls {@code Session.recover()} when it throws, so the failed message comes back (flagged
 * redelivered, before the ones after it) and nothing else is delivered twice.
 */
class ClientAcknowledgeListenerContainerIT {
    private static final int MESSAGES = 20;
    private static final int POISON = 5;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private DefaultMessageListenerContainer container;

    @AfterEach
    void shutDown() {
        if (container != null) {
            container.shutdown();
        }
    }

    record Delivery(int n, boolean redelivered) {
    }

    @Test
    void aListenerExceptionRecoversTheSessionAndOnlyTheFailedMessageComesBack() {
        JmsTemplate sender = new JmsTemplate(new HeraldConnectionFactory(broker.url()));
        for (int n = 0; n < MESSAGES; n++) {
            int i = n;
            sender.convertAndSend("ack.client", "message " + n, m -> {
                m.setIntProperty("n", i);
                return m;
            });
        }
        Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        container = new DefaultMessageListenerContainer();
        container.setConnectionFactory(new HeraldConnectionFactory(broker.url()));
        container.setDestinationName("ack.client");
        container.setSessionAcknowledgeMode(Session.CLIENT_ACKNOWLEDGE);
        container.setReceiveTimeout(500);
        container.setErrorHandler(errors::add);
        container.setMessageListener((jakarta.jms.MessageListener) m -> {
            try {
                Delivery d = new Delivery(m.getIntProperty("n"), m.getJMSRedelivered());
                deliveries.add(d);
                if (d.n() == POISON && !d.redelivered()) {
                    throw new IllegalStateException("first delivery of message " + POISON + " fails");
                }
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        container.afterPropertiesSet();
        container.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= MESSAGES + 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(60))
                .until(() -> deliveries.size() == MESSAGES + 1);
        List<Delivery> expected = new ArrayList<>();
        for (int n = 0; n < MESSAGES; n++) {
            expected.add(new Delivery(n, false));
            if (n == POISON) {
                expected.add(new Delivery(n, true));
            }
        }
        assertEquals(expected, new ArrayList<>(deliveries));
        assertEquals(1, errors.size(), "listener failures: " + errors);
    }
}
