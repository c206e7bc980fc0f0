package io.heraldmq.jms.message;

import io.heraldmq.protocol.WireMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeraldBytesMessageTest {

    static HeraldBytesMessage allTypes() throws JMSException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        m.writeBoolean(true);
        m.writeBoolean(false);
        m.writeByte((byte) -2);
        m.writeShort((short) -300);
        m.writeChar('Ω');
        m.writeInt(123456789);
        m.writeLong(-9876543210L);
        m.writeFloat(3.5f);
        m.writeDouble(-0.125);
        m.writeUTF("héllo");
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeBytes(new byte[] {9, 4, 5, 9}, 1, 2);
        m.writeByte((byte) 200);
        m.writeShort((short) 0xfffe);
        return m;
    }

    static void readAllTypes(HeraldBytesMessage m) throws JMSException {
        assertTrue(m.readBoolean());
        assertFalse(m.readBoolean());
        assertEquals(-2, m.readByte());
        assertEquals(-300, m.readShort());
        assertEquals('Ω', m.readChar());
        assertEquals(123456789, m.readInt());
        assertEquals(-9876543210L, m.readLong());
        assertEquals(3.5f, m.readFloat());
        assertEquals(-0.125, m.readDouble());
        assertEquals("héllo", m.readUTF());
        byte[] five = new byte[5];
        assertEquals(5, m.readBytes(five));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, five);
        assertEquals(200, m.readUnsignedByte());
        assertEquals(0xfffe, m.readUnsignedShort());
        assertThrows(MessageEOFException.class, m::readByte);
        assertEquals(-1, m.readBytes(new byte[3]));
    }

    @Test
    void writeThenReadEveryType() throws JMSException {
        HeraldBytesMessage m = allTypes();
        m.reset();
        readAllTypes(m);
    }

    @Test
    void matchesDataOutputStreamLayout() throws JMSException, IOException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        m.writeInt(7);
        m.writeUTF("ab");
        m.writeDouble(1.0);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bos);
        d.writeInt(7);
        d.writeUTF("ab");
        d.writeDouble(1.0);
        assertArrayEquals(bos.toByteArray(), m.toWire().body.getBytes());
    }

    @Test
    void writeOnlyUntilReset() throws JMSException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        m.writeInt(1);
        assertThrows(MessageNotReadableException.class, m::readInt);
        assertThrows(MessageNotReadableException.class, m::getBodyLength);
        assertThrows(MessageNotReadableException.class, () -> m.readBytes(new byte[1]));
        m.reset();
        assertEquals(4, m.getBodyLength());
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrows(MessageNotWriteableException.class, () -> m.writeObject(2));
        assertThrows(MessageNotWriteableException.class, () -> m.writeBytes(new byte[1]));
        assertEquals(1, m.readInt());
        m.reset();
        assertEquals(1, m.readInt()); // reset rewinds
        m.clearBody();
        assertThrows(MessageNotReadableException.class, m::readInt);
        m.writeInt(5);
        m.reset();
        assertEquals(4, m.getBodyLength());
        assertEquals(5, m.readInt());
    }

    @Test
    void eofDoesNotMoveThePointer() throws JMSException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        m.writeShort((short) 7);
        m.reset();
        assertThrows(MessageEOFException.class, m::readInt);
        assertThrows(MessageEOFException.class, m::readLong);
        assertThrows(MessageEOFException.class, m::readDouble);
        assertThrows(MessageEOFException.class, m::readFloat);
        assertEquals(7, m.readShort());
        assertThrows(MessageEOFException.class, m::readBoolean);
        assertThrows(MessageEOFException.class, m::readByte);
        assertThrows(MessageEOFException.class, m::readUnsignedByte);
        assertThrows(MessageEOFException.class, m::readShort);
        assertThrows(MessageEOFException.class, m::readUnsignedShort);
        assertThrows(MessageEOFException.class, m::readChar);
        assertThrows(MessageEOFException.class, m::readUTF);
    }

    @Test
    void truncatedUtfIsEofAndRereadable() throws JMSException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        m.writeShort((short) 10); // claims 10 bytes of UTF
        m.writeByte((byte) 'a');
        m.reset();
        assertThrows(MessageEOFException.class, m::readUTF);
        assertEquals(10, m.readShort());
    }

    @Test
    void readBytesPartialAndEnd() throws JMSException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7});
        m.reset();
        byte[] buf = new byte[3];
        assertEquals(3, m.readBytes(buf));
        assertArrayEquals(new byte[] {1, 2, 3}, buf);
        assertEquals(2, m.readBytes(buf, 2));
        assertEquals(4, buf[0]);
        assertEquals(5, buf[1]);
        assertEquals(2, m.readBytes(buf)); // fewer than asked: the end
        assertEquals(6, buf[0]);
        assertEquals(7, buf[1]);
        assertEquals(-1, m.readBytes(buf));
        assertEquals(-1, m.readBytes(buf, 1));
        m.reset();
        assertEquals(0, m.readBytes(buf, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(buf, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(buf, -1));
        byte[] exact = new byte[7];
        assertEquals(7, m.readBytes(exact));
        assertEquals(-1, m.readBytes(exact));
    }

    @Test
    void emptyBody() throws JMSException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        m.reset();
        assertEquals(0, m.getBodyLength());
        assertEquals(-1, m.readBytes(new byte[1]));
        assertThrows(MessageEOFException.class, m::readBoolean);
    }

    @Test
    void writeObjectTypes() throws JMSException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        m.writeObject(true);
        m.writeObject((byte) 1);
        m.writeObject((short) 2);
        m.writeObject('c');
        m.writeObject(3);
        m.writeObject(4L);
        m.writeObject(5f);
        m.writeObject(6d);
        m.writeObject("s");
        m.writeObject(new byte[] {7, 8});
        assertThrows(MessageFormatException.class, () -> m.writeObject(new Object()));
        assertThrows(MessageFormatException.class, () -> m.writeObject(new StringBuilder()));
        assertThrows(NullPointerException.class, () -> m.writeObject(null));
        assertThrows(NullPointerException.class, () -> m.writeUTF(null));
        assertThrows(NullPointerException.class, () -> m.writeBytes(null));
        m.reset();
        assertTrue(m.readBoolean());
        assertEquals(1, m.readByte());
        assertEquals(2, m.readShort());
        assertEquals('c', m.readChar());
        assertEquals(3, m.readInt());
        assertEquals(4L, m.readLong());
        assertEquals(5f, m.readFloat());
        assertEquals(6d, m.readDouble());
        assertEquals("s", m.readUTF());
        assertEquals(7, m.readByte());
        assertEquals(8, m.readByte());
        assertThrows(MessageEOFException.class, m::readByte);
    }

    @Test
    void receivedIsReadOnlyAtStart() throws JMSException {
        HeraldBytesMessage m = allTypes();
        HeraldBytesMessage r = (HeraldBytesMessage) HeraldMessageTest.received(m, 1);
        assertTrue(r.isReadOnlyBody());
        assertThrows(MessageNotWriteableException.class, () -> r.writeInt(1));
        readAllTypes(r);
        r.clearBody();
        assertThrows(MessageNotReadableException.class, r::readByte);
        r.writeByte((byte) 1);
        r.reset();
        assertEquals(1, r.getBodyLength());
    }

    @Test
    void toWireInEitherModeAndDoesNotChangeState() throws JMSException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        m.writeInt(42);
        assertEquals(WireMessage.BODY_BYTES, m.toWire().bodyType);
        assertEquals(4, m.toWire().body.length());
        assertFalse(m.isReadOnlyBody());
        m.writeInt(43); // still writable after toWire
        m.reset();
        m.readInt();
        assertEquals(8, m.toWire().body.length());
        assertEquals(43, m.readInt()); // pointer not moved by toWire
    }

    @Test
    void getBody() throws JMSException {
        HeraldBytesMessage m = new HeraldBytesMessage();
        assertNull(m.getBody(String.class)); // empty: no body
        assertTrue(m.isBodyAssignableTo(String.class));
        m.clearBody();
        m.writeBytes(new byte[] {1, 2, 3});
        assertTrue(m.isBodyAssignableTo(byte[].class));
        assertTrue(m.isBodyAssignableTo(Object.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        byte[] body = m.getBody(byte[].class); // works from write-only mode; resets
        assertArrayEquals(new byte[] {1, 2, 3}, body);
        assertTrue(m.isReadOnlyBody());
        assertEquals(1, m.readByte());
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) m.getBody(Object.class)); // whole body whatever the pointer
        assertEquals(1, m.readByte()); // reset after
        body[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, m.getBody(byte[].class)); // a copy
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
    }
}
