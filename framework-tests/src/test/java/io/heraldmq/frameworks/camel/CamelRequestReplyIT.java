package io.heraldmq.frameworks.camel;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Destination;
import jakarta.jms.TemporaryQueue;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Camel request-reply ({@link ExchangePattern#InOut}) over JMS: the requester's replies come back on a temporary
 * queue that camel-jms creates and listens on, correlated by {@code JMSCorrelationID}, whether the responder is a
 * route or a {@link ConsumerTemplate} in the test that replies through a {@link ProducerTemplate}.
 */
class CamelRequestReplyIT {
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
    void aRouteAnswersRequestsOnTheRequestersTemporaryQueueEachReplyToItsOwnRequest() throws Exception {
        Queue<Object> replyTos = new ConcurrentLinkedQueue<>();
        camel = Camel.start(new HeraldConnectionFactory(broker.url()), new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:rpc").process(e -> {
                    replyTos.add(e.getMessage().getHeader("JMSReplyTo"));
                    e.getMessage().setBody("pong " + e.getMessage().getBody(String.class));
                });
            }
        });
        ProducerTemplate producer = camel.createProducerTemplate();

        assertEquals("pong ping", producer.requestBody("jms:queue:rpc", "ping", String.class));
        Exchange inOut = producer.send("jms:queue:rpc", ExchangePattern.InOut,
                e -> e.getMessage().setBody("explicit"));
        assertEquals("pong explicit", inOut.getMessage().getBody(String.class));

        // Many requests in flight at once over the same temporary queue: each reply matches its request.
        List<CompletableFuture<String>> pending = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            pending.add(producer.asyncRequestBody("jms:queue:rpc", "request " + n, String.class));
        }
        for (int n = 0; n < 50; n++) {
            assertEquals("pong request " + n, pending.get(n).get(30, TimeUnit.SECONDS));
        }
        assertEquals(52, replyTos.size());
        assertTrue(replyTos.stream().allMatch(d -> d instanceof TemporaryQueue), "JMSReplyTo: " + replyTos.peek());
    }

    /**
     * A fixed, shared reply queue instead of a temporary one: camel-jms then picks its replies out of the queue with
     * a selector on {@code JMSCorrelationID} that it changes as requests come and go.
     */
    @Test
    void repliesOnASharedFixedReplyQueueArePickedOutByCorrelationIdSelectors() throws Exception {
        camel = Camel.start(new HeraldConnectionFactory(broker.url()), new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:rpc.fixed").process(e ->
                        e.getMessage().setBody("pong " + e.getMessage().getBody(String.class)));
            }
        });
        ProducerTemplate producer = camel.createProducerTemplate();
        String endpoint = "jms:queue:rpc.fixed?replyTo=rpc.fixed.replies&replyToType=Shared";
        List<CompletableFuture<String>> pending = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            pending.add(producer.asyncRequestBody(endpoint, "request " + n, String.class));
        }
        for (int n = 0; n < 20; n++) {
            assertEquals("pong request " + n, pending.get(n).get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aConsumerTemplateTakesTheRequestAndAProducerTemplateSendsTheReplyToItsTemporaryQueue() throws Exception {
        camel = Camel.start(new HeraldConnectionFactory(broker.url()), new RouteBuilder() {
            @Override
            public void configure() {
            }
        });
        ProducerTemplate producer = camel.createProducerTemplate();
        ConsumerTemplate consumer = camel.createConsumerTemplate();

        CompletableFuture<String> reply = producer.asyncRequestBody("jms:queue:manual", "question", String.class);

        Exchange request = consumer.receive("jms:queue:manual", 30_000);
        assertNotNull(request, "no request arrived");
        assertEquals("question", request.getMessage().getBody(String.class));
        Destination replyTo = assertInstanceOf(TemporaryQueue.class, request.getMessage().getHeader("JMSReplyTo"));
        String correlationId = request.getMessage().getHeader("JMSCorrelationID", String.class);
        assertNotNull(correlationId, "the requester sets JMSCorrelationID");
        consumer.doneUoW(request);

        producer.send("jms:queue:unused", ExchangePattern.InOnly, e -> {
            e.getMessage().setBody("answer");
            e.getMessage().setHeader(JmsConstants.JMS_DESTINATION, replyTo);
            e.getMessage().setHeader("JMSCorrelationID", correlationId);
        });

        assertEquals("answer", reply.get(30, TimeUnit.SECONDS));
    }
}
