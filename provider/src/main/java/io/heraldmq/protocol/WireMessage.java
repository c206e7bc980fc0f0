package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message as encoded inside a record (see {@link RecordBatch}): the JMS headers, properties and body, with no
 * dependency on {@code jakarta.jms} so that the broker can read what it needs (priority, expiry, delivery time,
 * selector fields) without the client's classes. Per-delivery state (JMSRedelivered, JMSXDeliveryCount) is not here:
 * it travels in the DELIVER entry, so the stored bytes never change.
 * <p>
 * Layout (big-endian; strings and byte arrays as in {@link Wire}):
 * <pre>
 * offset size field
 * 0      1    bodyType        {@link #BODY_MESSAGE} .. {@link #BODY_OBJECT}
 * 1      1    flags           bit 0 PERSISTENT; bit 1 correlation id was set as bytes
 * 2      1    priority        0-9
 * 3      8    expiration      JMSExpiration, 0 = never
 * 11     8    deliveryTime    JMSDeliveryTime, 0 = at once
 * 19     8    timestamp       JMSTimestamp, 0 when disabled
 * 27     ...  string messageId         JMSMessageID including "ID:", or null
 *             bytes  correlationId     JMSCorrelationID (UTF-8 unless flag bit 1), or null
 *             string type              JMSType, or null
 *             byte   destinationKind   -1 = none, else {@link DestinationKind}; then string destination
 *             byte   replyToKind       -1 = none, else {@link DestinationKind}; then string replyTo
 *             string originConnection  who sent it, for noLocal ({@link #origin}), or null
 *             int32  propertyCount, then per property: string name, typed value
 *             bytes  body              null = no body; layout per body type (see below)
 * </pre>
 * A typed value is a tag byte and the value: 0 NULL; 1 BOOLEAN (1 byte); 2 BYTE; 3 SHORT; 4 INT; 5 LONG; 6 FLOAT;
 * 7 DOUBLE; 8 STRING (as {@link Wire#writeString}, or int32 length + UTF-8 with tag 11 for strings over 32 KiB);
 * 9 BYTES (int32 length + bytes); 10 CHAR (2 bytes).
 * <p>
 * Bodies: TEXT is UTF-8; BYTES is the raw bytes; MAP is int32 count then (string name, typed value) pairs; STREAM is
 * typed values back to back; OBJECT is Java serialization.
 */
public final class WireMessage {
    public static final byte BODY_MESSAGE = 0;
    public static final byte BODY_TEXT = 1;
    public static final byte BODY_BYTES = 2;
    public static final byte BODY_MAP = 3;
    public static final byte BODY_STREAM = 4;
    public static final byte BODY_OBJECT = 5;

    public static final byte FLAG_PERSISTENT = 1;
    public static final byte FLAG_CORRELATION_ID_BYTES = 2;

    static final byte T_NULL = 0;
    static final byte T_BOOLEAN = 1;
    static final byte T_BYTE = 2;
    static final byte T_SHORT = 3;
    static final byte T_INT = 4;
    static final byte T_LONG = 5;
    static final byte T_FLOAT = 6;
    static final byte T_DOUBLE = 7;
    static final byte T_STRING = 8;
    static final byte T_BYTES = 9;
    static final byte T_CHAR = 10;
    static final byte T_LONG_STRING = 11;

    private static final int FIXED_BYTES = 27;

    public byte bodyType = BODY_MESSAGE;
    public boolean persistent = true;
    public int priority = 4;
    public long expiration;
    public long deliveryTime;
    public long timestamp;
    public String messageId;
    public byte[] correlationId;
    public boolean correlationIdIsBytes;
    public String type;
    public DestinationKind destinationKind;
    public String destination;
    public DestinationKind replyToKind;
    public String replyTo;
    public String originConnection;

    /**
     * The sender's identity that noLocal compares: its client id when it has one, else its connection id. A durable
     * subscription with noLocal must drop messages of every connection with its client id, earlier ones included;
     * at any moment only one connection holds a client id, so for a non-durable consumer this is still "its own
     * connection".
     */
    public static String origin(String clientId, String connectionId) {
        return clientId != null ? "client:" + clientId : connectionId;
    }
    /**
     * Property name to Boolean, Byte, Short, Integer, Long, Float, Double or String (or null). May be replaced by a
     * map that a message to be encoded at once lends (the producer's hot path saves a copy).
     */
    public Map<String, Object> properties = new LinkedHashMap<>();
    /** Encoded body, or null. */
    public Buffer body;

    // ---- fixed-offset reads for the broker ----

    public static byte bodyType(Buffer message) {
        return message.getByte(0);
    }

    public static boolean isPersistent(Buffer message) {
        return (message.getByte(1) & FLAG_PERSISTENT) != 0;
    }

    public static int priority(Buffer message) {
        return message.getByte(2);
    }

    public static long expiration(Buffer message) {
        return message.getLong(3);
    }

    public static long deliveryTime(Buffer message) {
        return message.getLong(11);
    }

    /** {@link #priority(Buffer)} of the message starting at {@code at} in {@code buffer}, without slicing it. */
    public static int priority(Buffer buffer, int at) {
        return buffer.getByte(at + 2);
    }

    /** {@link #expiration(Buffer)} of the message starting at {@code at} in {@code buffer}. */
    public static long expiration(Buffer buffer, int at) {
        return buffer.getLong(at + 3);
    }

    /** {@link #deliveryTime(Buffer)} of the message starting at {@code at} in {@code buffer}. */
    public static long deliveryTime(Buffer buffer, int at) {
        return buffer.getLong(at + 11);
    }

    public Buffer encode() {
        // Room for the usual strings and properties, so the buffer does not grow (a copy) while it is written.
        Buffer b = Buffer.buffer(FIXED_BYTES + 64 + (body == null ? 0 : body.length()) + length(messageId)
                + length(type) + length(destination) + length(replyTo) + length(originConnection)
                + properties.size() * 32);
        byte flags = (byte) ((persistent ? FLAG_PERSISTENT : 0) | (correlationIdIsBytes ? FLAG_CORRELATION_ID_BYTES : 0));
        b.appendByte(bodyType).appendByte(flags).appendByte((byte) priority)
                .appendLong(expiration).appendLong(deliveryTime).appendLong(timestamp);
        Wire.writeString(b, messageId);
        Wire.writeBytes(b, correlationId);
        Wire.writeString(b, type);
        writeDestination(b, destinationKind, destination);
        writeDestination(b, replyToKind, replyTo);
        Wire.writeString(b, originConnection);
        b.appendInt(properties.size());
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            Wire.writeString(b, e.getKey());
            writeValue(b, e.getValue());
        }
        if (body == null) {
            b.appendInt(-1);
        } else {
            b.appendInt(body.length()).appendBuffer(body);
        }
        return b;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length() * 2;
    }

    private static void writeDestination(Buffer b, DestinationKind kind, String name) {
        if (kind == null || name == null) {
            b.appendByte((byte) -1);
        } else {
            b.appendByte(kind.code());
            Wire.writeString(b, name);
        }
    }

    /** Parses a whole message; the body is a slice of {@code message}. */
    public static WireMessage decode(Buffer message) {
        Wire.Cursor c = new Wire.Cursor(message);
        WireMessage m = new WireMessage();
        m.bodyType = c.readByte();
        if (m.bodyType < BODY_MESSAGE || m.bodyType > BODY_OBJECT) {
            throw new ProtocolException("unknown body type " + m.bodyType);
        }
        byte flags = c.readByte();
        m.persistent = (flags & FLAG_PERSISTENT) != 0;
        m.correlationIdIsBytes = (flags & FLAG_CORRELATION_ID_BYTES) != 0;
        m.priority = c.readByte();
        m.expiration = c.readLong();
        m.deliveryTime = c.readLong();
        m.timestamp = c.readLong();
        m.messageId = c.readString();
        m.correlationId = c.readBytes();
        m.type = c.readString();
        byte kind = c.readByte();
        if (kind != -1) {
            m.destinationKind = DestinationKind.of(kind);
            m.destination = c.readString();
        }
        kind = c.readByte();
        if (kind != -1) {
            m.replyToKind = DestinationKind.of(kind);
            m.replyTo = c.readString();
        }
        m.originConnection = c.readString();
        int count = c.readInt();
        if (count < 0 || count > c.remaining()) {
            throw new ProtocolException("bad property count " + count);
        }
        for (int i = 0; i < count; i++) {
            String name = c.readString();
            m.properties.put(name, readValue(c));
        }
        int bodyLength = c.readInt();
        if (bodyLength >= 0) {
            m.body = c.readSlice(bodyLength);
        } else if (bodyLength != -1) {
            throw new ProtocolException("bad body length " + bodyLength);
        }
        c.expectEnd();
        return m;
    }

    /** Writes one typed value (see the class comment). */
    public static void writeValue(Buffer b, Object v) {
        if (v == null) {
            b.appendByte(T_NULL);
        } else if (v instanceof Boolean x) {
            b.appendByte(T_BOOLEAN).appendByte((byte) (x ? 1 : 0));
        } else if (v instanceof Byte x) {
            b.appendByte(T_BYTE).appendByte(x);
        } else if (v instanceof Short x) {
            b.appendByte(T_SHORT).appendShort(x);
        } else if (v instanceof Integer x) {
            b.appendByte(T_INT).appendInt(x);
        } else if (v instanceof Long x) {
            b.appendByte(T_LONG).appendLong(x);
        } else if (v instanceof Float x) {
            b.appendByte(T_FLOAT).appendFloat(x);
        } else if (v instanceof Double x) {
            b.appendByte(T_DOUBLE).appendDouble(x);
        } else if (v instanceof String x) {
            byte[] utf8 = x.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (utf8.length <= Wire.MAX_STRING_BYTES) {
                b.appendByte(T_STRING).appendShort((short) utf8.length).appendBytes(utf8);
            } else {
                b.appendByte(T_LONG_STRING).appendInt(utf8.length).appendBytes(utf8);
            }
        } else if (v instanceof byte[] x) {
            b.appendByte(T_BYTES).appendInt(x.length).appendBytes(x);
        } else if (v instanceof Character x) {
            b.appendByte(T_CHAR).appendShort((short) x.charValue());
        } else {
            throw new IllegalArgumentException("unsupported value type " + v.getClass().getName());
        }
    }

    /** Reads one typed value written by {@link #writeValue}. */
    public static Object readValue(Wire.Cursor c) {
        byte tag = c.readByte();
        return switch (tag) {
            case T_NULL -> null;
            case T_BOOLEAN -> c.readByte() != 0;
            case T_BYTE -> c.readByte();
            case T_SHORT -> c.readShort();
            case T_INT -> c.readInt();
            case T_LONG -> c.readLong();
            case T_FLOAT -> c.readFloat();
            case T_DOUBLE -> c.readDouble();
            case T_STRING -> c.readString();
            case T_LONG_STRING -> {
                int len = c.readInt();
                Buffer s = c.readSlice(len);
                yield s.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
            case T_BYTES -> {
                byte[] bytes = c.readBytes();
                if (bytes == null) {
                    throw new ProtocolException("null BYTES value");
                }
                yield bytes;
            }
            case T_CHAR -> (char) c.readShort();
            default -> throw new ProtocolException("unknown value tag " + tag);
        };
    }
}
