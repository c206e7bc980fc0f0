package io.heraldmq.tck.message;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 3.11 "Message body" and 3.12 "Provider implementations of JMS message interfaces":
 * every body type survives the broker unchanged, a received body is read-only until {@code clearBody}, and
 * {@code getBody}/{@code isBodyAssignableTo} follow the table of section 3.11.
 */
class MessageBodyIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private Connection connection;
    private Session session;
    private Queue queue;
    private MessageProducer producer;
    private MessageConsumer consumer;

    @BeforeEach
    void open(TestInfo test) throws JMSException {
        connection = new HeraldConnectionFactory(broker.url()).createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        queue = session.createQueue("body-" + test.getTestMethod().orElseThrow().getName());
        producer = session.createProducer(queue);
        consumer = session.createConsumer(queue);
        connection.start();
    }

    @AfterEach
    void close() throws JMSException {
        connection.close();
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> T roundTrip(T sent) throws JMSException {
        producer.send(sent);
        Message got = consumer.receive(10_000);
        assertNotNull(got, "nothing received");
        return (T) got;
    }

    @Test
    void textMessageKeepsUnicodeAndNullTextAndIsReadOnlyAfterReceipt() throws JMSException {
        String text = "héllo \u20ac \uD83D\uDE00 " + "x".repeat(10_000);
        TextMessage got = roundTrip(session.createTextMessage(text));
        assertEquals(text, got.getText());
        assertThrows(MessageNotWriteableException.class, () -> got.setText("changed"));
        got.clearBody();
        assertNull(got.getText());
        got.setText("writable again");
        assertEquals("writable again", got.getText());

        TextMessage empty = roundTrip(session.createTextMessage());
        assertNull(empty.getText());
    }

    @Test
    void bytesMessageReadsBackEveryTypeInOrderAndIsInReadOnlyMode() throws JMSException {
        BytesMessage m = session.createBytesMessage();
        m.writeBoolean(true);
        m.writeByte((byte) -7);
        m.writeShort((short) 30_000);
        m.writeChar('\u00e9');
        m.writeInt(Integer.MIN_VALUE);
        m.writeLong(Long.MAX_VALUE);
        m.writeFloat(1.5f);
        m.writeDouble(-2.25);
        m.writeUTF("utf \u20ac");
        m.writeBytes(new byte[] {1, 2, 3, 4, 5}, 1, 3);
        m.writeObject(42);
        BytesMessage got = roundTrip(m);
        assertEquals(1 + 1 + 2 + 2 + 4 + 8 + 4 + 8 + (2 + "utf \u20ac".getBytes(java.nio.charset.StandardCharsets.UTF_8).length) + 3 + 4,
                got.getBodyLength());
        assertTrue(got.readBoolean());
        assertEquals(-7, got.readByte());
        assertEquals(30_000, got.readShort());
        assertEquals('\u00e9', got.readChar());
        assertEquals(Integer.MIN_VALUE, got.readInt());
        assertEquals(Long.MAX_VALUE, got.readLong());
        assertEquals(1.5f, got.readFloat());
        assertEquals(-2.25, got.readDouble());
        assertEquals("utf \u20ac", got.readUTF());
        byte[] three = new byte[3];
        assertEquals(3, got.readBytes(three));
        assertArrayEquals(new byte[] {2, 3, 4}, three);
        assertEquals(42, got.readInt());
        assertEquals(-1, got.readBytes(new byte[1]), "end of the body");
        assertThrows(MessageNotWriteableException.class, () -> got.writeInt(1));
        got.reset();
        assertTrue(got.readBoolean(), "reset goes back to the start");
        got.clearBody();
        assertThrows(MessageNotReadableException.class, got::readBoolean);
        got.writeInt(5);
        got.reset();
        assertEquals(5, got.readInt());
    }

    @Test
    void mapMessageKeepsEveryTypeAndConvertsPerTheTable() throws JMSException {
        MapMessage m = session.createMapMessage();
        m.setBoolean("bool", true);
        m.setByte("byte", (byte) 8);
        m.setShort("short", (short) 300);
        m.setChar("char", 'c');
        m.setInt("int", 70_000);
        m.setLong("long", 1L << 40);
        m.setFloat("float", 0.5f);
        m.setDouble("double", 0.25);
        m.setString("string", "123");
        m.setBytes("bytes", new byte[] {9, 8});
        m.setObject("object", "obj");
        MapMessage got = roundTrip(m);
        assertTrue(got.getBoolean("bool"));
        assertEquals(8, got.getByte("byte"));
        assertEquals(8L, got.getLong("byte"), "byte widens to long");
        assertEquals(300, got.getInt("short"));
        assertEquals('c', got.getChar("char"));
        assertEquals(70_000, got.getInt("int"));
        assertEquals(1L << 40, got.getLong("long"));
        assertEquals(0.5, got.getDouble("float"), "float widens to double");
        assertEquals(0.25, got.getDouble("double"));
        assertEquals(123, got.getInt("string"), "String converts to int");
        assertEquals("true", got.getString("bool"));
        assertArrayEquals(new byte[] {9, 8}, got.getBytes("bytes"));
        assertEquals("obj", got.getObject("object"));
        assertTrue(got.itemExists("long"));
        assertFalse(got.itemExists("absent"));
        assertNull(got.getString("absent"));
        List<String> names = Collections.list(got.getMapNames());
        assertEquals(11, names.size(), names.toString());
        assertThrows(MessageFormatException.class, () -> got.getInt("double"), "double does not narrow to int");
        assertThrows(MessageFormatException.class, () -> got.getBoolean("bytes"));
        assertThrows(NumberFormatException.class, () -> got.getInt("object"), "'obj' is no number");
        assertThrows(MessageNotWriteableException.class, () -> got.setInt("new", 1));
        got.clearBody();
        assertFalse(got.getMapNames().hasMoreElements());
        got.setInt("new", 1);
    }

    @Test
    void streamMessageReadsInOrderWithConversionsAndSignalsTheEnd() throws JMSException {
        StreamMessage m = session.createStreamMessage();
        m.writeInt(12);
        m.writeString("34");
        m.writeBoolean(false);
        m.writeBytes(new byte[] {1, 2});
        m.writeObject(null);
        m.writeDouble(1.25);
        StreamMessage got = roundTrip(m);
        assertEquals(12L, got.readLong(), "int widens to long");
        assertEquals(34, got.readInt(), "String converts to int");
        assertEquals("false", got.readString());
        byte[] two = new byte[2];
        assertEquals(2, got.readBytes(two));
        assertArrayEquals(new byte[] {1, 2}, two);
        assertEquals(-1, got.readBytes(two), "the byte array field is used up");
        assertNull(got.readObject());
        assertThrows(MessageFormatException.class, got::readInt, "double does not narrow to int");
        assertEquals(1.25, got.readDouble(), "a failed conversion does not consume the field");
        assertThrows(MessageEOFException.class, got::readInt);
        assertThrows(MessageNotWriteableException.class, () -> got.writeInt(1));
        got.clearBody();
        got.writeInt(3);
        got.reset();
        assertEquals(3, got.readInt());
    }

    record Order(String id, List<String> lines) implements Serializable {
    }

    @Test
    void objectMessageCarriesASerializableGraph() throws JMSException {
        Order order = new Order("o-1", new ArrayList<>(List.of("a", "b")));
        ObjectMessage got = roundTrip(session.createObjectMessage(order));
        assertEquals(order, got.getObject());
        assertThrows(MessageNotWriteableException.class, () -> got.setObject("x"));
        assertEquals(order, got.getBody(Order.class));
        assertTrue(got.isBodyAssignableTo(Serializable.class));
        assertFalse(got.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> got.getBody(String.class));
        ObjectMessage empty = roundTrip(session.createObjectMessage());
        assertNull(empty.getObject());
    }

    @Test
    void getBodyFollowsTheTableOfSection311() throws JMSException {
        TextMessage text = roundTrip(session.createTextMessage("t"));
        assertEquals("t", text.getBody(String.class));
        assertTrue(text.isBodyAssignableTo(String.class));
        assertTrue(text.isBodyAssignableTo(Object.class));
        assertFalse(text.isBodyAssignableTo(byte[].class));
        assertThrows(MessageFormatException.class, () -> text.getBody(Integer.class));

        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(new byte[] {7, 7});
        BytesMessage gotBytes = roundTrip(bytes);
        assertArrayEquals(new byte[] {7, 7}, gotBytes.getBody(byte[].class));

        MapMessage map = session.createMapMessage();
        map.setString("k", "v");
        Map<?, ?> body = roundTrip(map).getBody(Map.class);
        assertEquals(Map.of("k", "v"), body);

        StreamMessage stream = session.createStreamMessage();
        stream.writeInt(1);
        StreamMessage gotStream = roundTrip(stream);
        assertFalse(gotStream.isBodyAssignableTo(Object.class), "a StreamMessage has no body getBody can return");
        assertThrows(MessageFormatException.class, () -> gotStream.getBody(Object.class));

        Message plain = roundTrip(session.createMessage());
        assertNull(plain.getBody(String.class), "a plain Message has no body");
        assertTrue(plain.isBodyAssignableTo(Integer.class));

        BytesMessage emptyBytes = roundTrip(session.createBytesMessage());
        assertNull(emptyBytes.getBody(byte[].class), "an empty BytesMessage has a null body");
    }
}
