package io.heraldmq.tck.compat;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Message properties (names, nulls, conversions), headers before and after sending, bodies and large messages. */
final class PropertyScripts {
    private PropertyScripts() {
    }

    private static final String[] NAMES = {"ok", "_ok", "$ok", "a1", "1abc", "", "NULL", "TRUE", "FALSE", "NOT",
        "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE", "a-b", "a.b", "a b", "é", "JMSFoo", "JMSXFoo",
        "JMSXGroupID", "JMS_vendor"};

    /** Reads a property through every getter and records each result or exception type. */
    static void readAll(Run r, String label, Message m, String name) {
        r.trace().call(label + "." + name + " getBoolean", () -> m.getBooleanProperty(name));
        r.trace().call(label + "." + name + " getByte", () -> m.getByteProperty(name));
        r.trace().call(label + "." + name + " getShort", () -> m.getShortProperty(name));
        r.trace().call(label + "." + name + " getInt", () -> m.getIntProperty(name));
        r.trace().call(label + "." + name + " getLong", () -> m.getLongProperty(name));
        r.trace().call(label + "." + name + " getFloat", () -> m.getFloatProperty(name));
        r.trace().call(label + "." + name + " getDouble", () -> m.getDoubleProperty(name));
        r.trace().call(label + "." + name + " getString", () -> m.getStringProperty(name));
        r.trace().call(label + "." + name + " getObject", () -> {
            Object o = m.getObjectProperty(name);
            return o == null ? null : o.getClass().getSimpleName() + ":" + o;
        });
        r.trace().call(label + "." + name + " exists", () -> m.propertyExists(name));
    }

    private static final List<String> TYPED = List.of("bool", "byte", "short", "int", "long", "float", "double",
            "str12", "strAbc", "strTrue", "strDec", "strNull", "objInt", "missing");

    private static void setTyped(Run r, Message m) throws Exception {
        m.setBooleanProperty("bool", true);
        m.setByteProperty("byte", (byte) 7);
        m.setShortProperty("short", (short) 300);
        m.setIntProperty("int", 70000);
        m.setLongProperty("long", 5_000_000_000L);
        m.setFloatProperty("float", 1.5f);
        m.setDoubleProperty("double", 2.25);
        m.setStringProperty("str12", "12");
        m.setStringProperty("strAbc", "abc");
        m.setStringProperty("strTrue", "true");
        m.setStringProperty("strDec", "1.5");
        r.trace().run("setStringProperty(strNull, null)", () -> m.setStringProperty("strNull", null));
        m.setObjectProperty("objInt", 42);
    }

    static void addTo(ScriptBook book) {
        book.add("props.names", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Message m = s.createMessage();
            for (String name : NAMES) {
                r.trace().run("setStringProperty(" + name + ")", () -> m.setStringProperty(name, "v"));
            }
            r.trace().run("setStringProperty(null)", () -> m.setStringProperty(null, "v"));
            r.trace().run("setIntProperty(JMSXDeliveryCount)", () -> m.setIntProperty("JMSXDeliveryCount", 5));
            r.trace().run("setIntProperty(JMSXGroupSeq)", () -> m.setIntProperty("JMSXGroupSeq", 5));
            r.trace().call("getStringProperty(null)", () -> m.getStringProperty(null));
            r.trace().call("getStringProperty(\"\")", () -> m.getStringProperty(""));
            r.trace().call("propertyExists(null)", () -> m.propertyExists(null));
        });
        book.add("props.conversions-before-and-after-send", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            Message m = s.createMessage();
            setTyped(r, m);
            for (String name : TYPED) {
                readAll(r, "sent", m, name);
            }
            s.createProducer(q).send(m);
            Message got = r.expect("receive", s.createConsumer(q));
            for (String name : TYPED) {
                readAll(r, "received", got, name);
            }
        });
        book.add("props.object-property-types", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Message m = s.createMessage();
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            values.put("Integer", 1);
            values.put("String", "s");
            values.put("Character", 'c');
            values.put("byte[]", new byte[] {1});
            values.put("List", new ArrayList<>(List.of(1)));
            values.put("BigDecimal", java.math.BigDecimal.ONE);
            values.put("Map", Map.of());
            values.put("null", null);
            for (var e : values.entrySet()) {
                r.trace().run("setObjectProperty(" + e.getKey() + ")", () -> m.setObjectProperty("p", e.getValue()));
            }
            r.trace().call("exists after null", () -> m.propertyExists("p"));
        });
        book.add("props.read-only-after-receive", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            TextMessage m = s.createTextMessage("body");
            m.setStringProperty("a", "1");
            s.createProducer(q).send(m);
            r.trace().run("sender sets after send", () -> m.setStringProperty("b", "2"));
            r.trace().run("sender sets body after send", () -> m.setText("changed"));
            TextMessage got = (TextMessage) r.expect("receive", s.createConsumer(q));
            r.trace().run("setStringProperty", () -> got.setStringProperty("b", "2"));
            r.trace().run("setText", () -> got.setText("x"));
            r.trace().run("setJMSType", () -> got.setJMSType("t"));
            r.trace().run("setJMSCorrelationID", () -> got.setJMSCorrelationID("c"));
            r.trace().run("clearProperties", got::clearProperties);
            r.trace().run("setStringProperty after clear", () -> got.setStringProperty("b", "2"));
            r.trace().call("getStringProperty(a)", () -> got.getStringProperty("a"));
            r.trace().run("clearBody", got::clearBody);
            r.trace().run("setText after clearBody", () -> got.setText("x"));
            r.trace().call("getText", got::getText);
        });
        book.add("props.jmsx-group-and-user-properties", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            Message m = s.createMessage();
            m.setStringProperty("JMSXGroupID", "g1");
            m.setIntProperty("JMSXGroupSeq", 3);
            m.setStringProperty("user", "u");
            s.createProducer(q).send(m);
            Message got = r.expect("receive", s.createConsumer(q));
            r.trace().call("JMSXGroupID", () -> got.getStringProperty("JMSXGroupID"));
            r.trace().call("JMSXGroupSeq", () -> got.getIntProperty("JMSXGroupSeq"));
            r.trace().call("JMSXDeliveryCount", () -> got.getIntProperty("JMSXDeliveryCount"));
        });
        book.add("headers.new-message-defaults", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Message m = s.createMessage();
            r.trace().call("getJMSMessageID", m::getJMSMessageID);
            r.trace().call("getJMSTimestamp", m::getJMSTimestamp);
            r.trace().call("getJMSCorrelationID", m::getJMSCorrelationID);
            r.trace().call("getJMSReplyTo", m::getJMSReplyTo);
            r.trace().call("getJMSDestination", m::getJMSDestination);
            r.trace().call("getJMSRedelivered", m::getJMSRedelivered);
            r.trace().call("getJMSType", m::getJMSType);
            r.trace().call("getJMSExpiration", m::getJMSExpiration);
            r.trace().call("getJMSDeliveryTime", m::getJMSDeliveryTime);
            r.trace().call("getPropertyNames.hasMoreElements", () -> m.getPropertyNames().hasMoreElements());
            r.trace().run("getJMSCorrelationIDAsBytes", m::getJMSCorrelationIDAsBytes);
        });
        book.add("headers.set-by-send", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            Queue reply = s.createQueue(r.name("reply"));
            MessageProducer p = s.createProducer(q);
            Message m = s.createMessage();
            m.setJMSPriority(9);
            m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
            m.setJMSExpiration(1);
            m.setJMSType("kind");
            m.setJMSCorrelationID("corr-1");
            m.setJMSReplyTo(reply);
            p.send(m);
            r.trace().call("after send: priority", m::getJMSPriority);
            r.trace().call("after send: delivery mode", m::getJMSDeliveryMode);
            r.trace().call("after send: expiration", m::getJMSExpiration);
            r.trace().call("after send: destination", () -> Trace.destination(m.getJMSDestination()));
            r.trace().call("after send: has id", () -> m.getJMSMessageID() != null);
            r.trace().call("after send: has timestamp", () -> m.getJMSTimestamp() > 0);
            r.trace().call("after send: delivery time = timestamp", () -> m.getJMSDeliveryTime() == m.getJMSTimestamp());
            // one consumer for both: a second one would wait its 10 s for a message the first had buffered
            MessageConsumer consumer = s.createConsumer(q);
            Message got = r.expect("receive", consumer);
            r.trace().call("received: delivery time = timestamp",
                    () -> got.getJMSDeliveryTime() == got.getJMSTimestamp());
            p.send(m, DeliveryMode.NON_PERSISTENT, 2, 0);
            r.expect("receive with explicit mode and priority", consumer);
        });
        book.add("headers.correlation-id-bytes", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            Message m = s.createMessage();
            m.setJMSCorrelationIDAsBytes(new byte[] {1, 2, 3});
            s.createProducer(q).send(m);
            Message got = r.expect("receive", s.createConsumer(q));
            r.trace().call("bytes", () -> java.util.Arrays.toString(got.getJMSCorrelationIDAsBytes()));
        });
        book.add("producer.hints-and-defaults", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            r.trace().call("getDeliveryMode", p::getDeliveryMode);
            r.trace().call("getPriority", p::getPriority);
            r.trace().call("getTimeToLive", p::getTimeToLive);
            r.trace().call("getDeliveryDelay", p::getDeliveryDelay);
            r.trace().call("getDisableMessageID", p::getDisableMessageID);
            r.trace().call("getDisableMessageTimestamp", p::getDisableMessageTimestamp);
            r.trace().run("setPriority(10)", () -> p.setPriority(10));
            r.trace().run("setPriority(-1)", () -> p.setPriority(-1));
            r.trace().run("setDeliveryMode(3)", () -> p.setDeliveryMode(3));
            r.trace().run("setDisableMessageID", () -> p.setDisableMessageID(true));
            r.trace().run("setDisableMessageTimestamp", () -> p.setDisableMessageTimestamp(true));
            p.send(s.createTextMessage("hinted"));
            r.expect("receive", s.createConsumer(q));
        });
        book.add("body.types-round-trip", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            p.send(s.createTextMessage(null));
            BytesMessage bytes = s.createBytesMessage();
            bytes.writeInt(7);
            bytes.writeUTF("u");
            p.send(bytes);
            MapMessage map = s.createMapMessage();
            map.setInt("i", 1);
            map.setString("s", "x");
            r.trace().run("map.setObject(List)", () -> map.setObject("l", new ArrayList<>()));
            p.send(map);
            StreamMessage stream = s.createStreamMessage();
            stream.writeString("12");
            stream.writeBoolean(true);
            p.send(stream);
            ObjectMessage object = s.createObjectMessage("serialized");
            p.send(object);
            p.send(s.createMessage());
            MessageConsumer c = s.createConsumer(q);
            r.expect("text null", c);
            BytesMessage b = (BytesMessage) r.expect("bytes", c);
            r.trace().call("bytes.readInt", b::readInt);
            r.trace().call("bytes.readUTF", b::readUTF);
            r.trace().call("bytes.readByte at end", b::readByte);
            r.trace().run("bytes.writeInt read-only", () -> b.writeInt(1));
            MapMessage mm = (MapMessage) r.expect("map", c);
            r.trace().call("map.getLong(i)", () -> mm.getLong("i"));
            r.trace().call("map.getInt(s)", () -> mm.getInt("s"));
            r.trace().call("map.getString(missing)", () -> mm.getString("missing"));
            r.trace().call("map.itemExists(i)", () -> mm.itemExists("i"));
            StreamMessage sm = (StreamMessage) r.expect("stream", c);
            r.trace().call("stream.readInt", sm::readInt);
            r.trace().call("stream.readString after failed readInt", sm::readString);
            r.trace().call("stream.readString", sm::readString);
            r.trace().call("stream.readObject at end", sm::readObject);
            r.expect("object", c);
            Message plain = r.expect("plain", c);
            r.trace().call("plain.getBody(String)", () -> plain.getBody(String.class));
            r.trace().call("plain.isBodyAssignableTo(String)", () -> plain.isBodyAssignableTo(String.class));
        });
        book.add("body.get-body", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            p.send(s.createTextMessage("t"));
            BytesMessage bm = s.createBytesMessage();
            bm.writeBytes(new byte[] {1, 2});
            p.send(bm);
            MessageConsumer c = s.createConsumer(q);
            Message text = c.receive(Run.EXPECT_MS);
            r.trace().call("text.getBody(String)", () -> text.getBody(String.class));
            r.trace().call("text.getBody(Object)", () -> text.getBody(Object.class));
            r.trace().call("text.getBody(Integer)", () -> text.getBody(Integer.class));
            r.trace().call("text.isBodyAssignableTo(byte[])", () -> text.isBodyAssignableTo(byte[].class));
            Message bytes = c.receive(Run.EXPECT_MS);
            r.trace().call("bytes.getBody(byte[])", () -> bytes.getBody(byte[].class).length);
            r.trace().call("bytes.getBody(String)", () -> bytes.getBody(String.class));
        });
        book.add("large.text-and-bytes", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            p.send(s.createTextMessage("x".repeat(500_000)));
            BytesMessage bm = s.createBytesMessage();
            byte[] body = new byte[900_000];
            new java.util.Random(1).nextBytes(body);
            bm.writeBytes(body);
            bm.setStringProperty("k", "v");
            p.send(bm);
            MessageConsumer c = s.createConsumer(q);
            r.expect("text", c);
            BytesMessage got = (BytesMessage) r.expect("bytes", c);
            byte[] read = new byte[900_000];
            r.trace().call("read", () -> got.readBytes(read));
            r.trace().note("same bytes", java.util.Arrays.equals(body, read));
        });
        book.add("large.over-a-mebibyte", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            BytesMessage bm = s.createBytesMessage();
            bm.writeBytes(new byte[2 * 1024 * 1024]);
            r.trace().run("send 2 MiB", () -> s.createProducer(q).send(bm));
        });
    }
}
