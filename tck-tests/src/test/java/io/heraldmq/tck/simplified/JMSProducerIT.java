package io.heraldmq.tck.simplified;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, the simplified API's JMSProducer (chapter 7, sending messages; and the
 * {@code jakarta.jms.JMSProducer} Javadoc): fluent options, message properties with the conversions of section
 * 3.5.4, the three message headers it sets, and the message type each {@code send} body becomes.
 */
class JMSProducerIT {
    private static final long WAIT_MS = 30_000;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private JMSContext context() {
        return new HeraldConnectionFactory(broker.url()).createContext();
    }

    @Test
    void everySetterReturnsTheProducerAndTheGettersReturnWhatWasSet() {
        try (JMSContext ctx = context()) {
            JMSProducer p = ctx.createProducer();
            assertEquals(DeliveryMode.PERSISTENT, p.getDeliveryMode());
            assertEquals(Message.DEFAULT_PRIORITY, p.getPriority());
            assertEquals(Message.DEFAULT_TIME_TO_LIVE, p.getTimeToLive());
            assertEquals(Message.DEFAULT_DELIVERY_DELAY, p.getDeliveryDelay());
            assertFalse(p.getDisableMessageID());
            assertFalse(p.getDisableMessageTimestamp());
            assertNull(p.getAsync());
            assertNull(p.getJMSCorrelationID());
            assertNull(p.getJMSCorrelationIDAsBytes());
            assertNull(p.getJMSType());
            assertNull(p.getJMSReplyTo());

            Queue replyTo = ctx.createQueue("producer.replies");
            CompletionListener listener = new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                }

                @Override
                public void onException(Message message, Exception exception) {
                }
            };
            assertSame(p, p.setDeliveryMode(DeliveryMode.NON_PERSISTENT));
            assertSame(p, p.setPriority(8));
            assertSame(p, p.setTimeToLive(60_000));
            assertSame(p, p.setDeliveryDelay(5));
            assertSame(p, p.setDisableMessageID(true));
            assertSame(p, p.setDisableMessageTimestamp(true));
            assertSame(p, p.setAsync(listener));
            assertSame(p, p.setJMSCorrelationID("corr-1"));
            assertSame(p, p.setJMSType("order"));
            assertSame(p, p.setJMSReplyTo(replyTo));
            assertSame(p, p.setProperty("k", 1));
            assertSame(p, p.clearProperties());
            assertEquals(DeliveryMode.NON_PERSISTENT, p.getDeliveryMode());
            assertEquals(8, p.getPriority());
            assertEquals(60_000, p.getTimeToLive());
            assertEquals(5, p.getDeliveryDelay());
            assertTrue(p.getDisableMessageID());
            assertTrue(p.getDisableMessageTimestamp());
            assertSame(listener, p.getAsync());
            assertEquals("corr-1", p.getJMSCorrelationID());
            assertArrayEquals("corr-1".getBytes(StandardCharsets.UTF_8), p.getJMSCorrelationIDAsBytes());
            assertEquals("order", p.getJMSType());
            assertEquals(replyTo, p.getJMSReplyTo());
            assertSame(p, p.setJMSCorrelationIDAsBytes(new byte[] {1, 2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, p.getJMSCorrelationIDAsBytes());
            assertSame(p, p.setAsync(null));
            assertNull(p.getAsync());
        }
    }

    @Test
    void invalidDeliveryModeAndPriorityAreRefused() {
        try (JMSContext ctx = context()) {
            JMSProducer p = ctx.createProducer();
            assertThrows(JMSRuntimeException.class, () -> p.setDeliveryMode(3));
            assertThrows(JMSRuntimeException.class, () -> p.setPriority(10));
            assertThrows(JMSRuntimeException.class, () -> p.setPriority(-1));
            assertEquals(DeliveryMode.PERSISTENT, p.getDeliveryMode());
            assertEquals(Message.DEFAULT_PRIORITY, p.getPriority());
        }
    }

    @Test
    void propertiesOfEveryTypeConvertAsMessagePropertiesDo() {
        try (JMSContext ctx = context()) {
            JMSProducer p = ctx.createProducer()
                    .setProperty("bool", true)
                    .setProperty("byte", (byte) 7)
                    .setProperty("short", (short) 300)
                    .setProperty("int", 70_000)
                    .setProperty("long", 5_000_000_000L)
                    .setProperty("float", 1.5f)
                    .setProperty("double", 2.25d)
                    .setProperty("string", "42")
                    .setProperty("object", (Object) Integer.valueOf(9));
            assertTrue(p.getBooleanProperty("bool"));
            assertEquals("true", p.getStringProperty("bool"));
            assertEquals(7, p.getByteProperty("byte"));
            assertEquals(7, p.getShortProperty("byte"));
            assertEquals(7, p.getIntProperty("byte"));
            assertEquals(7L, p.getLongProperty("byte"));
            assertEquals(300, p.getIntProperty("short"));
            assertEquals(70_000L, p.getLongProperty("int"));
            assertEquals(5_000_000_000L, p.getLongProperty("long"));
            assertEquals(1.5d, p.getDoubleProperty("float"));
            assertEquals(2.25d, p.getDoubleProperty("double"));
            assertEquals("2.25", p.getStringProperty("double"));
            assertEquals(42, p.getIntProperty("string"));
            assertEquals(42L, p.getLongProperty("string"));
            assertEquals(42.0d, p.getDoubleProperty("string"));
            assertEquals(9, p.getIntProperty("object"));
            assertEquals(Integer.valueOf(9), p.getObjectProperty("object"));
            assertEquals(Short.valueOf((short) 300), p.getObjectProperty("short"));

            // Conversions table 3.5.4 does not allow:
            assertThrows(MessageFormatRuntimeException.class, () -> p.getByteProperty("int"));
            assertThrows(MessageFormatRuntimeException.class, () -> p.getIntProperty("long"));
            assertThrows(MessageFormatRuntimeException.class, () -> p.getFloatProperty("double"));
            assertThrows(MessageFormatRuntimeException.class, () -> p.getBooleanProperty("int"));
            assertThrows(MessageFormatRuntimeException.class, () -> p.getLongProperty("float"));
            assertThrows(NumberFormatException.class, () -> p.setProperty("s", "abc").getIntProperty("s"));

            // Missing properties read as valueOf(null).
            assertNull(p.getObjectProperty("missing"));
            assertNull(p.getStringProperty("missing"));
            assertFalse(p.getBooleanProperty("missing"));
            assertThrows(NumberFormatException.class, () -> p.getIntProperty("missing"));

            assertThrows(IllegalArgumentException.class, () -> p.setProperty(null, 1));
            assertThrows(IllegalArgumentException.class, () -> p.setProperty("", 1));
            assertThrows(MessageFormatRuntimeException.class, () -> p.setProperty("list", new ArrayList<>()));
        }
    }

    @Test
    void propertyNamesExistenceAndClear() {
        try (JMSContext ctx = context()) {
            JMSProducer p = ctx.createProducer().setProperty("a", 1).setProperty("b", "x");
            Set<String> names = p.getPropertyNames();
            assertEquals(Set.of("a", "b"), Set.copyOf(names));
            assertThrows(UnsupportedOperationException.class, () -> names.add("c"));
            assertTrue(p.propertyExists("a"));
            assertFalse(p.propertyExists("c"));
            p.setProperty("c", 2L);
            assertTrue(names.contains("c"), "the set is a view of the producer's properties");
            p.clearProperties();
            assertTrue(p.getPropertyNames().isEmpty());
            assertFalse(p.propertyExists("a"));
        }
    }

    @Test
    void eachBodyTypeIsSentAsTheMatchingMessageType() throws Exception {
        try (JMSContext ctx = context()) {
            Queue q = ctx.createQueue("producer.bodies");
            JMSConsumer c = ctx.createConsumer(q);
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("n", 5);
            map.put("s", "v");
            map.put("raw", new byte[] {9});
            JMSProducer p = ctx.createProducer();
            p.send(q, "text").send(q, map).send(q, new byte[] {1, 2}).send(q, (Serializable) List.of("x", "y"))
                    .send(q, ctx.createMessage());

            TextMessage t = assertInstanceOf(TextMessage.class, c.receive(WAIT_MS));
            assertEquals("text", t.getText());
            MapMessage m = assertInstanceOf(MapMessage.class, c.receive(WAIT_MS));
            assertEquals(5, m.getInt("n"));
            assertEquals("v", m.getString("s"));
            assertArrayEquals(new byte[] {9}, m.getBytes("raw"));
            BytesMessage b = assertInstanceOf(BytesMessage.class, c.receive(WAIT_MS));
            assertArrayEquals(new byte[] {1, 2}, b.getBody(byte[].class));
            ObjectMessage o = assertInstanceOf(ObjectMessage.class, c.receive(WAIT_MS));
            assertEquals(List.of("x", "y"), o.getObject());
            Message plain = c.receive(WAIT_MS);
            assertFalse(plain instanceof TextMessage || plain instanceof BytesMessage || plain instanceof MapMessage
                    || plain instanceof ObjectMessage, plain.getClass().getName());
        }
    }

    @Test
    void nullBodiesGiveMessagesOfTheRightTypeWithoutBody() throws Exception {
        try (JMSContext ctx = context()) {
            Queue q = ctx.createQueue("producer.nullbodies");
            JMSConsumer c = ctx.createConsumer(q);
            JMSProducer p = ctx.createProducer();
            p.send(q, (String) null).send(q, (Map<String, Object>) null).send(q, (byte[]) null)
                    .send(q, (Serializable) null);
            assertNull(assertInstanceOf(TextMessage.class, c.receive(WAIT_MS)).getText());
            assertFalse(assertInstanceOf(MapMessage.class, c.receive(WAIT_MS)).getMapNames().hasMoreElements());
            assertEquals(0, assertInstanceOf(BytesMessage.class, c.receive(WAIT_MS)).getBodyLength());
            assertNull(assertInstanceOf(ObjectMessage.class, c.receive(WAIT_MS)).getObject());
        }
    }

    @Test
    void propertiesHeadersAndOptionsAreAppliedToEverySentMessage() throws Exception {
        try (JMSContext ctx = context()) {
            Queue q = ctx.createQueue("producer.applied");
            Queue replyTo = ctx.createQueue("producer.applied.replies");
            JMSConsumer c = ctx.createConsumer(q);
            long before = System.currentTimeMillis();
            ctx.createProducer()
                    .setProperty("region", "eu").setProperty("qty", 3)
                    .setJMSCorrelationID("c-7").setJMSType("invoice").setJMSReplyTo(replyTo)
                    .setDeliveryMode(DeliveryMode.NON_PERSISTENT).setPriority(7).setTimeToLive(600_000)
                    .setDisableMessageTimestamp(true).setDisableMessageID(true)
                    .send(q, "one");
            Message m = c.receive(WAIT_MS);
            assertEquals("eu", m.getStringProperty("region"));
            assertEquals(3, m.getIntProperty("qty"));
            assertEquals("c-7", m.getJMSCorrelationID());
            assertEquals("invoice", m.getJMSType());
            assertEquals(replyTo, m.getJMSReplyTo());
            assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
            assertEquals(7, m.getJMSPriority());
            assertTrue(m.getJMSExpiration() >= before + 600_000, "expiration = send time + time to live");
            assertEquals(0, m.getJMSTimestamp());
            assertNull(m.getJMSMessageID());

            ctx.createProducer().setJMSCorrelationIDAsBytes(new byte[] {'a', 'b'}).send(q, "two");
            Message m2 = c.receive(WAIT_MS);
            assertArrayEquals(new byte[] {'a', 'b'}, m2.getJMSCorrelationIDAsBytes());
            assertEquals(DeliveryMode.PERSISTENT, m2.getJMSDeliveryMode());
            assertTrue(m2.getJMSTimestamp() > 0);
            assertTrue(m2.getJMSMessageID().startsWith("ID:"));
            assertFalse(m2.propertyExists("region"), "properties belong to the producer that set them");
        }
    }

    @Test
    void nullMessageOrDestinationIsRefused() {
        try (JMSContext ctx = context()) {
            JMSProducer p = ctx.createProducer();
            Queue q = ctx.createQueue("producer.nulls");
            assertThrows(MessageFormatRuntimeException.class, () -> p.send(q, (Message) null));
            assertThrows(InvalidDestinationRuntimeException.class, () -> p.send(null, "x"));
        }
    }

    @Test
    void aPropertyCannotBeSetOnAMessageWithReadOnlyProperties() {
        try (JMSContext ctx = context()) {
            Queue q = ctx.createQueue("producer.readonly");
            JMSConsumer c = ctx.createConsumer(q);
            ctx.createProducer().send(q, "first");
            Message received = c.receive(WAIT_MS);
            assertThrows(MessageNotWriteableRuntimeException.class,
                    () -> ctx.createProducer().setProperty("x", 1).send(q, received));
            ctx.createProducer().send(q, received); // no property to set: forwarding is fine
            assertEquals("first", c.receiveBody(String.class, WAIT_MS));
        }
    }

    @Test
    void anAsynchronousSendCallsTheCompletionListener() throws Exception {
        try (JMSContext ctx = context()) {
            Queue q = ctx.createQueue("producer.async");
            CompletableFuture<Message> done = new CompletableFuture<>();
            ctx.createProducer().setAsync(new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    done.complete(message);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    done.completeExceptionally(exception);
                }
            }).send(q, "async");
            Message sent = done.get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertEquals("async", ((TextMessage) sent).getText());
            assertEquals("async", ctx.createConsumer(q).receiveBody(String.class, WAIT_MS));
        }
    }
}
