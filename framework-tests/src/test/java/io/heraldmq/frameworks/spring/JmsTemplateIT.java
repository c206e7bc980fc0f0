package io.heraldmq.frameworks.spring;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spring's {@link JmsTemplate}, unchanged, over HeraldMQ: send/receive, the message converter's four body types,
 * selectors, explicit QoS, browsing, request-reply over a temporary queue and publishing to a topic. The template
 * works both over the bare {@link HeraldConnectionFactory} (a connection per operation) and over Spring's
 * {@link CachingConnectionFactory} (one shared connection, cached sessions, producers and consumers).
 */
class JmsTemplateIT {
    private static final long TIMEOUT_MS = 10_000;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private CachingConnectionFactory caching;

    @BeforeEach
    void cachingFactory() {
        caching = new CachingConnectionFactory(new HeraldConnectionFactory(broker.url()));
        caching.setSessionCacheSize(4);
    }

    @AfterEach
    void closeCachingFactory() {
        caching.destroy();
    }

    /** A template that opens and closes a connection for every operation. */
    private JmsTemplate plainTemplate() {
        JmsTemplate t = new JmsTemplate(new HeraldConnectionFactory(broker.url()));
        t.setReceiveTimeout(TIMEOUT_MS);
        return t;
    }

    private JmsTemplate cachingTemplate() {
        JmsTemplate t = new JmsTemplate(caching);
        t.setReceiveTimeout(TIMEOUT_MS);
        return t;
    }

    @Test
    void sendAndReceiveWithAMessageCreatorOverAConnectionPerOperation() throws Exception {
        JmsTemplate t = plainTemplate();
        t.send("tpl.plain", s -> {
            TextMessage m = s.createTextMessage("hello");
            m.setStringProperty("origin", "spring");
            return m;
        });
        Message m = t.receive("tpl.plain");
        TextMessage text = assertInstanceOf(TextMessage.class, m);
        assertEquals("hello", text.getText());
        assertEquals("spring", text.getStringProperty("origin"));
        assertNotNull(text.getJMSMessageID());
        assertEquals("tpl.plain", ((Queue) text.getJMSDestination()).getQueueName());
        t.setReceiveTimeout(300);
        assertNull(t.receive("tpl.plain"), "the message was consumed once");
    }

    @Test
    void convertAndSendAndReceiveAndConvertRoundTripTheConvertersFourBodyTypes() throws Exception {
        JmsTemplate t = cachingTemplate();
        Map<String, Object> map = Map.of("id", 42L, "name", "order", "paid", true);
        byte[] bytes = {0, 1, 2, (byte) 0xFF};
        Payload payload = new Payload("pojo", 7);

        t.convertAndSend("tpl.convert", "text body");
        t.convertAndSend("tpl.convert", map);
        t.convertAndSend("tpl.convert", bytes);
        t.convertAndSend("tpl.convert", payload, m -> {
            m.setJMSCorrelationID("corr-1");
            m.setIntProperty("attempt", 3);
            return m;
        });

        assertEquals("text body", t.receiveAndConvert("tpl.convert"));
        assertEquals(map, t.receiveAndConvert("tpl.convert"));
        assertArrayEquals(bytes, (byte[]) t.receiveAndConvert("tpl.convert"));
        Message last = t.receive("tpl.convert");
        ObjectMessage object = assertInstanceOf(ObjectMessage.class, last);
        assertEquals(payload, object.getObject());
        assertEquals("corr-1", object.getJMSCorrelationID());
        assertEquals(3, object.getIntProperty("attempt"));
    }

    @Test
    void theMessageTypesTheConverterCreatesAreTheStandardOnes() throws Exception {
        JmsTemplate t = cachingTemplate();
        t.convertAndSend("tpl.types", Map.of("k", "v"));
        t.convertAndSend("tpl.types", new byte[] {9});
        MapMessage map = assertInstanceOf(MapMessage.class, t.receive("tpl.types"));
        assertEquals("v", map.getString("k"));
        BytesMessage bytes = assertInstanceOf(BytesMessage.class, t.receive("tpl.types"));
        assertEquals(1, bytes.getBodyLength());
        assertEquals(9, bytes.readByte());
    }

    @Test
    void receiveSelectedTakesOnlyTheMatchingMessageAndLeavesTheRest() throws Exception {
        JmsTemplate t = cachingTemplate();
        for (String colour : List.of("red", "green", "blue")) {
            t.convertAndSend("tpl.select", colour, m -> {
                m.setStringProperty("colour", colour);
                return m;
            });
        }
        assertEquals("green", t.receiveSelectedAndConvert("tpl.select", "colour = 'green'"));
        assertEquals("red", t.receiveAndConvert("tpl.select"));
        assertEquals("blue", t.receiveAndConvert("tpl.select"));
        t.setReceiveTimeout(300);
        assertNull(t.receive("tpl.select"));
    }

    @Test
    void explicitQosSetsDeliveryModePriorityAndExpiration() throws Exception {
        JmsTemplate t = cachingTemplate();
        t.setExplicitQosEnabled(true);
        t.setDeliveryPersistent(false);
        t.setPriority(7);
        t.setTimeToLive(60_000);
        long before = System.currentTimeMillis();
        t.convertAndSend("tpl.qos", "qos");
        Message m = t.receive("tpl.qos");
        assertNotNull(m);
        assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(7, m.getJMSPriority());
        assertTrue(m.getJMSExpiration() >= before + 60_000, "expiration " + m.getJMSExpiration());
    }

    @Test
    void aDeliveryDelayHoldsTheMessageBack() throws Exception {
        JmsTemplate t = cachingTemplate();
        t.setDeliveryDelay(500);
        long sent = System.currentTimeMillis();
        t.convertAndSend("tpl.delay", "later");
        Message m = t.receive("tpl.delay");
        long received = System.currentTimeMillis();
        assertNotNull(m);
        assertTrue(received - sent >= 500, "received after " + (received - sent) + " ms");
        assertTrue(m.getJMSDeliveryTime() >= sent + 500, "JMSDeliveryTime " + (m.getJMSDeliveryTime() - sent));
    }

    @Test
    void browseSeesEveryQueuedMessageInOrderWithoutConsumingThem() throws Exception {
        JmsTemplate t = cachingTemplate();
        for (int n = 0; n < 5; n++) {
            int i = n;
            t.convertAndSend("tpl.browse", "m" + n, m -> {
                m.setIntProperty("n", i);
                return m;
            });
        }
        List<String> seen = t.browse("tpl.browse", (session, browser) -> {
            List<String> texts = new ArrayList<>();
            for (Object m : Collections.list(browser.getEnumeration())) {
                texts.add(((TextMessage) m).getText());
            }
            return texts;
        });
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), seen);
        Integer selected = t.browseSelected("tpl.browse", "n >= 3",
                (session, browser) -> Collections.list(browser.getEnumeration()).size());
        assertEquals(2, selected);
        for (int n = 0; n < 5; n++) {
            assertEquals("m" + n, t.receiveAndConvert("tpl.browse"));
        }
    }

    @Test
    void sendAndReceiveGetsTheReplySentToItsTemporaryQueue() throws Exception {
        try (Connection responder = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = responder.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer requests = s.createConsumer(s.createQueue("tpl.rpc"));
            MessageProducer replies = s.createProducer(null);
            requests.setMessageListener(request -> {
                try {
                    TextMessage reply = s.createTextMessage(((TextMessage) request).getText().toUpperCase());
                    reply.setJMSCorrelationID(request.getJMSMessageID());
                    replies.send(request.getJMSReplyTo(), reply);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            responder.start();

            for (JmsTemplate t : List.of(plainTemplate(), cachingTemplate())) {
                Message reply = t.sendAndReceive("tpl.rpc", session -> session.createTextMessage("ping"));
                assertNotNull(reply, "no reply within the receive timeout");
                assertEquals("PING", ((TextMessage) reply).getText());
            }
        }
    }

    @Test
    void convertAndSendToATopicReachesEverySubscriber() throws Exception {
        JmsTemplate t = cachingTemplate();
        t.setPubSubDomain(true);
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer first = s.createConsumer(s.createTopic("tpl.topic"));
            MessageConsumer second = s.createConsumer(s.createTopic("tpl.topic"));
            c.start();
            t.convertAndSend("tpl.topic", "news");
            assertEquals("news", ((TextMessage) first.receive(TIMEOUT_MS)).getText());
            assertEquals("news", ((TextMessage) second.receive(TIMEOUT_MS)).getText());
        }
    }

    record Payload(String name, int quantity) implements Serializable {
    }
}
