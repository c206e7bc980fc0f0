package io.heraldmq.jms.message;

import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.jms.HeraldTopic;
import io.heraldmq.protocol.WireMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeraldMessageTest {

    static HeraldMessage received(HeraldMessage sent, int deliveryCount) throws JMSException {
        WireMessage w = WireMessage.decode(sent.toWire().encode());
        return HeraldMessage.fromWire(w, 3, 99L, deliveryCount);
    }

    @Test
    void defaults() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(Message.DEFAULT_PRIORITY, m.getJMSPriority());
        assertNull(m.getJMSMessageID());
        assertNull(m.getJMSCorrelationID());
        assertNull(m.getJMSCorrelationIDAsBytes());
        assertFalse(m.getJMSRedelivered());
        assertFalse(m.getPropertyNames().hasMoreElements());
        assertEquals(-1, m.deliveryPartition());
        assertEquals(-1L, m.deliveryOffset());
        assertEquals(0, m.deliveryCount());
        assertFalse(m.isReadOnlyBody());
        assertFalse(m.isReadOnlyProperties());
    }

    @Test
    void correlationIdStringAndBytes() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setJMSCorrelationID("abc");
        assertEquals("abc", m.getJMSCorrelationID());
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), m.getJMSCorrelationIDAsBytes());
        WireMessage w = m.toWire();
        assertFalse(w.correlationIdIsBytes);

        byte[] raw = {0, 1, (byte) 0xff};
        m.setJMSCorrelationIDAsBytes(raw);
        raw[0] = 9;
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, m.getJMSCorrelationIDAsBytes());
        w = m.toWire();
        assertTrue(w.correlationIdIsBytes);
        HeraldMessage r = received(m, 1);
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, r.getJMSCorrelationIDAsBytes());

        m.setJMSCorrelationID(null);
        assertNull(m.getJMSCorrelationIDAsBytes());
        assertNull(m.toWire().correlationId);
    }

    @Test
    void propertyNamesAreSelectorIdentifiers() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        for (String bad : new String[] {null, "", "1abc", "a-b", "a b", "NULL", "true", "False", "NOT", "and", "OR",
                "BETWEEN", "like", "IN", "is", "Escape"}) {
            assertThrows(IllegalArgumentException.class, () -> m.setStringProperty(bad, "x"), String.valueOf(bad));
            assertThrows(IllegalArgumentException.class, () -> m.setObjectProperty(bad, 1), String.valueOf(bad));
            assertThrows(IllegalArgumentException.class, () -> m.setIntProperty(bad, 1), String.valueOf(bad));
        }
        for (String good : new String[] {"a", "_x", "$y", "JMSXGroupID", "nullable", "Isbn", "über", "a1_$"}) {
            assertDoesNotThrow(() -> m.setStringProperty(good, "x"), good);
            assertTrue(m.propertyExists(good));
        }
    }

    @Test
    void setObjectPropertyTypes() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        Object[] ok = {true, (byte) 1, (short) 2, 3, 4L, 5f, 6d, "s"};
        for (Object v : ok) {
            m.setObjectProperty("p", v);
            assertEquals(v, m.getObjectProperty("p"));
        }
        m.setObjectProperty("n", null);
        assertTrue(m.propertyExists("n"));
        assertNull(m.getObjectProperty("n"));
        for (Object v : new Object[] {'c', new byte[1], new Object(), List.of(), new StringBuilder("x")}) {
            assertThrows(MessageFormatException.class, () -> m.setObjectProperty("p", v), v.getClass().getName());
        }
        assertEquals("s", m.getObjectProperty("p"));
    }

    @Test
    void typedSettersStoreWrappers() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setBooleanProperty("a", true);
        m.setByteProperty("b", (byte) 1);
        m.setShortProperty("c", (short) 2);
        m.setIntProperty("d", 3);
        m.setLongProperty("e", 4);
        m.setFloatProperty("f", 5);
        m.setDoubleProperty("g", 6);
        m.setStringProperty("h", "x");
        assertEquals(Boolean.TRUE, m.getObjectProperty("a"));
        assertEquals(Byte.valueOf((byte) 1), m.getObjectProperty("b"));
        assertEquals(Short.valueOf((short) 2), m.getObjectProperty("c"));
        assertEquals(Integer.valueOf(3), m.getObjectProperty("d"));
        assertEquals(Long.valueOf(4), m.getObjectProperty("e"));
        assertEquals(Float.valueOf(5), m.getObjectProperty("f"));
        assertEquals(Double.valueOf(6), m.getObjectProperty("g"));
        List<String> names = Collections.list(m.getPropertyNames());
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h"), names);
        assertFalse(m.propertyExists("zz"));
        assertFalse(m.propertyExists(null));
    }

    @Test
    void receivedPropertiesAreReadOnlyUntilCleared() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setStringProperty("color", "red");
        HeraldMessage r = received(m, 1);
        assertTrue(r.isReadOnlyProperties());
        assertTrue(r.isReadOnlyBody());
        assertEquals("red", r.getStringProperty("color"));
        assertThrows(MessageNotWriteableException.class, () -> r.setStringProperty("color", "blue"));
        assertThrows(MessageNotWriteableException.class, () -> r.setIntProperty("n", 1));
        assertThrows(MessageNotWriteableException.class, () -> r.setObjectProperty("n", 1));
        assertThrows(MessageNotWriteableException.class, () -> r.setObjectProperty("n", new Object()));
        // headers stay settable
        r.setJMSType("changed");
        assertEquals("changed", r.getJMSType());

        r.clearProperties();
        assertFalse(r.isReadOnlyProperties());
        assertFalse(r.propertyExists("color"));
        assertFalse(r.getPropertyNames().hasMoreElements());
        r.setStringProperty("color", "blue");
        assertEquals("blue", r.getStringProperty("color"));
    }

    @Test
    void clearPropertiesKeepsHeadersAndBody() throws JMSException {
        HeraldTextMessage m = new HeraldTextMessage();
        m.setText("body");
        m.setJMSType("t");
        m.setStringProperty("a", "b");
        m.clearProperties();
        assertEquals("body", m.getText());
        assertEquals("t", m.getJMSType());
        assertFalse(m.propertyExists("a"));
    }

    @Test
    void deliveryCountAndRedelivered() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        HeraldMessage first = received(m, 1);
        assertFalse(first.getJMSRedelivered());
        assertEquals(1, first.getIntProperty("JMSXDeliveryCount"));
        assertTrue(Collections.list(first.getPropertyNames()).contains("JMSXDeliveryCount"));
        assertEquals(3, first.deliveryPartition());
        assertEquals(99L, first.deliveryOffset());
        assertEquals(1, first.deliveryCount());

        HeraldMessage again = received(m, 4);
        assertTrue(again.getJMSRedelivered());
        assertEquals(4, again.getIntProperty("JMSXDeliveryCount"));
        assertEquals("4", again.getStringProperty("JMSXDeliveryCount"));
        assertEquals(4L, again.getLongProperty("JMSXDeliveryCount"));

        // resending a received message does not carry the old delivery count
        assertFalse(again.toWire().properties.containsKey("JMSXDeliveryCount"));
        assertEquals(1, received(again, 1).getIntProperty("JMSXDeliveryCount"));
    }

    @Test
    void acknowledgeCallsCallback() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.acknowledge(); // no callback: nothing
        AtomicInteger calls = new AtomicInteger();
        m.setAcknowledgeCallback(calls::incrementAndGet);
        m.acknowledge();
        m.acknowledge();
        assertEquals(2, calls.get());
        m.setAcknowledgeCallback(() -> {
            throw new IllegalStateException("session closed");
        });
        assertThrows(IllegalStateException.class, m::acknowledge);
    }

    @Test
    void plainMessageBody() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        assertNull(m.getBody(String.class));
        assertNull(m.getBody(byte[].class));
        assertNull(m.getBody(Object.class));
        assertTrue(m.isBodyAssignableTo(String.class));
        assertTrue(m.isBodyAssignableTo(Integer.class));
        m.clearBody();
        assertNull(m.toWire().body);
        assertEquals(WireMessage.BODY_MESSAGE, m.toWire().bodyType);
    }

    /** The wire message may share the property map (the producer's hot path), but its encoding is a snapshot. */
    @Test
    void toWireEncodedAtOnceIsASnapshot() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setStringProperty("a", "1");
        io.vertx.core.buffer.Buffer encoded = m.toWire().encode();
        m.setStringProperty("a", "2");
        m.setStringProperty("b", "3");
        WireMessage w = WireMessage.decode(encoded);
        assertEquals("1", w.properties.get("a"));
        assertFalse(w.properties.containsKey("b"));
        assertFalse(m.isReadOnlyProperties());
    }

    @Test
    void toWireLeavesTheDeliveryCountOut() throws JMSException {
        HeraldMessage m = HeraldMessage.fromWire(WireMessage.decode(new HeraldMessage().toWire().encode()), 0, 0, 3);
        assertEquals(3, m.getIntProperty("JMSXDeliveryCount"));
        assertFalse(m.toWire().properties.containsKey("JMSXDeliveryCount"));
    }

    @Test
    void headersToWire() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSPriority(9);
        m.setJMSDestination(new HeraldTopic("news"));
        m.setJMSReplyTo(new HeraldQueue("replies"));
        WireMessage w = m.toWire();
        assertFalse(w.persistent);
        assertEquals(9, w.priority);
        assertEquals(io.heraldmq.protocol.DestinationKind.TOPIC, w.destinationKind);
        assertEquals("news", w.destination);
        assertEquals(io.heraldmq.protocol.DestinationKind.QUEUE, w.replyToKind);
        assertEquals("replies", w.replyTo);
        m.setJMSDeliveryMode(DeliveryMode.PERSISTENT);
        assertTrue(m.toWire().persistent);
    }

    @Test
    void propertyNamesEnumerationIsASnapshot() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setIntProperty("a", 1);
        var e = m.getPropertyNames();
        m.setIntProperty("b", 2);
        List<String> seen = new ArrayList<>(Collections.list(e));
        assertEquals(List.of("a"), seen);
        assertSame(null, m.getObjectProperty(null));
    }
}
