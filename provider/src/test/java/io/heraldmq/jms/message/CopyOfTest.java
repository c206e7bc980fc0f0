package io.heraldmq.jms.message;

import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.jms.HeraldTopic;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CopyOfTest {

    static ForeignMessages.State withHeaders() {
        ForeignMessages.State s = new ForeignMessages.State();
        s.headers.put("JMSMessageID", "ID:foreign-1");
        s.headers.put("JMSCorrelationID", "c-1");
        s.headers.put("JMSType", "kind");
        s.headers.put("JMSReplyTo", ForeignMessages.queue("answers"));
        s.headers.put("JMSDeliveryMode", DeliveryMode.NON_PERSISTENT);
        s.headers.put("JMSPriority", 8);
        s.headers.put("JMSExpiration", 77L);
        s.headers.put("JMSTimestamp", 66L);
        s.properties.put("color", "red");
        s.properties.put("n", 5);
        s.properties.put("flag", true);
        s.properties.put("d", 2.5);
        return s;
    }

    static void checkHeaders(HeraldMessage m) throws JMSException {
        assertEquals("ID:foreign-1", m.getJMSMessageID());
        assertEquals("c-1", m.getJMSCorrelationID());
        assertEquals("kind", m.getJMSType());
        assertEquals(new HeraldQueue("answers"), m.getJMSReplyTo());
        assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(8, m.getJMSPriority());
        assertEquals(77L, m.getJMSExpiration());
        assertEquals(66L, m.getJMSTimestamp());
        assertEquals(List.of("color", "n", "flag", "d"), Collections.list(m.getPropertyNames()));
        assertEquals("red", m.getStringProperty("color"));
        assertEquals(5, m.getIntProperty("n"));
        assertEquals(true, m.getBooleanProperty("flag"));
        assertEquals(2.5, m.getDoubleProperty("d"));
        assertFalse(m.isReadOnlyProperties());
        assertFalse(m.isReadOnlyBody() && !(m instanceof HeraldBytesMessage) && !(m instanceof HeraldStreamMessage));
    }

    /** The copy survives the wire as the same type. */
    static HeraldMessage sent(HeraldMessage m) throws JMSException {
        return WireRoundTripTest.roundTrip(m, 1);
    }

    @Test
    void plainMessage() throws JMSException {
        HeraldMessage m = HeraldMessage.copyOf(ForeignMessages.plain(withHeaders()));
        assertEquals(HeraldMessage.class, m.getClass());
        checkHeaders(m);
        assertEquals("red", sent(m).getStringProperty("color"));
    }

    @Test
    void textMessage() throws JMSException {
        ForeignMessages.State s = withHeaders();
        s.text = "foreign text";
        HeraldTextMessage m = assertInstanceOf(HeraldTextMessage.class, HeraldMessage.copyOf(ForeignMessages.text(s)));
        checkHeaders(m);
        assertEquals("foreign text", m.getText());
        assertEquals("foreign text", ((HeraldTextMessage) sent(m)).getText());
    }

    @Test
    void bytesMessage() throws JMSException {
        ForeignMessages.State s = withHeaders();
        s.bytes = new byte[20_000];
        for (int i = 0; i < s.bytes.length; i++) {
            s.bytes[i] = (byte) i;
        }
        s.pos = 123; // the foreign message's pointer is somewhere in the middle
        HeraldBytesMessage m = assertInstanceOf(HeraldBytesMessage.class, HeraldMessage.copyOf(ForeignMessages.bytes(s)));
        checkHeaders(m);
        assertEquals(0, s.pos); // reset again afterwards
        m.reset();
        assertEquals(20_000, m.getBodyLength());
        byte[] all = new byte[20_000];
        assertEquals(20_000, m.readBytes(all));
        assertArrayEquals(s.bytes, all);
        assertArrayEquals(s.bytes, ((HeraldBytesMessage) sent(m)).getBody(byte[].class));
    }

    @Test
    void mapMessage() throws JMSException {
        ForeignMessages.State s = withHeaders();
        s.map.put("i", 1);
        s.map.put("c", 'z');
        s.map.put("b", new byte[] {3});
        s.map.put("nothing", null);
        HeraldMapMessage m = assertInstanceOf(HeraldMapMessage.class, HeraldMessage.copyOf(ForeignMessages.map(s)));
        checkHeaders(m);
        HeraldMapMessage r = (HeraldMapMessage) sent(m);
        assertEquals(1, r.getInt("i"));
        assertEquals('z', r.getChar("c"));
        assertArrayEquals(new byte[] {3}, r.getBytes("b"));
        assertNull(r.getObject("nothing"));
        assertEquals(List.of("i", "c", "b", "nothing"), Collections.list(r.getMapNames()));
    }

    @Test
    void streamMessage() throws JMSException {
        ForeignMessages.State s = withHeaders();
        s.stream.addAll(java.util.Arrays.asList(1, "two", null, 3.0));
        HeraldStreamMessage m = assertInstanceOf(HeraldStreamMessage.class,
                HeraldMessage.copyOf(ForeignMessages.stream(s)));
        checkHeaders(m);
        HeraldStreamMessage r = (HeraldStreamMessage) sent(m);
        assertEquals(1, r.readObject());
        assertEquals("two", r.readObject());
        assertNull(r.readObject());
        assertEquals(3.0, r.readObject());
    }

    @Test
    void objectMessage() throws JMSException {
        ForeignMessages.State s = withHeaders();
        s.object = new java.util.ArrayList<>(List.of("a", "b"));
        HeraldObjectMessage m = assertInstanceOf(HeraldObjectMessage.class,
                HeraldMessage.copyOf(ForeignMessages.object(s)));
        checkHeaders(m);
        assertEquals(List.of("a", "b"), ((HeraldObjectMessage) sent(m)).getObject());
    }

    @Test
    void replyToKinds() throws JMSException {
        ForeignMessages.State s = new ForeignMessages.State();
        s.headers.put("JMSReplyTo", ForeignMessages.topic("t"));
        assertEquals(new HeraldTopic("t"), HeraldMessage.copyOf(ForeignMessages.plain(s)).getJMSReplyTo());
        s.headers.put("JMSReplyTo", ForeignMessages.temporaryQueue("tq"));
        assertInstanceOf(TemporaryQueue.class, HeraldMessage.copyOf(ForeignMessages.plain(s)).getJMSReplyTo());
        s.headers.put("JMSReplyTo", ForeignMessages.temporaryTopic("tt"));
        assertInstanceOf(TemporaryTopic.class, HeraldMessage.copyOf(ForeignMessages.plain(s)).getJMSReplyTo());
        s.headers.put("JMSReplyTo", null);
        assertNull(HeraldMessage.copyOf(ForeignMessages.plain(s)).getJMSReplyTo());
        s.headers.put("JMSReplyTo", ForeignMessages.oddDestination());
        assertThrows(InvalidDestinationException.class, () -> HeraldMessage.copyOf(ForeignMessages.plain(s)));
    }

    @Test
    void invalidForeignPropertyIsRefused() {
        ForeignMessages.State s = new ForeignMessages.State();
        s.properties.put("weird", new Object());
        assertThrows(MessageFormatException.class, () -> HeraldMessage.copyOf(ForeignMessages.plain(s)));
    }
}
