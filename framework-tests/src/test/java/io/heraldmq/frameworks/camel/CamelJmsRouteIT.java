package io.heraldmq.frameworks.camel;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Apache Camel's JMS component, unchanged, over HeraldMQ: a route {@code jms:queue:in} → processor →
 * {@code jms:topic:out}, fed by a {@code ProducerTemplate} and read by a second route subscribed to the topic. Every
 * message comes out once, transformed, with the headers the route set and the ones the sender set.
 */
class CamelJmsRouteIT {
    private static final int MESSAGES = 100;

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
    void aQueueToTopicRouteDeliversEveryMessageTransformedExactlyOnce() throws Exception {
        Map<Integer, String> out = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        camel = Camel.start(new HeraldConnectionFactory(broker.url()), new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:in").routeId("enrich")
                        .process(e -> {
                            e.getMessage().setBody(e.getMessage().getBody(String.class).toUpperCase());
                            e.getMessage().setHeader("enrichedBy", "camel");
                        })
                        .to("jms:topic:out");
                from("jms:topic:out").routeId("audit")
                        .process(e -> {
                            int n = e.getMessage().getHeader("n", Integer.class);
                            counts.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
                            out.put(n, e.getMessage().getBody(String.class) + "|"
                                    + e.getMessage().getHeader("enrichedBy"));
                        });
            }
        });
        Camel.awaitSubscribed(camel, "audit");

        ProducerTemplate producer = camel.createProducerTemplate();
        for (int n = 0; n < MESSAGES; n++) {
            producer.sendBodyAndHeader("jms:queue:in", "order " + n, "n", n);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> out.size() == MESSAGES);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(60)).until(() ->
                counts.values().stream().mapToInt(AtomicInteger::get).sum() == MESSAGES);
        for (int n = 0; n < MESSAGES; n++) {
            assertEquals("ORDER " + n + "|camel", out.get(n));
            assertEquals(1, counts.get(n).get(), "deliveries of message " + n);
        }
    }

    @Test
    void jmsHeadersAndPropertiesSurviveTheRoute() throws Exception {
        AtomicReference<Map<String, Object>> received = new AtomicReference<>();
        camel = Camel.start(new HeraldConnectionFactory(broker.url()), new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:headers.in").to("jms:topic:headers.out");
                from("jms:topic:headers.out").routeId("headers-audit")
                        .process(e -> received.set(new HashMap<>(e.getMessage().getHeaders())));
            }
        });
        Camel.awaitSubscribed(camel, "headers-audit");
        camel.createProducerTemplate().send("jms:queue:headers.in", (Exchange e) -> {
            e.getMessage().setBody("payload");
            e.getMessage().setHeader("JMSCorrelationID", "corr-42");
            e.getMessage().setHeader("JMSType", "order");
            e.getMessage().setHeader("region", "emea");
            e.getMessage().setHeader("amount", 12.5d);
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> received.get() != null);
        Map<String, Object> seen = received.get();
        assertEquals("corr-42", seen.get("JMSCorrelationID"));
        assertEquals("order", seen.get("JMSType"));
        assertEquals("emea", seen.get("region"));
        assertEquals(12.5d, seen.get("amount"));
        assertEquals(Boolean.FALSE, seen.get("JMSRedelivered"));
        assertEquals("headers.out", ((jakarta.jms.Topic) seen.get("JMSDestination")).getTopicName());
    }
}
