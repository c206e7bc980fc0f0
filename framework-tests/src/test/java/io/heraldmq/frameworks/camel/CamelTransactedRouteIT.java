package io.heraldmq.frameworks.camel;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A transacted Camel JMS route ({@code transacted=true} on the endpoint: Camel creates a Spring
 * {@code JmsTransactionManager} itself): an exception rolls back the JMS transaction, so the message is redelivered
 * (flagged {@code JMSRedelivered}, {@code JMSXDeliveryCount} 2) and what the failed attempt had already sent to
 * another queue is discarded; every other message passes once.
 */
class CamelTransactedRouteIT {
    private static final int MESSAGES = 20;
    private static final int POISON = 4;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    record Attempt(int n, boolean redelivered, int deliveryCount) {
    }

    @Test
    void anExceptionRollsBackTheReceiveAndTheForwardAndTheMessageIsRedelivered() throws Exception {
        Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        camel = Camel.start(new HeraldConnectionFactory(broker.url()), new RouteBuilder() {
            @Override
            public void configure() {
                // The failure is expected: no "exhausted" log line for it.
                errorHandler(defaultErrorHandler().logExhausted(false));
                from("jms:queue:tx.in?transacted=true&errorHandlerLoggingLevel=OFF").routeId("tx")
                        .process(e -> attempts.add(new Attempt(e.getMessage().getHeader("n", Integer.class),
                                e.getMessage().getHeader("JMSRedelivered", Boolean.class),
                                e.getMessage().getHeader("JMSXDeliveryCount", Integer.class))))
                        .to("jms:queue:tx.out")
                        .process(e -> {
                            boolean redelivered = e.getMessage().getHeader("JMSRedelivered", Boolean.class);
                            if (e.getMessage().getHeader("n", Integer.class) == POISON && !redelivered) {
                                throw new IllegalStateException("first delivery of message " + POISON
                                        + " fails after it was forwarded");
                            }
                        });
            }
        });
        ProducerTemplate producer = camel.createProducerTemplate();
        for (int n = 0; n < MESSAGES; n++) {
            producer.sendBodyAndHeader("jms:queue:tx.in", "message " + n, "n", n);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> attempts.size() >= MESSAGES + 1);
        List<Attempt> poison = attempts.stream().filter(a -> a.n() == POISON).toList();
        assertEquals(List.of(new Attempt(POISON, false, 1), new Attempt(POISON, true, 2)), poison);
        for (int n = 0; n < MESSAGES; n++) {
            if (n != POISON) {
                int i = n;
                assertEquals(List.of(new Attempt(n, false, 1)), attempts.stream().filter(a -> a.n() == i).toList());
            }
        }

        ConsumerTemplate consumer = camel.createConsumerTemplate();
        Map<Integer, AtomicInteger> forwarded = new ConcurrentHashMap<>();
        for (int i = 0; i < MESSAGES; i++) {
            Exchange e = consumer.receive("jms:queue:tx.out", 10_000);
            assertNotNull(e, "forwarded messages received: " + forwarded);
            forwarded.computeIfAbsent(e.getMessage().getHeader("n", Integer.class), k -> new AtomicInteger())
                    .incrementAndGet();
            consumer.doneUoW(e);
        }
        assertNull(consumer.receive("jms:queue:tx.out", 300), "a message forwarded by the rolled back attempt");
        for (int n = 0; n < MESSAGES; n++) {
            assertEquals(1, forwarded.get(n).get(), "forwards of message " + n);
        }
    }
}
