package io.heraldmq.tck.message;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 3.12 "Provider implementations of JMS message interfaces": a provider must send a
 * message implemented by another provider, and set the header fields send sets on that foreign object. Also sends
 * to a destination object of another provider.
 */
class ForeignMessageIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static final class ForeignTextMessage extends ForeignMessage implements TextMessage {
        private String text;

        @Override public void setText(String s) { text = s; }
        @Override public String getText() { return text; }
    }

    static final class ForeignBytesMessage extends ForeignMessage implements BytesMessage {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        @Override public long getBodyLength() { return out.size(); }
        @Override public void writeBytes(byte[] value) { out.writeBytes(value); }
        private int readPosition;

        @Override public void reset() { readPosition = 0; }
        @Override public int readBytes(byte[] value) {
            byte[] all = out.toByteArray();
            int n = Math.min(all.length - readPosition, value.length);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(all, readPosition, value, 0, n);
            readPosition += n;
            return n;
        }
        @Override public boolean readBoolean() { throw new UnsupportedOperationException(); }
        @Override public byte readByte() { throw new UnsupportedOperationException(); }
        @Override public int readUnsignedByte() { throw new UnsupportedOperationException(); }
        @Override public short readShort() { throw new UnsupportedOperationException(); }
        @Override public int readUnsignedShort() { throw new UnsupportedOperationException(); }
        @Override public char readChar() { throw new UnsupportedOperationException(); }
        @Override public int readInt() { throw new UnsupportedOperationException(); }
        @Override public long readLong() { throw new UnsupportedOperationException(); }
        @Override public float readFloat() { throw new UnsupportedOperationException(); }
        @Override public double readDouble() { throw new UnsupportedOperationException(); }
        @Override public String readUTF() { throw new UnsupportedOperationException(); }
        @Override public int readBytes(byte[] value, int length) { throw new UnsupportedOperationException(); }
        @Override public void writeBoolean(boolean value) { throw new UnsupportedOperationException(); }
        @Override public void writeByte(byte value) { throw new UnsupportedOperationException(); }
        @Override public void writeShort(short value) { throw new UnsupportedOperationException(); }
        @Override public void writeChar(char value) { throw new UnsupportedOperationException(); }
        @Override public void writeInt(int value) { throw new UnsupportedOperationException(); }
        @Override public void writeLong(long value) { throw new UnsupportedOperationException(); }
        @Override public void writeFloat(float value) { throw new UnsupportedOperationException(); }
        @Override public void writeDouble(double value) { throw new UnsupportedOperationException(); }
        @Override public void writeUTF(String value) { throw new UnsupportedOperationException(); }
        @Override public void writeBytes(byte[] value, int offset, int length) { out.write(value, offset, length); }
        @Override public void writeObject(Object value) { throw new UnsupportedOperationException(); }
    }

    /** A queue object of another provider: HeraldMQ must route by its name. */
    record ForeignQueue(String name) implements Queue {
        @Override
        public String getQueueName() {
            return name;
        }
    }

    @Test
    void foreignMessagesAreSentWithBodyPropertiesAndHeaders() throws JMSException {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("foreign");
            MessageProducer p = s.createProducer(new ForeignQueue("foreign"));
            MessageConsumer consumer = s.createConsumer(queue);
            c.start();

            ForeignTextMessage text = new ForeignTextMessage();
            text.setText("from elsewhere");
            text.setStringProperty("origin", "other-provider");
            text.setIntProperty("n", 7);
            text.setJMSCorrelationID("c-9");
            text.setJMSType("t");
            text.setJMSReplyTo(new ForeignQueue("answers"));
            p.send(text, DeliveryMode.PERSISTENT, 6, 0);
            // Section 3.12: send sets the header fields on the foreign object itself.
            assertNotNull(text.getJMSMessageID());
            assertTrue(text.getJMSMessageID().startsWith("ID:"));
            assertTrue(text.getJMSTimestamp() > 0);
            assertEquals(6, text.getJMSPriority());
            assertEquals(DeliveryMode.PERSISTENT, text.getJMSDeliveryMode());
            assertNotNull(text.getJMSDestination());

            TextMessage got = assertInstanceOf(TextMessage.class, consumer.receive(10_000));
            assertEquals("from elsewhere", got.getText());
            assertEquals("other-provider", got.getStringProperty("origin"));
            assertEquals(7, got.getIntProperty("n"));
            assertEquals("c-9", got.getJMSCorrelationID());
            assertEquals("t", got.getJMSType());
            assertEquals(text.getJMSMessageID(), got.getJMSMessageID());
            assertEquals(6, got.getJMSPriority());
            assertEquals("answers", ((Queue) got.getJMSReplyTo()).getQueueName());
            assertEquals(queue, got.getJMSDestination());

            ForeignBytesMessage bytes = new ForeignBytesMessage();
            bytes.writeBytes(new byte[] {3, 1, 4});
            p.send(bytes);
            BytesMessage gotBytes = assertInstanceOf(BytesMessage.class, consumer.receive(10_000));
            byte[] body = new byte[(int) gotBytes.getBodyLength()];
            gotBytes.readBytes(body);
            assertArrayEquals(new byte[] {3, 1, 4}, body);

            ForeignMessage plain = new ForeignMessage();
            plain.setBooleanProperty("plain", true);
            p.send(plain);
            Message gotPlain = consumer.receive(10_000);
            assertNotNull(gotPlain);
            assertTrue(gotPlain.getBooleanProperty("plain"));
        }
    }
}
