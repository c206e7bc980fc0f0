package io.heraldmq.spring.boot;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.security.PasswordHash;
import io.heraldmq.spring.boot.app.Listeners;
import io.heraldmq.spring.boot.app.StarterApplication;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.config.JmsListenerEndpointRegistry;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application ({@link StarterApplication}) whose only HeraldMQ configuration is
 * {@code spring.heraldmq.*}, against a real broker that requires a user and dead-letters after 3 deliveries.
 */
class SpringBootStarterIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String USER = "app";
    private static final String PASSWORD = "s3cret";
    private static final String CLIENT_ID = "starter-it";
    private static final int MAX_DELIVERY_ATTEMPTS = 3;

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.ofEntries(
            Map.entry("user." + USER, PasswordHash.create(PASSWORD.toCharArray(), 1_000).encoded()),
            // with users the broker refuses what no permission grants: this application's user may do anything
            Map.entry("user." + USER + ".roles", "app"),
            Map.entry("permission.send.#", "app"),
            Map.entry("permission.consume.#", "app"),
            Map.entry("permission.browse.#", "app"),
            Map.entry("permission.createDurable.#", "app"),
            Map.entry("permission.deleteDurable.#", "app"),
            Map.entry("permission.createDestination.#", "app"),
            Map.entry("permission.deleteDestination.#", "app"),
            Map.entry("permission.manage.#", "app"),
            Map.entry("max.delivery.attempts", String.valueOf(MAX_DELIVERY_ATTEMPTS))));

    private static ConfigurableApplicationContext start(String... moreProperties) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.heraldmq.url=" + broker.url(),
                "spring.heraldmq.user=" + USER,
                "spring.heraldmq.password=" + PASSWORD,
                "spring.heraldmq.client-id=" + CLIENT_ID,
                "spring.jms.template.receive-timeout=10s",
                "logging.level.root=WARN",
                // the listeners that throw on purpose would log every failure with its stack trace
                "logging.level.org.springframework.jms.listener=ERROR"));
        properties.addAll(List.of(moreProperties));
        return new SpringApplicationBuilder(StarterApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    private static void send(JmsTemplate jms, Object destination, int n) {
        if (destination instanceof String queue) {
            jms.convertAndSend(queue, "message " + n, m -> withN(m, n));
        } else {
            jms.convertAndSend((Topic) destination, "message " + n, m -> withN(m, n));
        }
    }

    private static Message withN(Message m, int n) throws jakarta.jms.JMSException {
        m.setIntProperty("n", n);
        return m;
    }

    /** Waits until {@code from..to-1} have all arrived and nothing more comes for 300 ms; then each exactly once. */
    private static void assertEachOnce(Map<Integer, AtomicInteger> counts, int from, int to) {
        await().atMost(TIMEOUT).until(() -> counts.size() == to - from);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() ->
                counts.values().stream().mapToInt(AtomicInteger::get).sum() == to - from);
        for (int n = from; n < to; n++) {
            AtomicInteger c = counts.get(n);
            assertThat(c == null ? 0 : c.get()).as("deliveries of message %d", n).isEqualTo(1);
        }
    }

    private static void awaitDurableSubscription(ConfigurableApplicationContext app) {
        DefaultMessageListenerContainer prices = (DefaultMessageListenerContainer) app
                .getBean(JmsListenerEndpointRegistry.class).getListenerContainer(Listeners.PRICES_LISTENER);
        await().atMost(TIMEOUT).until(prices::isRegisteredWithDestination);
    }

    @Test
    void queueAndDurableTopicListenersGetEveryMessageSentThroughBootsJmsTemplateOnce() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            assertThat(app.getBean(JmsTemplate.class).getConnectionFactory())
                    .isInstanceOf(CachingConnectionFactory.class);
            awaitDurableSubscription(app);
            JmsTemplate jms = app.getBean(JmsTemplate.class);
            Listeners listeners = app.getBean(Listeners.class);
            Topic prices = jms.execute(session -> session.createTopic(Listeners.PRICES));
            for (int n = 0; n < 200; n++) {
                send(jms, Listeners.ORDERS, n);
                if (n < 50) {
                    send(jms, prices, n);
                }
            }
            assertEachOnce(listeners.orders, 0, 200);
            assertEachOnce(listeners.prices, 0, 50);
        }

        // While the application is down its durable subscription keeps what is published (anonymous: refused).
        assertThatThrownBy(() -> new HeraldConnectionFactory(broker.url()).createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection(USER, PASSWORD)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(Listeners.PRICES));
            for (int n = 50; n < 80; n++) {
                TextMessage m = s.createTextMessage("message " + n);
                m.setIntProperty("n", n);
                p.send(m);
            }
        }
        try (ConfigurableApplicationContext app = start()) {
            assertEachOnce(app.getBean(Listeners.class).prices, 50, 80);
        }

        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection(USER, PASSWORD)) {
            c.setClientID(CLIENT_ID);
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).unsubscribe(Listeners.PRICES_SUBSCRIPTION);
        }
    }

    @Test
    void aListenerThatThrowsRollsBackAndGetsTheMessageAgainThenDeadLettersAfterTheBrokersLimit() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            JmsTemplate jms = app.getBean(JmsTemplate.class);
            Listeners listeners = app.getBean(Listeners.class);
            for (int n = 0; n < 20; n++) {
                send(jms, Listeners.PAYMENTS, n);
            }
            assertEachOnce(listeners.payments, 0, 20);
            for (int n = 0; n < 20; n++) {
                assertThat(listeners.paymentAttempts.get(n)).as("JMSXDeliveryCount of payment %d's deliveries", n)
                        .containsExactly(1, 2);
            }
            send(jms, Listeners.POISON, 7);
            Message dead = jms.receive("DLQ." + Listeners.POISON);
            assertThat(dead).as("dead letter").isNotNull();
            assertThat(dead.getIntProperty("n")).isEqualTo(7);
            assertThat(dead.getStringProperty("JMS_HeraldOriginalDestination")).contains(Listeners.POISON);
            assertThat(listeners.poisonAttempts).containsExactly(1, 2, 3);
        }
    }

    @Test
    void withThePoolOnTheTemplateAndListenersShareAPooledJmsFactory() {
        try (ConfigurableApplicationContext app = start("spring.heraldmq.pool.enabled=true")) {
            JmsTemplate jms = app.getBean(JmsTemplate.class);
            assertThat(jms.getConnectionFactory()).isInstanceOf(JmsPoolConnectionFactory.class);
            awaitDurableSubscription(app);
            Topic prices = jms.execute(session -> session.createTopic(Listeners.PRICES));
            Listeners listeners = app.getBean(Listeners.class);
            for (int n = 0; n < 100; n++) {
                send(jms, Listeners.ORDERS, n);
                send(jms, prices, n);
            }
            assertEachOnce(listeners.orders, 0, 100);
            assertEachOnce(listeners.prices, 0, 100);
        }
    }
}
