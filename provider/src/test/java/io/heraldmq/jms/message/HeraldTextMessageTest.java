package io.heraldmq.jms.message;

import io.heraldmq.protocol.WireMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;

import java.io.Serializable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeraldTextMessageTest {

    @Test
    void setAndGet() throws JMSException {
        HeraldTextMessage m = new HeraldTextMessage();
        assertNull(m.getText());
        m.setText("héllo ☃");
        assertEquals("héllo ☃", m.getText());
        m.setText(null);
        assertNull(m.getText());
    }

    @Test
    void receivedIsReadOnlyUntilClearBody() throws JMSException {
        HeraldTextMessage m = new HeraldTextMessage("hi");
        m.setStringProperty("p", "v");
        HeraldTextMessage r = (HeraldTextMessage) HeraldMessageTest.received(m, 1);
        assertEquals("hi", r.getText());
        assertThrows(MessageNotWriteableException.class, () -> r.setText("x"));
        r.clearBody();
        assertNull(r.getText());
        r.setText("x");
        assertEquals("x", r.getText());
        // clearBody does not touch properties (still read-only)
        assertEquals("v", r.getStringProperty("p"));
        assertTrue(r.isReadOnlyProperties());
    }

    @Test
    void getBody() throws JMSException {
        HeraldTextMessage m = new HeraldTextMessage();
        assertNull(m.getBody(Integer.class)); // no body: any type, null
        assertTrue(m.isBodyAssignableTo(Integer.class));
        m.setText("t");
        assertEquals("t", m.getBody(String.class));
        assertEquals("t", m.getBody(CharSequence.class));
        assertEquals("t", m.getBody(Object.class));
        assertEquals("t", m.getBody(Serializable.class));
        assertTrue(m.isBodyAssignableTo(String.class));
        assertTrue(m.isBodyAssignableTo(Object.class));
        assertFalse(m.isBodyAssignableTo(byte[].class));
        assertFalse(m.isBodyAssignableTo(Integer.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(byte[].class));
        assertThrows(MessageFormatException.class, () -> m.getBody(Integer.class));
    }

    @Test
    void wireNullVersusEmpty() throws JMSException {
        HeraldTextMessage m = new HeraldTextMessage();
        assertNull(m.toWire().body);
        assertEquals(WireMessage.BODY_TEXT, m.toWire().bodyType);
        assertNull(((HeraldTextMessage) HeraldMessageTest.received(m, 1)).getText());
        m.setText("");
        assertEquals("", ((HeraldTextMessage) HeraldMessageTest.received(m, 1)).getText());
    }

    @Test
    void longText() throws JMSException {
        String big = "ü".repeat(100_000);
        HeraldTextMessage m = new HeraldTextMessage(big);
        assertEquals(big, ((HeraldTextMessage) HeraldMessageTest.received(m, 1)).getText());
    }
}
