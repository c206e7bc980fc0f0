package io.heraldmq.tck.message;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 3.5 "Message properties": typed values survive the broker, conversions follow the
 * table of 3.5.4, received properties are read-only until {@code clearProperties}, and the provider sets the JMSX
 * properties it supports (3.5.9).
 */
class MessagePropertiesIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private MessageConsumer consumer;

    @BeforeEach
    void open(TestInfo test) throws JMSException {
        connection = new HeraldConnectionFactory(broker.url()).createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = session.createQueue("props-" + test.getTestMethod().orElseThrow().getName());
        producer = session.createProducer(queue);
        consumer = session.createConsumer(queue);
        connection.start();
    }

    @AfterEach
    void close() throws JMSException {
        connection.close();
    }

    private Message roundTrip(Message m) throws JMSException {
        producer.send(m);
        Message got = consumer.receive(10_000);
        assertNotNull(got, "nothing received");
        return got;
    }

    @Test
    void everyPropertyTypeArrivesWithItsType() throws JMSException {
        Message m = session.createMessage();
        m.setBooleanProperty("b", true);
        m.setByteProperty("y", (byte) -1);
        m.setShortProperty("s", (short) 2);
        m.setIntProperty("i", 3);
        m.setLongProperty("l", 4L);
        m.setFloatProperty("f", 5.5f);
        m.setDoubleProperty("d", 6.5);
        m.setStringProperty("str", "7");
        m.setObjectProperty("o", 8);
        Message got = roundTrip(m);
        assertEquals(Boolean.TRUE, got.getObjectProperty("b"));
        assertEquals((byte) -1, got.getObjectProperty("y"));
        assertEquals((short) 2, got.getObjectProperty("s"));
        assertEquals(3, got.getObjectProperty("i"));
        assertEquals(4L, got.getObjectProperty("l"));
        assertEquals(5.5f, got.getObjectProperty("f"));
        assertEquals(6.5, got.getObjectProperty("d"));
        assertEquals("7", got.getObjectProperty("str"));
        assertEquals(8, got.getObjectProperty("o"));
        List<String> names = Collections.list(got.getPropertyNames());
        assertTrue(names.containsAll(List.of("b", "y", "s", "i", "l", "f", "d", "str", "o")), names.toString());
    }

    /** 3.5.4: the conversion table; a conversion it does not allow is a MessageFormatException. */
    @Test
    void conversionsFollowTheTable() throws JMSException {
        Message m = session.createMessage();
        m.setByteProperty("byte", (byte) 5);
        m.setIntProperty("int", 6);
        m.setFloatProperty("float", 1.5f);
        m.setStringProperty("numeric", "42");
        m.setStringProperty("bool", "TRUE");
        m.setBooleanProperty("flag", false);
        Message got = roundTrip(m);
        assertEquals(5, got.getShortProperty("byte"));
        assertEquals(5L, got.getLongProperty("byte"));
        assertEquals(6L, got.getLongProperty("int"));
        assertEquals("6", got.getStringProperty("int"));
        assertEquals(1.5, got.getDoubleProperty("float"));
        assertEquals(42, got.getIntProperty("numeric"));
        assertEquals(42L, got.getLongProperty("numeric"));
        assertTrue(got.getBooleanProperty("bool"));
        assertEquals("false", got.getStringProperty("flag"));
        assertThrows(MessageFormatException.class, () -> got.getByteProperty("int"), "int does not narrow");
        assertThrows(MessageFormatException.class, () -> got.getIntProperty("float"));
        assertThrows(MessageFormatException.class, () -> got.getIntProperty("flag"));
        assertThrows(MessageFormatException.class, () -> got.getBooleanProperty("int"));
    }

    /** 3.5.4 / 3.5.5: an absent property reads as null, or fails as a primitive the way valueOf(null) does. */
    @Test
    void absentPropertiesBehaveLikeNull() throws JMSException {
        Message got = roundTrip(session.createMessage());
        assertFalse(got.propertyExists("missing"));
        assertNull(got.getStringProperty("missing"));
        assertNull(got.getObjectProperty("missing"));
        assertFalse(got.getBooleanProperty("missing"), "Boolean.valueOf(null) is false");
        assertThrows(NumberFormatException.class, () -> got.getIntProperty("missing"));
        assertThrows(NullPointerException.class, () -> got.getDoubleProperty("missing"));
    }

    /** 3.5.5: received properties are read-only; clearProperties makes them writable and empty. */
    @Test
    void receivedPropertiesAreReadOnlyUntilCleared() throws JMSException {
        Message m = session.createMessage();
        m.setStringProperty("k", "v");
        Message got = roundTrip(m);
        assertThrows(MessageNotWriteableException.class, () -> got.setStringProperty("k", "w"));
        assertThrows(MessageNotWriteableException.class, () -> got.setIntProperty("other", 1));
        got.clearProperties();
        assertFalse(got.propertyExists("k"));
        got.setStringProperty("k", "w");
        assertEquals("w", got.getStringProperty("k"));
    }

    /** 3.5.1: names follow the selector identifier rules; objects are limited to the primitive wrappers and String. */
    @Test
    void invalidNamesAndValueTypesAreRefused() throws JMSException {
        Message m = session.createMessage();
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty("", "x"));
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty("1abc", "x"));
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty("NOT", "x"));
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("list", List.of(1)));
    }

    /** 3.5.9 / 3.5.11: JMSXDeliveryCount is set on receipt, JMSXGroupID and JMSXGroupSeq pass through. */
    @Test
    void jmsxPropertiesAreSetAndPassThrough() throws JMSException {
        Message m = session.createMessage();
        m.setStringProperty("JMSXGroupID", "g-1");
        m.setIntProperty("JMSXGroupSeq", 3);
        Message got = roundTrip(m);
        assertEquals(1, got.getIntProperty("JMSXDeliveryCount"));
        assertEquals("g-1", got.getStringProperty("JMSXGroupID"));
        assertEquals(3, got.getIntProperty("JMSXGroupSeq"));
        List<String> supported = Collections.list(connection.getMetaData().getJMSXPropertyNames());
        assertTrue(supported.containsAll(List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq")));
    }
}
