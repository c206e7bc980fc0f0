package io.heraldmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeraldMapMessageTest {

    static HeraldMapMessage filled() throws JMSException {
        HeraldMapMessage m = new HeraldMapMessage();
        m.setBoolean("bool", true);
        m.setByte("byte", (byte) -1);
        m.setShort("short", (short) 2);
        m.setChar("char", 'q');
        m.setInt("int", 3);
        m.setLong("long", 4L);
        m.setFloat("float", 5.5f);
        m.setDouble("double", 6.25);
        m.setString("string", "s");
        m.setBytes("bytes", new byte[] {1, 2});
        m.setBytes("slice", new byte[] {0, 7, 8, 0}, 1, 2);
        m.setString("nullString", null);
        m.setObject("obj", 10L);
        return m;
    }

    static void checkFilled(HeraldMapMessage m) throws JMSException {
        assertTrue(m.getBoolean("bool"));
        assertEquals(-1, m.getByte("byte"));
        assertEquals(2, m.getShort("short"));
        assertEquals('q', m.getChar("char"));
        assertEquals(3, m.getInt("int"));
        assertEquals(4L, m.getLong("long"));
        assertEquals(5.5f, m.getFloat("float"));
        assertEquals(6.25, m.getDouble("double"));
        assertEquals("s", m.getString("string"));
        assertArrayEquals(new byte[] {1, 2}, m.getBytes("bytes"));
        assertArrayEquals(new byte[] {7, 8}, m.getBytes("slice"));
        assertNull(m.getString("nullString"));
        assertTrue(m.itemExists("nullString"));
        assertEquals(10L, m.getObject("obj"));
        assertEquals(Set.of("bool", "byte", "short", "char", "int", "long", "float", "double", "string", "bytes",
                "slice", "nullString", "obj"), new HashSet<>(Collections.list(m.getMapNames())));
    }

    @Test
    void setAndGetEveryType() throws JMSException {
        checkFilled(filled());
    }

    @Test
    void missingAndNullValues() throws JMSException {
        HeraldMapMessage m = new HeraldMapMessage();
        m.setObject("n", null);
        for (String name : new String[] {"n", "missing"}) {
            assertFalse(m.getBoolean(name));
            assertThrows(NumberFormatException.class, () -> m.getByte(name));
            assertThrows(NumberFormatException.class, () -> m.getShort(name));
            assertThrows(NumberFormatException.class, () -> m.getInt(name));
            assertThrows(NumberFormatException.class, () -> m.getLong(name));
            assertThrows(NullPointerException.class, () -> m.getFloat(name));
            assertThrows(NullPointerException.class, () -> m.getDouble(name));
            assertThrows(NullPointerException.class, () -> m.getChar(name));
            assertNull(m.getString(name));
            assertNull(m.getBytes(name));
            assertNull(m.getObject(name));
        }
        assertTrue(m.itemExists("n"));
        assertFalse(m.itemExists("missing"));
        assertFalse(m.itemExists(null));
    }

    @Test
    void namesMustNotBeNullOrEmpty() {
        HeraldMapMessage m = new HeraldMapMessage();
        for (String bad : new String[] {null, ""}) {
            assertThrows(IllegalArgumentException.class, () -> m.setInt(bad, 1));
            assertThrows(IllegalArgumentException.class, () -> m.setString(bad, "x"));
            assertThrows(IllegalArgumentException.class, () -> m.setBytes(bad, new byte[1]));
            assertThrows(IllegalArgumentException.class, () -> m.setBytes(bad, new byte[1], 0, 1));
            assertThrows(IllegalArgumentException.class, () -> m.setObject(bad, 1));
            assertThrows(IllegalArgumentException.class, () -> m.setBoolean(bad, true));
            assertThrows(IllegalArgumentException.class, () -> m.setChar(bad, 'c'));
        }
    }

    @Test
    void bytesAreCopiedInAndOut() throws JMSException {
        HeraldMapMessage m = new HeraldMapMessage();
        byte[] in = {1, 2, 3};
        m.setBytes("b", in);
        m.setObject("o", in);
        in[0] = 9;
        byte[] out = m.getBytes("b");
        assertArrayEquals(new byte[] {1, 2, 3}, out);
        out[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, m.getBytes("b"));
        byte[] obj = (byte[]) m.getObject("o");
        assertArrayEquals(new byte[] {1, 2, 3}, obj);
        obj[2] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) m.getObject("o"));
    }

    @Test
    void setObjectTypes() throws JMSException {
        HeraldMapMessage m = new HeraldMapMessage();
        Object[] ok = {true, (byte) 1, (short) 2, 'c', 3, 4L, 5f, 6d, "s"};
        for (Object v : ok) {
            m.setObject("k", v);
            assertEquals(v, m.getObject("k"));
        }
        for (Object v : new Object[] {new Object(), List.of(1), new StringBuilder(), new int[1]}) {
            assertThrows(MessageFormatException.class, () -> m.setObject("k", v));
        }
    }

    @Test
    void receivedIsReadOnlyUntilClearBody() throws JMSException {
        HeraldMapMessage r = (HeraldMapMessage) HeraldMessageTest.received(filled(), 1);
        checkFilled(r);
        assertThrows(MessageNotWriteableException.class, () -> r.setInt("x", 1));
        assertThrows(MessageNotWriteableException.class, () -> r.setObject("x", 1));
        assertThrows(MessageNotWriteableException.class, () -> r.setBytes("x", new byte[1], 0, 1));
        r.clearBody();
        assertFalse(r.getMapNames().hasMoreElements());
        r.setInt("x", 1);
        assertEquals(1, r.getInt("x"));
    }

    @Test
    void getBody() throws JMSException {
        HeraldMapMessage m = new HeraldMapMessage();
        assertNull(m.getBody(String.class)); // empty map: no body
        assertTrue(m.isBodyAssignableTo(String.class));
        m.setInt("a", 1);
        m.setBytes("b", new byte[] {5});
        assertTrue(m.isBodyAssignableTo(Map.class));
        assertTrue(m.isBodyAssignableTo(Object.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertFalse(m.isBodyAssignableTo(java.util.HashMap.class));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = m.getBody(Map.class);
        assertEquals(1, body.get("a"));
        assertArrayEquals(new byte[] {5}, (byte[]) body.get("b"));
        body.put("c", 3); // a copy
        assertFalse(m.itemExists("c"));
        assertTrue(m.getBody(Object.class) instanceof Map);
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(byte[].class));
    }

    @Test
    void malformedReceivedBodyIsMessageFormatException() throws JMSException {
        var w = new HeraldMapMessage().toWire();
        w.body = io.vertx.core.buffer.Buffer.buffer(new byte[] {0, 0, 0, 1, 0});
        HeraldMapMessage r = (HeraldMapMessage) HeraldMessage.fromWire(w, 0, 0, 1);
        assertThrows(MessageFormatException.class, () -> r.getInt("a"));
        assertThrows(MessageFormatException.class, r::getMapNames);
    }
}
