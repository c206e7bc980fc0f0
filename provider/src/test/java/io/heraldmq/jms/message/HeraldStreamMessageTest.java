package io.heraldmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeraldStreamMessageTest {

    static HeraldStreamMessage filled() throws JMSException {
        HeraldStreamMessage m = new HeraldStreamMessage();
        m.writeBoolean(true);
        m.writeByte((byte) -1);
        m.writeShort((short) 2);
        m.writeChar('q');
        m.writeInt(3);
        m.writeLong(4L);
        m.writeFloat(5.5f);
        m.writeDouble(6.25);
        m.writeString("s");
        m.writeBytes(new byte[] {1, 2});
        m.writeBytes(new byte[] {0, 7, 8, 0}, 1, 2);
        m.writeString(null);
        m.writeObject(10L);
        m.writeString("x".repeat(40_000)); // long string tag on the wire
        return m;
    }

    static void checkFilled(HeraldStreamMessage m) throws JMSException {
        assertTrue(m.readBoolean());
        assertEquals(-1, m.readByte());
        assertEquals(2, m.readShort());
        assertEquals('q', m.readChar());
        assertEquals(3, m.readInt());
        assertEquals(4L, m.readLong());
        assertEquals(5.5f, m.readFloat());
        assertEquals(6.25, m.readDouble());
        assertEquals("s", m.readString());
        assertArrayEquals(new byte[] {1, 2}, (byte[]) m.readObject());
        byte[] buf = new byte[10];
        assertEquals(2, m.readBytes(buf));
        assertEquals(7, buf[0]);
        assertEquals(8, buf[1]);
        assertNull(m.readString());
        assertEquals(10L, m.readObject());
        assertEquals(40_000, m.readString().length());
        assertThrows(MessageEOFException.class, m::readObject);
        assertThrows(MessageEOFException.class, m::readInt);
        assertThrows(MessageEOFException.class, () -> m.readBytes(new byte[1]));
    }

    @Test
    void writeThenReadEveryType() throws JMSException {
        HeraldStreamMessage m = filled();
        m.reset();
        checkFilled(m);
        m.reset();
        checkFilled(m);
    }

    @Test
    void receivedRoundTrip() throws JMSException {
        HeraldStreamMessage r = (HeraldStreamMessage) HeraldMessageTest.received(filled(), 1);
        checkFilled(r);
        assertThrows(MessageNotWriteableException.class, () -> r.writeInt(1));
        r.clearBody();
        assertThrows(MessageNotReadableException.class, r::readInt);
        r.writeInt(9);
        r.reset();
        assertEquals(9, r.readInt());
    }

    @Test
    void writeOnlyUntilReset() throws JMSException {
        HeraldStreamMessage m = new HeraldStreamMessage();
        m.writeInt(1);
        assertThrows(MessageNotReadableException.class, m::readInt);
        assertThrows(MessageNotReadableException.class, m::readObject);
        assertThrows(MessageNotReadableException.class, () -> m.readBytes(new byte[1]));
        m.reset();
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrows(MessageNotWriteableException.class, () -> m.writeObject(2));
        assertThrows(MessageNotWriteableException.class, () -> m.writeBytes(new byte[1], 0, 1));
        assertEquals(1, m.readInt());
        m.clearBody();
        assertThrows(MessageNotReadableException.class, m::readInt);
        m.reset();
        assertThrows(MessageEOFException.class, m::readInt);
    }

    @Test
    void failedConversionDoesNotAdvance() throws JMSException {
        HeraldStreamMessage m = new HeraldStreamMessage();
        m.writeString("abc");
        m.writeLong(5);
        m.writeString(null);
        m.writeBytes(new byte[] {1});
        m.reset();
        assertThrows(NumberFormatException.class, m::readInt);
        assertThrows(MessageFormatException.class, m::readChar);
        assertThrows(MessageFormatException.class, () -> m.readBytes(new byte[4]));
        assertEquals("abc", m.readString());
        assertThrows(MessageFormatException.class, m::readInt);
        assertThrows(MessageFormatException.class, m::readBoolean);
        assertEquals("5", m.readString());
        assertThrows(NullPointerException.class, m::readChar);
        assertThrows(NumberFormatException.class, m::readInt);
        assertThrows(NullPointerException.class, m::readDouble);
        assertFalse(m.readBoolean()); // null read as boolean: Boolean.valueOf(null)
        assertThrows(MessageFormatException.class, m::readString);
        assertArrayEquals(new byte[] {1}, (byte[]) m.readObject());
    }

    @Test
    void readBytesChunks() throws JMSException {
        HeraldStreamMessage m = new HeraldStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.writeInt(9);
        m.reset();
        byte[] buf = new byte[2];
        assertEquals(2, m.readBytes(buf));
        assertArrayEquals(new byte[] {1, 2}, buf);
        // in the middle of a byte[] value: nothing else may be read
        assertThrows(MessageFormatException.class, m::readInt);
        assertThrows(MessageFormatException.class, m::readObject);
        assertEquals(2, m.readBytes(buf));
        assertArrayEquals(new byte[] {3, 4}, buf);
        assertEquals(1, m.readBytes(buf)); // less than the buffer: done
        assertEquals(5, buf[0]);
        assertEquals(9, m.readInt());
    }

    @Test
    void readBytesExactFitNeedsTheMinusOneCallOrIsFullyRead() throws JMSException {
        HeraldStreamMessage m = new HeraldStreamMessage();
        m.writeBytes(new byte[] {1, 2});
        m.writeBytes(new byte[] {3, 4});
        m.writeInt(7);
        m.reset();
        byte[] buf = new byte[2];
        assertEquals(2, m.readBytes(buf));
        assertEquals(-1, m.readBytes(buf)); // end of the first value
        assertEquals(2, m.readBytes(buf));
        assertArrayEquals(new byte[] {3, 4}, buf);
        // the second value has been read to its end: the next value may be read without the -1 call
        assertEquals(7, m.readInt());
    }

    @Test
    void readBytesNullAndEmpty() throws JMSException {
        HeraldStreamMessage m = new HeraldStreamMessage();
        m.writeBytes(null);
        m.writeBytes(new byte[0]);
        m.writeObject(new byte[] {4});
        m.reset();
        assertEquals(-1, m.readBytes(new byte[3]));
        assertEquals(0, m.readBytes(new byte[3]));
        byte[] buf = new byte[3];
        assertEquals(1, m.readBytes(buf));
        assertEquals(4, buf[0]);
        assertThrows(MessageEOFException.class, () -> m.readBytes(buf));
    }

    @Test
    void writeObjectTypes() throws JMSException {
        HeraldStreamMessage m = new HeraldStreamMessage();
        Object[] ok = {true, (byte) 1, (short) 2, 'c', 3, 4L, 5f, 6d, "s", null};
        for (Object v : ok) {
            m.writeObject(v);
        }
        byte[] arr = {1, 2};
        m.writeObject(arr);
        arr[0] = 9;
        for (Object v : new Object[] {new Object(), List.of(), new StringBuilder(), new int[0]}) {
            assertThrows(MessageFormatException.class, () -> m.writeObject(v));
        }
        m.reset();
        for (Object v : ok) {
            assertEquals(v, m.readObject());
        }
        assertArrayEquals(new byte[] {1, 2}, (byte[]) m.readObject());
    }

    @Test
    void getBodyIsRefused() throws JMSException {
        HeraldStreamMessage m = new HeraldStreamMessage();
        assertThrows(MessageFormatException.class, () -> m.getBody(Object.class));
        assertFalse(m.isBodyAssignableTo(Object.class));
        m.writeInt(1);
        assertThrows(MessageFormatException.class, () -> m.getBody(List.class));
        assertFalse(m.isBodyAssignableTo(List.class));
    }

    @Test
    void toWireFromReadModeHasEveryValue() throws JMSException {
        HeraldStreamMessage m = new HeraldStreamMessage();
        m.writeInt(1);
        m.writeInt(2);
        m.reset();
        assertEquals(1, m.readInt());
        HeraldStreamMessage r = (HeraldStreamMessage) HeraldMessageTest.received(m, 1);
        assertEquals(1, r.readInt());
        assertEquals(2, r.readInt());
        assertEquals(2, m.readInt()); // pointer untouched
    }
}
