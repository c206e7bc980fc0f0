package io.heraldmq.jms.message;

import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.Wire;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message whose body is a set of name-value pairs. Values are Boolean, Byte, Short, Character, Integer, Long,
 * Float, Double, String, byte[] or null, and read with the conversions of {@link TypeConversions}; byte[] values are
 * copied in and out. A missing name reads as a null value. Names must not be null or empty.
 */
public class HeraldMapMessage extends HeraldMessage implements MapMessage {
    private Map<String, Object> map = new LinkedHashMap<>();
    /** A received body not parsed yet. */
    private byte[] pending;

    public HeraldMapMessage() {
    }

    private Map<String, Object> map() throws MessageFormatException {
        if (pending != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            try {
                Wire.Cursor c = new Wire.Cursor(Buffer.buffer(pending));
                int count = c.readInt();
                if (count < 0 || count > c.remaining()) {
                    throw new ProtocolException("bad map entry count " + count);
                }
                for (int i = 0; i < count; i++) {
                    String name = c.readString();
                    m.put(name, WireMessage.readValue(c));
                }
                c.expectEnd();
            } catch (ProtocolException e) {
                throw HeraldBytesMessage.withCause(new MessageFormatException("malformed MapMessage body: "
                        + e.getMessage()), e);
            }
            map = m;
            pending = null;
        }
        return map;
    }

    private Object get(String name) throws MessageFormatException {
        return name == null ? null : map().get(name);
    }

    private void put(String name, Object value) throws JMSException {
        checkBodyWritable();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("map entry name must not be null or empty");
        }
        map().put(name, value);
    }

    // ---- HeraldMessage hooks ----

    @Override
    byte wireBodyType() {
        return WireMessage.BODY_MAP;
    }

    @Override
    Buffer encodeBody() throws JMSException {
        if (pending != null) {
            return Buffer.buffer(pending.clone());
        }
        Buffer b = Buffer.buffer();
        b.appendInt(map.size());
        for (Map.Entry<String, Object> e : map.entrySet()) {
            try {
                Wire.writeString(b, e.getKey());
            } catch (IllegalArgumentException x) {
                throw new MessageFormatException("map entry name too long: " + x.getMessage());
            }
            WireMessage.writeValue(b, e.getValue());
        }
        return b;
    }

    @Override
    void decodeBody(byte[] body) {
        map = new LinkedHashMap<>();
        pending = body;
    }

    @Override
    void clearBodyContent() {
        map = new LinkedHashMap<>();
        pending = null;
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        MapMessage f = (MapMessage) foreign;
        for (Enumeration<?> names = f.getMapNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            setObject(name, f.getObject(name));
        }
    }

    /**
     * A new {@code Map} of the entries (byte[] values copied), or null when the map is empty (no body); it can be
     * assigned to {@code Map} or {@code Object} only.
     */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        Map<String, Object> m = map();
        if (m.isEmpty()) {
            return null;
        }
        if (!c.isAssignableFrom(Map.class)) {
            throw new MessageFormatException("MapMessage body cannot be assigned to " + c.getName());
        }
        Map<String, Object> copy = new HashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            copy.put(e.getKey(), TypeConversions.copyValue(e.getValue()));
        }
        return c.cast(copy);
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) throws JMSException {
        return map().isEmpty() || c.isAssignableFrom(Map.class);
    }

    // ---- MapMessage ----

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return TypeConversions.toBoolean(get(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return TypeConversions.toByte(get(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return TypeConversions.toShort(get(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        return TypeConversions.toChar(get(name));
    }

    @Override
    public int getInt(String name) throws JMSException {
        return TypeConversions.toInt(get(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return TypeConversions.toLong(get(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return TypeConversions.toFloat(get(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return TypeConversions.toDouble(get(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return TypeConversions.toStringValue(get(name));
    }

    @Override
    public byte[] getBytes(String name) throws JMSException {
        return TypeConversions.toBytes(get(name));
    }

    @Override
    public Object getObject(String name) throws JMSException {
        return TypeConversions.copyValue(get(name));
    }

    @Override
    public Enumeration<String> getMapNames() throws JMSException {
        return Collections.enumeration(new ArrayList<>(map().keySet()));
    }

    @Override
    public boolean itemExists(String name) throws JMSException {
        return name != null && map().containsKey(name);
    }

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        put(name, value);
    }

    /** Copies the array; null stores a null value. */
    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        checkBodyWritable();
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        put(name, copy);
    }

    /**
     * Accepts Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[] (copied) and null; other
     * types are a MessageFormatException.
     */
    @Override
    public void setObject(String name, Object value) throws JMSException {
        if (!TypeConversions.isBodyValueType(value)) {
            checkBodyWritable();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("map entry name must not be null or empty");
            }
            throw new MessageFormatException("invalid MapMessage value type " + value.getClass().getName());
        }
        put(name, TypeConversions.copyValue(value));
    }
}
