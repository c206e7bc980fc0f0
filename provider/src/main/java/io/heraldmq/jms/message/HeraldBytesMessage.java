package io.heraldmq.jms.message;

import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;

/**
 * A message whose body is a stream of uninterpreted bytes, written and read like {@link DataOutputStream} /
 * {@link DataInputStream} (big-endian; {@code writeUTF} is modified UTF-8 with a two-byte length).
 * <p>
 * A new message is in write-only mode; {@link #reset()} switches it to read-only mode with the pointer at the start.
 * A received message is in read-only mode; {@link #clearBody()} empties it and switches it to write-only mode. A read
 * that fails (end of the body, bad UTF) does not move the pointer.
 */
public class HeraldBytesMessage extends HeraldMessage implements BytesMessage {
    private static final byte[] EMPTY = new byte[0];

    /** Write mode: the bytes written so far. Null in read mode. */
    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    private DataOutputStream dataOut = new DataOutputStream(out);
    /** Read mode: the body and the read pointer. */
    private byte[] data;
    private int pos;

    public HeraldBytesMessage() {
    }

    // ---- modes ----

    @Override
    public void reset() {
        setReadOnlyBody(true);
    }

    @Override
    public void setReadOnlyBody(boolean readOnly) {
        if (readOnly) {
            if (!isReadOnlyBody()) {
                data = out.toByteArray();
                out = null;
                dataOut = null;
            }
            pos = 0;
        } else if (isReadOnlyBody()) {
            out = new ByteArrayOutputStream(Math.max(32, data.length));
            out.writeBytes(data);
            dataOut = new DataOutputStream(out);
            data = null;
            pos = 0;
        }
        super.setReadOnlyBody(readOnly);
    }

    private byte[] content() {
        return isReadOnlyBody() ? data : out.toByteArray();
    }

    private int contentLength() {
        return isReadOnlyBody() ? data.length : out.size();
    }

    // ---- HeraldMessage hooks ----

    @Override
    byte wireBodyType() {
        return WireMessage.BODY_BYTES;
    }

    @Override
    Buffer encodeBody() {
        return Buffer.buffer(isReadOnlyBody() ? data.clone() : out.toByteArray());
    }

    @Override
    void decodeBody(byte[] body) {
        out = null;
        dataOut = null;
        data = body == null ? EMPTY : body;
        pos = 0;
        super.setReadOnlyBody(true);
    }

    @Override
    void clearBodyContent() {
        out = new ByteArrayOutputStream();
        dataOut = new DataOutputStream(out);
        data = EMPTY;
        pos = 0;
        super.setReadOnlyBody(false);
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        BytesMessage b = (BytesMessage) foreign;
        b.reset();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = b.readBytes(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
        b.reset();
    }

    /**
     * The whole body as a new array whatever the pointer, or null when the body is empty. As the specification says,
     * the message is reset before and after, so it is left in read-only mode with the pointer at the start.
     */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        reset();
        if (data.length == 0) {
            return null;
        }
        if (!c.isAssignableFrom(byte[].class)) {
            throw new MessageFormatException("BytesMessage body cannot be assigned to " + c.getName());
        }
        return c.cast(data.clone());
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return contentLength() == 0 || c.isAssignableFrom(byte[].class);
    }

    // ---- reading ----

    private void checkReadable() throws MessageNotReadableException {
        if (!isReadOnlyBody()) {
            throw new MessageNotReadableException("BytesMessage is in write-only mode; call reset() to read it");
        }
    }

    /** Checks that {@code n} more bytes can be read and returns the current position (the pointer is not moved). */
    private int need(int n) throws JMSException {
        checkReadable();
        if (data.length - pos < n) {
            throw new MessageEOFException("end of BytesMessage: need " + n + " bytes, " + (data.length - pos) + " left");
        }
        return pos;
    }

    @Override
    public long getBodyLength() throws JMSException {
        checkReadable();
        return data.length;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        int p = need(1);
        pos++;
        return data[p] != 0;
    }

    @Override
    public byte readByte() throws JMSException {
        int p = need(1);
        pos++;
        return data[p];
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return readByte() & 0xff;
    }

    @Override
    public short readShort() throws JMSException {
        int p = need(2);
        pos += 2;
        return ByteBuffer.wrap(data).getShort(p);
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return readShort() & 0xffff;
    }

    @Override
    public char readChar() throws JMSException {
        int p = need(2);
        pos += 2;
        return ByteBuffer.wrap(data).getChar(p);
    }

    @Override
    public int readInt() throws JMSException {
        int p = need(4);
        pos += 4;
        return ByteBuffer.wrap(data).getInt(p);
    }

    @Override
    public long readLong() throws JMSException {
        int p = need(8);
        pos += 8;
        return ByteBuffer.wrap(data).getLong(p);
    }

    @Override
    public float readFloat() throws JMSException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws JMSException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readUTF() throws JMSException {
        int p = need(2);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, p, data.length - p));
        try {
            String s = in.readUTF();
            pos = p + 2 + ((data[p] & 0xff) << 8 | (data[p + 1] & 0xff));
            return s;
        } catch (EOFException e) {
            throw withCause(new MessageEOFException("end of BytesMessage inside a UTF string"), e);
        } catch (UTFDataFormatException e) {
            throw withCause(new MessageFormatException("malformed UTF string: " + e.getMessage()), e);
        } catch (IOException e) {
            throw withCause(new MessageFormatException(e.toString()), e);
        }
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    /**
     * Reads up to {@code length} bytes into the start of {@code value}: returns how many were read, fewer than
     * {@code length} when the body ends first, and -1 when the pointer is already at the end.
     */
    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        checkReadable();
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " for an array of " + value.length);
        }
        int left = data.length - pos;
        if (left == 0) {
            return -1;
        }
        int n = Math.min(length, left);
        System.arraycopy(data, pos, value, 0, n);
        pos += n;
        return n;
    }

    // ---- writing ----

    private DataOutputStream writer() throws JMSException {
        checkBodyWritable();
        return dataOut;
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        try {
            writer().writeBoolean(value);
        } catch (IOException e) {
            throw new AssertionError(e); // a ByteArrayOutputStream does not fail
        }
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        writer();
        out.write(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        try {
            writer().writeShort(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void writeChar(char value) throws JMSException {
        try {
            writer().writeChar(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void writeInt(int value) throws JMSException {
        try {
            writer().writeInt(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void writeLong(long value) throws JMSException {
        try {
            writer().writeLong(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        try {
            writer().writeFloat(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        try {
            writer().writeDouble(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Modified UTF-8 with a two-byte length; a null string is a NullPointerException, over 65535 bytes a MessageFormatException. */
    @Override
    public void writeUTF(String value) throws JMSException {
        DataOutputStream w = writer();
        if (value == null) {
            throw new NullPointerException("BytesMessage cannot hold a null string");
        }
        try {
            w.writeUTF(value);
        } catch (UTFDataFormatException e) {
            throw withCause(new MessageFormatException("string too long for writeUTF"), e);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        writer();
        out.write(value, 0, value.length);
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        writer();
        out.write(value, offset, length);
    }

    /**
     * Writes a Boolean, Byte, Short, Character, Integer, Long, Float, Double, String (as {@link #writeUTF}) or byte[];
     * null is a NullPointerException and any other type a MessageFormatException.
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        checkBodyWritable();
        if (value == null) {
            throw new NullPointerException("BytesMessage cannot hold null");
        } else if (value instanceof Boolean v) {
            writeBoolean(v);
        } else if (value instanceof Byte v) {
            writeByte(v);
        } else if (value instanceof Short v) {
            writeShort(v);
        } else if (value instanceof Character v) {
            writeChar(v);
        } else if (value instanceof Integer v) {
            writeInt(v);
        } else if (value instanceof Long v) {
            writeLong(v);
        } else if (value instanceof Float v) {
            writeFloat(v);
        } else if (value instanceof Double v) {
            writeDouble(v);
        } else if (value instanceof String v) {
            writeUTF(v);
        } else if (value instanceof byte[] v) {
            writeBytes(v);
        } else {
            throw new MessageFormatException("cannot write " + value.getClass().getName() + " to a BytesMessage");
        }
    }

    static <E extends JMSException> E withCause(E e, Throwable cause) {
        e.setLinkedException(cause instanceof Exception x ? x : null);
        e.initCause(cause);
        return e;
    }
}
