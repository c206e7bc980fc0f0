package io.heraldmq.jms.message;

import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.Wire;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.StreamMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * A message whose body is a sequence of typed values (Boolean, Byte, Short, Character, Integer, Long, Float, Double,
 * String, byte[] or null), written and read in order with the conversions of {@link TypeConversions}.
 * <p>
 * A new message is in write-only mode; {@link #reset()} switches it to read-only mode at the first value. A read that
 * fails with MessageFormatException, NumberFormatException or NullPointerException does not advance, so the value can
 * be read again as another type. A byte[] value read with {@link #readBytes} must be read to its end (until a call
 * returns less than the buffer length, or -1) before the next value; reading another value before that is a
 * MessageFormatException. {@code getBody} is always a MessageFormatException, as the specification requires.
 */
public class HeraldStreamMessage extends HeraldMessage implements StreamMessage {
    private List<Object> values = new ArrayList<>();
    /** A received body not parsed yet. */
    private byte[] pending;
    /** Read mode: the index of the next value. */
    private int index;
    /** Read mode: how much of the byte[] value at {@code index} readBytes has returned, or -1 when not inside one. */
    private int bytesPos = -1;

    public HeraldStreamMessage() {
    }

    private List<Object> values() throws MessageFormatException {
        if (pending != null) {
            List<Object> list = new ArrayList<>();
            try {
                Wire.Cursor c = new Wire.Cursor(Buffer.buffer(pending));
                while (c.remaining() > 0) {
                    list.add(WireMessage.readValue(c));
                }
            } catch (ProtocolException e) {
                throw HeraldBytesMessage.withCause(new MessageFormatException("malformed StreamMessage body: "
                        + e.getMessage()), e);
            }
            values = list;
            pending = null;
        }
        return values;
    }

    // ---- modes ----

    @Override
    public void reset() {
        setReadOnlyBody(true);
    }

    @Override
    public void setReadOnlyBody(boolean readOnly) {
        index = 0;
        bytesPos = -1;
        super.setReadOnlyBody(readOnly);
    }

    // ---- HeraldMessage hooks ----

    @Override
    byte wireBodyType() {
        return WireMessage.BODY_STREAM;
    }

    @Override
    Buffer encodeBody() {
        if (pending != null) {
            return Buffer.buffer(pending.clone());
        }
        Buffer b = Buffer.buffer();
        for (Object v : values) {
            WireMessage.writeValue(b, v);
        }
        return b;
    }

    @Override
    void decodeBody(byte[] body) {
        values = new ArrayList<>();
        pending = body;
    }

    @Override
    void clearBodyContent() {
        values = new ArrayList<>();
        pending = null;
        index = 0;
        bytesPos = -1;
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        StreamMessage f = (StreamMessage) foreign;
        f.reset();
        while (true) {
            Object v;
            try {
                v = f.readObject();
            } catch (MessageEOFException end) {
                break;
            }
            writeObject(v);
        }
        f.reset();
    }

    /** A StreamMessage body cannot be returned by getBody: always a MessageFormatException. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("getBody is not supported for StreamMessage");
    }

    /** Always false for a StreamMessage. */
    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return false;
    }

    // ---- reading ----

    @FunctionalInterface
    private interface Conversion<R> {
        R apply(Object v) throws JMSException;
    }

    /** The value at the read position, finishing a completely read byte[] value first. Does not advance. */
    private Object current() throws JMSException {
        if (!isReadOnlyBody()) {
            throw new MessageNotReadableException("StreamMessage is in write-only mode; call reset() to read it");
        }
        List<Object> v = values();
        if (bytesPos >= 0) {
            byte[] b = (byte[]) v.get(index);
            if (bytesPos < b.length) {
                throw new MessageFormatException("the byte[] value must be read to its end with readBytes first");
            }
            index++;
            bytesPos = -1;
        }
        if (index >= v.size()) {
            throw new MessageEOFException("end of StreamMessage");
        }
        return v.get(index);
    }

    private <R> R read(Conversion<R> conversion) throws JMSException {
        R r = conversion.apply(current());
        index++;
        return r;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return read(TypeConversions::toBoolean);
    }

    @Override
    public byte readByte() throws JMSException {
        return read(TypeConversions::toByte);
    }

    @Override
    public short readShort() throws JMSException {
        return read(TypeConversions::toShort);
    }

    @Override
    public char readChar() throws JMSException {
        return read(TypeConversions::toChar);
    }

    @Override
    public int readInt() throws JMSException {
        return read(TypeConversions::toInt);
    }

    @Override
    public long readLong() throws JMSException {
        return read(TypeConversions::toLong);
    }

    @Override
    public float readFloat() throws JMSException {
        return read(TypeConversions::toFloat);
    }

    @Override
    public double readDouble() throws JMSException {
        return read(TypeConversions::toDouble);
    }

    @Override
    public String readString() throws JMSException {
        return read(TypeConversions::toStringValue);
    }

    /** Byte arrays are returned as copies. */
    @Override
    public Object readObject() throws JMSException {
        return read(TypeConversions::copyValue);
    }

    /**
     * Reads the next chunk of a byte[] value into {@code value}: the number of bytes copied; a value shorter than
     * {@code value.length} means the byte[] value is finished; -1 when there is nothing more of it (or it is null);
     * 0 for an empty byte[] value.
     */
    @Override
    public int readBytes(byte[] value) throws JMSException {
        if (bytesPos < 0) {
            Object v = current();
            if (v == null) {
                index++;
                return -1;
            }
            if (!(v instanceof byte[] b)) {
                throw new MessageFormatException("cannot read " + TypeConversions.typeName(v) + " with readBytes");
            }
            if (b.length == 0) {
                index++;
                return 0;
            }
            bytesPos = 0;
        } else if (!isReadOnlyBody()) {
            throw new MessageNotReadableException("StreamMessage is in write-only mode; call reset() to read it");
        }
        byte[] b = (byte[]) values.get(index);
        int left = b.length - bytesPos;
        if (left == 0) {
            index++;
            bytesPos = -1;
            return -1;
        }
        int n = Math.min(left, value.length);
        System.arraycopy(b, bytesPos, value, 0, n);
        bytesPos += n;
        if (n < value.length) {
            index++;
            bytesPos = -1;
        }
        return n;
    }

    // ---- writing ----

    private void add(Object v) throws JMSException {
        checkBodyWritable();
        values().add(v);
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        add(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        add(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        add(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        add(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        add(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        add(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        add(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        add(value);
    }

    @Override
    public void writeString(String value) throws JMSException {
        add(value);
    }

    /** Copies the array; null writes a null value. */
    @Override
    public void writeBytes(byte[] value) throws JMSException {
        add(value == null ? null : value.clone());
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        checkBodyWritable();
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        add(copy);
    }

    /**
     * Accepts Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[] (copied) and null; other
     * types are a MessageFormatException.
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        checkBodyWritable();
        if (!TypeConversions.isBodyValueType(value)) {
            throw new MessageFormatException("invalid StreamMessage value type " + value.getClass().getName());
        }
        add(TypeConversions.copyValue(value));
    }
}
