package io.heraldmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeraldObjectMessageTest {

    static final class Payload implements Serializable {
        private static final long serialVersionUID = 1L;
        String name;
        int[] numbers;

        Payload(String name, int... numbers) {
            this.name = name;
            this.numbers = numbers;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Payload p && Objects.equals(p.name, name) && java.util.Arrays.equals(p.numbers, numbers);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name);
        }
    }

    static final class Holder implements Serializable {
        private static final long serialVersionUID = 1L;
        Payload[] payloads = {new Payload("in array")};
    }

    static final class NotSerializableField implements Serializable {
        private static final long serialVersionUID = 1L;
        Object field = new Object();
    }

    @AfterEach
    void clearFilter() {
        System.clearProperty(DeserializationFilter.ALLOW_LIST_PROPERTY);
        System.clearProperty(DeserializationFilter.DENY_LIST_PROPERTY);
    }

    @Test
    void roundTripIsASnapshot() throws JMSException {
        Payload p = new Payload("a", 1, 2);
        HeraldObjectMessage m = new HeraldObjectMessage();
        assertNull(m.getObject());
        m.setObject(p);
        p.name = "changed";
        Payload got = (Payload) m.getObject();
        assertEquals(new Payload("a", 1, 2), got);
        assertNotSame(got, m.getObject());

        HeraldObjectMessage r = (HeraldObjectMessage) HeraldMessageTest.received(m, 1);
        assertEquals(new Payload("a", 1, 2), r.getObject());
        assertThrows(MessageNotWriteableException.class, () -> r.setObject("x"));
        r.clearBody();
        assertNull(r.getObject());
        r.setObject("x");
        assertEquals("x", r.getObject());

        m.setObject(null);
        assertNull(m.getObject());
        assertNull(m.toWire().body);
    }

    @Test
    void unserializableIsMessageFormatException() {
        HeraldObjectMessage m = new HeraldObjectMessage();
        assertThrows(MessageFormatException.class, () -> m.setObject(new NotSerializableField()));
    }

    @Test
    void denyListRefusesNamingTheClass() throws JMSException {
        HeraldObjectMessage m = new HeraldObjectMessage(new Payload("x"));
        System.setProperty(DeserializationFilter.DENY_LIST_PROPERTY, "io.heraldmq");
        MessageFormatException e = assertThrows(MessageFormatException.class, m::getObject);
        assertTrue(e.getMessage().contains(Payload.class.getName()), e.getMessage());
        assertThrows(MessageFormatException.class, () -> m.getBody(Serializable.class));
        assertFalse(m.isBodyAssignableTo(Serializable.class));
        System.clearProperty(DeserializationFilter.DENY_LIST_PROPERTY);
        assertEquals(new Payload("x"), m.getObject());
    }

    @Test
    void allowListOnlyAllowsListed() throws JMSException {
        HeraldObjectMessage m = new HeraldObjectMessage(new Payload("x", 1));
        System.setProperty(DeserializationFilter.ALLOW_LIST_PROPERTY, "java.util");
        MessageFormatException e = assertThrows(MessageFormatException.class, m::getObject);
        assertTrue(e.getMessage().contains(Payload.class.getName()), e.getMessage());
        // the int[] field is a primitive array: always allowed
        System.setProperty(DeserializationFilter.ALLOW_LIST_PROPERTY, "java.util, io.heraldmq.jms.message");
        assertEquals(new Payload("x", 1), m.getObject());
        // deny wins over allow
        System.setProperty(DeserializationFilter.DENY_LIST_PROPERTY, Payload.class.getName());
        assertThrows(MessageFormatException.class, m::getObject);
    }

    @Test
    void allowListChecksNestedAndArrayClasses() throws JMSException {
        HeraldObjectMessage m = new HeraldObjectMessage(new Holder());
        System.setProperty(DeserializationFilter.ALLOW_LIST_PROPERTY, Holder.class.getName());
        MessageFormatException e = assertThrows(MessageFormatException.class, m::getObject);
        assertTrue(e.getMessage().contains(Payload.class.getName()), e.getMessage());
        System.setProperty(DeserializationFilter.ALLOW_LIST_PROPERTY, "io.heraldmq.jms.message.HeraldObjectMessageTest$*");
        assertTrue(m.getObject() instanceof Holder);

        HashMap<String, Integer> map = new HashMap<>(Map.of("a", 1));
        HeraldObjectMessage mm = new HeraldObjectMessage(map);
        System.setProperty(DeserializationFilter.ALLOW_LIST_PROPERTY, "java.util");
        e = assertThrows(MessageFormatException.class, mm::getObject);
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
        System.setProperty(DeserializationFilter.ALLOW_LIST_PROPERTY, "java.util,java.lang");
        assertEquals(map, mm.getObject());
        System.setProperty(DeserializationFilter.ALLOW_LIST_PROPERTY, "*");
        assertEquals(map, mm.getObject());
        System.setProperty(DeserializationFilter.DENY_LIST_PROPERTY, "*");
        assertThrows(MessageFormatException.class, mm::getObject);
    }

    @Test
    void filterMatching() {
        DeserializationFilter f = new DeserializationFilter("com.acme, org.x.Only, net.pre*", "com.acme.evil");
        assertTrue(f.isAllowed("com.acme"));
        assertTrue(f.isAllowed("com.acme.Order"));
        assertTrue(f.isAllowed("com.acme.model.Line"));
        assertTrue(f.isAllowed("com.acme.Order$Line"));
        assertFalse(f.isAllowed("com.acmecorp.X"));
        assertFalse(f.isAllowed("com.acme.evil.Gadget"));
        assertTrue(f.isAllowed("com.acme.evilish.Thing"));
        assertTrue(f.isAllowed("org.x.Only"));
        assertTrue(f.isAllowed("org.x.Only$Inner"));
        assertFalse(f.isAllowed("org.x.Other"));
        assertTrue(f.isAllowed("net.prefixed.A"));
        assertTrue(f.isAllowed("net.preB"));
        assertFalse(f.isAllowed("net.other"));
        assertTrue(f.isAllowed("[Lcom.acme.Order;"));
        assertTrue(f.isAllowed("[[Lcom.acme.Order;"));
        assertFalse(f.isAllowed("[Ljava.lang.String;"));
        assertFalse(f.isAllowed("[Lcom.acme.evil.G;"));
        assertTrue(f.isAllowed("[I"));
        assertTrue(f.isAllowed("[[J"));
        assertTrue(f.isAllowed("int"));

        DeserializationFilter open = new DeserializationFilter(null, "com.bad");
        assertTrue(open.isAllowed("anything.At.All"));
        assertFalse(open.isAllowed("com.bad.X"));
        assertTrue(new DeserializationFilter("  ", null).isAllowed("x.Y")); // blank allow list = not set
    }

    @Test
    void resolvesWithTheContextClassLoader() throws JMSException {
        HeraldObjectMessage m = new HeraldObjectMessage(new Payload("tccl"));
        List<String> asked = new ArrayList<>();
        ClassLoader recording = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                asked.add(name);
                return super.loadClass(name, resolve);
            }
        };
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(recording);
        try {
            assertEquals(new Payload("tccl"), m.getObject());
        } finally {
            t.setContextClassLoader(old);
        }
        assertTrue(asked.contains(Payload.class.getName()), asked.toString());
    }

    @Test
    void getBody() throws JMSException {
        HeraldObjectMessage m = new HeraldObjectMessage();
        assertNull(m.getBody(Integer.class)); // no object: any type
        assertTrue(m.isBodyAssignableTo(Integer.class));
        m.setObject(new Payload("b"));
        assertEquals(new Payload("b"), m.getBody(Payload.class));
        assertEquals(new Payload("b"), m.getBody(Serializable.class));
        assertEquals(new Payload("b"), m.getBody(Object.class));
        assertTrue(m.isBodyAssignableTo(Payload.class));
        assertTrue(m.isBodyAssignableTo(Serializable.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
        m.setObject("text");
        assertEquals("text", m.getBody(String.class));
        assertEquals("text", m.getBody(CharSequence.class));
    }

    @Test
    void corruptBodyIsMessageFormatException() throws JMSException {
        var w = new HeraldObjectMessage("x").toWire();
        w.body = io.vertx.core.buffer.Buffer.buffer(new byte[] {1, 2, 3});
        HeraldObjectMessage r = (HeraldObjectMessage) HeraldMessage.fromWire(w, 0, 0, 1);
        assertThrows(MessageFormatException.class, r::getObject);
        assertFalse(r.isBodyAssignableTo(Object.class));
    }
}
