package io.heraldmq.frameworks.spring;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spring's {@link DefaultMessageListenerContainer}, unchanged, over HeraldMQ: competing consumers on a queue, a
 * durable topic subscription that keeps what is published while the container is stopped or gone, and shared
 * subscriptions whose messages are split over concurrent consumers with none lost or duplicated.
 */
class ListenerContainerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private final List<DefaultMessageListenerContainer> containers = new ArrayList<>();
    private CachingConnectionFactory sendingFactory;
    private JmsTemplate queues;
    private JmsTemplate topics;

    @BeforeEach
    void templates() {
        sendingFactory = new CachingConnectionFactory(new HeraldConnectionFactory(broker.url()));
        queues = new JmsTemplate(sendingFactory);
        topics = new JmsTemplate(sendingFactory);
        topics.setPubSubDomain(true);
    }

    @AfterEach
    void shutDown() {
        containers.forEach(DefaultMessageListenerContainer::shutdown);
        sendingFactory.destroy();
    }

    private ObservedListenerContainer container(String destination, Delivered listener) {
        ObservedListenerContainer c = new ObservedListenerContainer();
        c.setConnectionFactory(new HeraldConnectionFactory(broker.url()));
        c.setDestinationName(destination);
        c.setMessageListener(listener);
        c.setReceiveTimeout(500);
        containers.add(c);
        return c;
    }

    private static void send(JmsTemplate template, String destination, int from, int to) {
        for (int n = from; n < to; n++) {
            int i = n;
            template.convertAndSend(destination, "message " + n, m -> {
                m.setIntProperty("n", i);
                return m;
            });
        }
    }

    @Test
    void threeConcurrentConsumersOnAQueueGetEveryMessageExactlyOnce() {
        Delivered delivered = new Delivered();
        ObservedListenerContainer c = container("lc.queue", delivered);
        c.setConcurrentConsumers(3);
        c.afterPropertiesSet();
        c.start();
        await().atMost(TIMEOUT).until(() -> c.consumersCreated() == 3);

        send(queues, "lc.queue", 0, 1500);

        await().atMost(TIMEOUT).until(() -> delivered.distinct() == 1500);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> delivered.total() == 1500);
        delivered.assertExactlyOnce(0, 1500);
        assertEquals(3, delivered.perThread().size(), "consumers that got messages: " + delivered.perThread());
    }

    /**
     * A container that keeps only its connection and opens a new session and consumer every ten messages, scaling
     * between two and four consumers: each closed consumer hands back what it had prefetched, and nothing may be
     * lost or delivered twice on the way.
     */
    @Test
    void consumersOpenedAndClosedEveryTenMessagesLoseAndDuplicateNothing() {
        Delivered delivered = new Delivered();
        ObservedListenerContainer c = container("lc.churn", delivered);
        c.setCacheLevel(DefaultMessageListenerContainer.CACHE_CONNECTION);
        c.setConcurrentConsumers(2);
        c.setMaxConcurrentConsumers(4);
        c.setMaxMessagesPerTask(10);
        c.setIdleTaskExecutionLimit(1);
        c.afterPropertiesSet();

        send(queues, "lc.churn", 0, 1000);
        c.start();

        await().atMost(TIMEOUT).until(() -> delivered.distinct() == 1000);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> delivered.total() == 1000);
        delivered.assertExactlyOnce(0, 1000);
        assertTrue(c.consumersCreated() >= 100, "consumers created: " + c.consumersCreated());
    }

    @Test
    void aDurableSubscriptionKeepsWhatIsPublishedWhileTheContainerIsStoppedOrGone() throws Exception {
        Delivered delivered = new Delivered();
        ObservedListenerContainer first = durableContainer(delivered);
        first.start();
        await().atMost(TIMEOUT).until(first::isRegisteredWithDestination);

        send(topics, "lc.durable", 0, 10);
        await().atMost(TIMEOUT).until(() -> delivered.total() == 10);

        first.stop();
        send(topics, "lc.durable", 10, 20);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> delivered.total() == 10);
        first.start();
        await().atMost(TIMEOUT).until(() -> delivered.total() == 20);

        first.shutdown();
        send(topics, "lc.durable", 20, 30);
        ObservedListenerContainer second = durableContainer(delivered);
        second.start();
        await().atMost(TIMEOUT).until(() -> delivered.total() >= 30);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> delivered.total() == 30);
        delivered.assertExactlyOnce(0, 30);
        second.shutdown();

        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            c.setClientID("lc-durable-app");
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).unsubscribe("audit");
        }
    }

    private ObservedListenerContainer durableContainer(Delivered delivered) {
        ObservedListenerContainer c = container("lc.durable", delivered);
        c.setPubSubDomain(true);
        c.setSubscriptionDurable(true);
        c.setClientId("lc-durable-app");
        c.setSubscriptionName("audit");
        c.afterPropertiesSet();
        return c;
    }

    @Test
    void aSharedSubscriptionSplitsATopicOverThreeConcurrentConsumers() {
        assertSharedSubscriptionSplits("lc.shared", false);
    }

    @Test
    void aSharedDurableSubscriptionSplitsATopicOverThreeConcurrentConsumers() {
        assertSharedSubscriptionSplits("lc.shared-durable", true);
    }

    private void assertSharedSubscriptionSplits(String topic, boolean durable) {
        Delivered delivered = new Delivered();
        ObservedListenerContainer c = container(topic, delivered);
        c.setPubSubDomain(true);
        c.setSubscriptionShared(true);
        c.setSubscriptionDurable(durable);
        c.setSubscriptionName("split");
        c.setConcurrentConsumers(3);
        c.afterPropertiesSet();
        c.start();
        await().atMost(TIMEOUT).until(() -> c.consumersCreated() == 3);

        send(topics, topic, 0, 1500);

        await().atMost(TIMEOUT).until(() -> delivered.distinct() == 1500);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> delivered.total() == 1500);
        delivered.assertExactlyOnce(0, 1500);
        assertEquals(3, delivered.perThread().size(), "consumers that got messages: " + delivered.perThread());
    }
}
