package io.heraldmq.frameworks.boot;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.config.JmsListenerEndpointRegistry;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring Boot 3 application ({@link HeraldJmsApplication}: the plain starter, Boot's JMS auto-configuration,
 * {@code @EnableJms}, {@code @JmsListener} methods) whose only HeraldMQ part is its {@code ConnectionFactory} bean,
 * started with {@link SpringApplicationBuilder} against a real broker.
 */
class SpringBootJmsListenerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(HeraldJmsApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .properties(
                        "heraldmq.url=" + broker.url(),
                        "logging.level.root=WARN",
                        "spring.jms.template.receive-timeout=10s")
                .run();
    }

    private static void awaitDurableSubscription(ConfigurableApplicationContext app) {
        DefaultMessageListenerContainer prices = (DefaultMessageListenerContainer) app
                .getBean(JmsListenerEndpointRegistry.class).getListenerContainer(Listeners.PRICES_LISTENER);
        await().atMost(TIMEOUT).until(prices::isRegisteredWithDestination);
    }

    private static void assertEachOnce(Map<Integer, AtomicInteger> counts, int from, int to) {
        for (int n = from; n < to; n++) {
            AtomicInteger c = counts.get(n);
            assertEquals(1, c == null ? 0 : c.get(), "deliveries of message " + n);
        }
        assertEquals(to - from, counts.size(), "distinct messages");
    }

    @Test
    void theQueueListenerGetsEveryMessageSentThroughTheAutowiredJmsTemplate() {
        try (ConfigurableApplicationContext app = start()) {
            OrderService service = app.getBean(OrderService.class);
            Listeners listeners = app.getBean(Listeners.class);
            for (int n = 0; n < 200; n++) {
                service.placeOrder(n);
            }
            await().atMost(TIMEOUT).until(() -> listeners.orders.size() == 200);
            await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() ->
                    listeners.orders.values().stream().mapToInt(AtomicInteger::get).sum() == 200);
            assertEachOnce(listeners.orders, 0, 200);
            assertTrue(listeners.orderMessageIds.get("order 7").startsWith("ID:"),
                    "JMSMessageID mapped into the listener's header: " + listeners.orderMessageIds.get("order 7"));
        }
    }

    @Test
    void theDurableTopicListenerGetsWhatWasPublishedWhileTheApplicationWasDown() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            awaitDurableSubscription(app);
            OrderService service = app.getBean(OrderService.class);
            Listeners listeners = app.getBean(Listeners.class);
            for (int n = 0; n < 50; n++) {
                service.publishPrice(n);
            }
            await().atMost(TIMEOUT).until(() -> listeners.prices.size() == 50);
            assertEachOnce(listeners.prices, 0, 50);
        }

        // The application is down: publish with plain JMS.
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(OrderService.PRICES));
            for (int n = 50; n < 80; n++) {
                TextMessage m = s.createTextMessage("price " + n);
                m.setIntProperty("n", n);
                p.send(m);
            }
        }

        try (ConfigurableApplicationContext app = start()) {
            Listeners listeners = app.getBean(Listeners.class);
            await().atMost(TIMEOUT).until(() -> listeners.prices.size() == 30);
            await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() ->
                    listeners.prices.values().stream().mapToInt(AtomicInteger::get).sum() == 30);
            assertEachOnce(listeners.prices, 50, 80);
        }

        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            c.setClientID(HeraldJmsApplication.CLIENT_ID);
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).unsubscribe(Listeners.PRICES_SUBSCRIPTION);
        }
    }

    @Test
    void aListenerWithSendToRepliesToTheConfiguredQueue() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            OrderService service = app.getBean(OrderService.class);
            service.askQuote("bolts");
            JmsTemplate jms = service.jms();
            TextMessage reply = assertInstanceOf(TextMessage.class, jms.receive(OrderService.QUOTE_REPLIES));
            assertEquals("quote for bolts", reply.getText());
        }
    }
}
