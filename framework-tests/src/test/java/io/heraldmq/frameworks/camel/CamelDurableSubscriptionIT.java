package io.heraldmq.frameworks.camel;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Camel route consuming a topic through a durable subscription ({@code clientId}, {@code durableSubscriptionName}):
 * while the route is stopped (its listener container and connection closed) the subscription keeps what is
 * published, and the route gets it once started again.
 */
class CamelDurableSubscriptionIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void aStoppedRouteGetsWhatWasPublishedMeanwhile() throws Exception {
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        camel = Camel.start(new HeraldConnectionFactory(broker.url()), new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:topic:prices?clientId=camel-app&durableSubscriptionName=audit").routeId("audit")
                        .process(e -> counts.computeIfAbsent(e.getMessage().getHeader("n", Integer.class),
                                k -> new AtomicInteger()).incrementAndGet());
            }
        });
        Camel.awaitSubscribed(camel, "audit");
        ProducerTemplate producer = camel.createProducerTemplate();
        for (int n = 0; n < 10; n++) {
            producer.sendBodyAndHeader("jms:topic:prices", "price " + n, "n", n);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> counts.size() == 10);

        camel.getRouteController().stopRoute("audit");
        for (int n = 10; n < 20; n++) {
            producer.sendBodyAndHeader("jms:topic:prices", "price " + n, "n", n);
        }
        camel.getRouteController().startRoute("audit");

        await().atMost(Duration.ofSeconds(60)).until(() -> counts.size() == 20);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(60)).until(() ->
                counts.values().stream().mapToInt(AtomicInteger::get).sum() == 20);
        for (int n = 0; n < 20; n++) {
            assertEquals(1, counts.get(n).get(), "deliveries of message " + n);
        }

        camel.getRouteController().stopRoute("audit");
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            c.setClientID("camel-app");
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).unsubscribe("audit");
        }
    }
}
