package io.heraldmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every from/to pair of the conversion tables: 3-2 for properties, 3-7 for map and stream values. Each cell is
 * checked both ways: marked cells convert to the expected value, unmarked ones throw MessageFormatException.
 */
class ConversionMatrixTest {

    enum T { BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, STRING, BYTES }

    /** Table 3-7 (table 3-2 is the same without CHAR and BYTES). */
    static Set<T> allowed(T from) {
        return switch (from) {
            case BOOLEAN -> EnumSet.of(T.BOOLEAN, T.STRING);
            case BYTE -> EnumSet.of(T.BYTE, T.SHORT, T.INT, T.LONG, T.STRING);
            case SHORT -> EnumSet.of(T.SHORT, T.INT, T.LONG, T.STRING);
            case CHAR -> EnumSet.of(T.CHAR, T.STRING);
            case INT -> EnumSet.of(T.INT, T.LONG, T.STRING);
            case LONG -> EnumSet.of(T.LONG, T.STRING);
            case FLOAT -> EnumSet.of(T.FLOAT, T.DOUBLE, T.STRING);
            case DOUBLE -> EnumSet.of(T.DOUBLE, T.STRING);
            case STRING -> EnumSet.of(T.BOOLEAN, T.BYTE, T.SHORT, T.INT, T.LONG, T.FLOAT, T.DOUBLE, T.STRING);
            case BYTES -> EnumSet.of(T.BYTES);
        };
    }

    static Object sample(T t) {
        return switch (t) {
            case BOOLEAN -> true;
            case BYTE -> (byte) 7;
            case SHORT -> (short) 300;
            case CHAR -> 'x';
            case INT -> 70000;
            case LONG -> 5_000_000_000L;
            case FLOAT -> 1.5f;
            case DOUBLE -> 2.25;
            case STRING -> "42";
            case BYTES -> new byte[] {1, 2, 3};
        };
    }

    /** What reading {@code sample(from)} as {@code to} gives, for an allowed pair. */
    static Object expected(T from, T to) {
        Object v = sample(from);
        if (to == T.STRING) {
            return String.valueOf(v);
        }
        if (from == T.STRING) {
            return switch (to) {
                case BOOLEAN -> false; // Boolean.valueOf("42")
                case BYTE -> (byte) 42;
                case SHORT -> (short) 42;
                case INT -> 42;
                case LONG -> 42L;
                case FLOAT -> 42f;
                case DOUBLE -> 42d;
                default -> throw new AssertionError();
            };
        }
        if (v instanceof Number n) {
            return switch (to) {
                case BYTE -> n.byteValue();
                case SHORT -> n.shortValue();
                case INT -> n.intValue();
                case LONG -> n.longValue();
                case FLOAT -> n.floatValue();
                case DOUBLE -> n.doubleValue();
                default -> throw new AssertionError();
            };
        }
        return v;
    }

    /** Sets a value of a type and reads it back as a type, through one of the three APIs. */
    interface Access {
        void set(T type, Object value) throws JMSException;

        Object get(T type) throws JMSException;
    }

    static final Set<T> PROPERTY_TYPES = EnumSet.of(T.BOOLEAN, T.BYTE, T.SHORT, T.INT, T.LONG, T.FLOAT, T.DOUBLE, T.STRING);

    static Access properties() {
        HeraldMessage m = new HeraldMessage();
        return new Access() {
            @Override
            public void set(T type, Object v) throws JMSException {
                m.clearProperties();
                switch (type) {
                    case BOOLEAN -> m.setBooleanProperty("p", (Boolean) v);
                    case BYTE -> m.setByteProperty("p", (Byte) v);
                    case SHORT -> m.setShortProperty("p", (Short) v);
                    case INT -> m.setIntProperty("p", (Integer) v);
                    case LONG -> m.setLongProperty("p", (Long) v);
                    case FLOAT -> m.setFloatProperty("p", (Float) v);
                    case DOUBLE -> m.setDoubleProperty("p", (Double) v);
                    case STRING -> m.setStringProperty("p", (String) v);
                    default -> throw new AssertionError(type);
                }
            }

            @Override
            public Object get(T type) throws JMSException {
                return switch (type) {
                    case BOOLEAN -> m.getBooleanProperty("p");
                    case BYTE -> m.getByteProperty("p");
                    case SHORT -> m.getShortProperty("p");
                    case INT -> m.getIntProperty("p");
                    case LONG -> m.getLongProperty("p");
                    case FLOAT -> m.getFloatProperty("p");
                    case DOUBLE -> m.getDoubleProperty("p");
                    case STRING -> m.getStringProperty("p");
                    default -> throw new AssertionError(type);
                };
            }
        };
    }

    static Access map() {
        HeraldMapMessage m = new HeraldMapMessage();
        return new Access() {
            @Override
            public void set(T type, Object v) throws JMSException {
                switch (type) {
                    case BOOLEAN -> m.setBoolean("k", (Boolean) v);
                    case BYTE -> m.setByte("k", (Byte) v);
                    case SHORT -> m.setShort("k", (Short) v);
                    case CHAR -> m.setChar("k", (Character) v);
                    case INT -> m.setInt("k", (Integer) v);
                    case LONG -> m.setLong("k", (Long) v);
                    case FLOAT -> m.setFloat("k", (Float) v);
                    case DOUBLE -> m.setDouble("k", (Double) v);
                    case STRING -> m.setString("k", (String) v);
                    case BYTES -> m.setBytes("k", (byte[]) v);
                }
            }

            @Override
            public Object get(T type) throws JMSException {
                return switch (type) {
                    case BOOLEAN -> m.getBoolean("k");
                    case BYTE -> m.getByte("k");
                    case SHORT -> m.getShort("k");
                    case CHAR -> m.getChar("k");
                    case INT -> m.getInt("k");
                    case LONG -> m.getLong("k");
                    case FLOAT -> m.getFloat("k");
                    case DOUBLE -> m.getDouble("k");
                    case STRING -> m.getString("k");
                    case BYTES -> m.getBytes("k");
                };
            }
        };
    }

    /** Like {@link #map()} but the value is set with setObject. */
    static Access mapByObject() {
        return new Access() {
            final HeraldMapMessage m = new HeraldMapMessage();

            @Override
            public void set(T type, Object v) throws JMSException {
                m.setObject("k", v);
            }

            @Override
            public Object get(T type) throws JMSException {
                return switch (type) {
                    case BOOLEAN -> m.getBoolean("k");
                    case BYTE -> m.getByte("k");
                    case SHORT -> m.getShort("k");
                    case CHAR -> m.getChar("k");
                    case INT -> m.getInt("k");
                    case LONG -> m.getLong("k");
                    case FLOAT -> m.getFloat("k");
                    case DOUBLE -> m.getDouble("k");
                    case STRING -> m.getString("k");
                    case BYTES -> m.getBytes("k");
                };
            }
        };
    }

    static Access stream() {
        HeraldStreamMessage m = new HeraldStreamMessage();
        return new Access() {
            @Override
            public void set(T type, Object v) throws JMSException {
                switch (type) {
                    case BOOLEAN -> m.writeBoolean((Boolean) v);
                    case BYTE -> m.writeByte((Byte) v);
                    case SHORT -> m.writeShort((Short) v);
                    case CHAR -> m.writeChar((Character) v);
                    case INT -> m.writeInt((Integer) v);
                    case LONG -> m.writeLong((Long) v);
                    case FLOAT -> m.writeFloat((Float) v);
                    case DOUBLE -> m.writeDouble((Double) v);
                    case STRING -> m.writeString((String) v);
                    case BYTES -> m.writeBytes((byte[]) v);
                }
                m.reset();
            }

            @Override
            public Object get(T type) throws JMSException {
                return switch (type) {
                    case BOOLEAN -> m.readBoolean();
                    case BYTE -> m.readByte();
                    case SHORT -> m.readShort();
                    case CHAR -> m.readChar();
                    case INT -> m.readInt();
                    case LONG -> m.readLong();
                    case FLOAT -> m.readFloat();
                    case DOUBLE -> m.readDouble();
                    case STRING -> m.readString();
                    case BYTES -> {
                        byte[] buf = new byte[100];
                        int n = m.readBytes(buf);
                        yield java.util.Arrays.copyOf(buf, n);
                    }
                };
            }
        };
    }

    /** Stream values read after an encode/decode through the wire (received message). */
    static Access receivedStream() {
        return new Access() {
            HeraldStreamMessage received;

            @Override
            public void set(T type, Object v) throws JMSException {
                HeraldStreamMessage m = new HeraldStreamMessage();
                m.writeObject(v);
                received = (HeraldStreamMessage) HeraldMessageTest.received(m, 1);
            }

            @Override
            public Object get(T type) throws JMSException {
                return switch (type) {
                    case BOOLEAN -> received.readBoolean();
                    case BYTE -> received.readByte();
                    case SHORT -> received.readShort();
                    case CHAR -> received.readChar();
                    case INT -> received.readInt();
                    case LONG -> received.readLong();
                    case FLOAT -> received.readFloat();
                    case DOUBLE -> received.readDouble();
                    case STRING -> received.readString();
                    case BYTES -> {
                        byte[] buf = new byte[100];
                        int n = received.readBytes(buf);
                        yield java.util.Arrays.copyOf(buf, n);
                    }
                };
            }
        };
    }

    static final Set<T> ALL_TYPES = EnumSet.allOf(T.class);

    static int checkMatrix(Set<T> types, java.util.function.Supplier<Access> accessFactory) throws JMSException {
        int cells = 0;
        for (T from : types) {
            for (T to : types) {
                Access a = accessFactory.get();
                a.set(from, sample(from));
                String cell = from + " -> " + to;
                if (allowed(from).contains(to)) {
                    Object got = a.get(to);
                    Object want = expected(from, to);
                    if (want instanceof byte[] b) {
                        assertArrayEquals(b, (byte[]) got, cell);
                    } else {
                        assertEquals(want, got, cell);
                    }
                } else {
                    assertThrows(MessageFormatException.class, () -> a.get(to), cell);
                }
                cells++;
            }
        }
        return cells;
    }

    @Test
    void propertyTableEveryPair() throws JMSException {
        assertEquals(64, checkMatrix(PROPERTY_TYPES, ConversionMatrixTest::properties));
    }

    @Test
    void mapTableEveryPair() throws JMSException {
        assertEquals(100, checkMatrix(ALL_TYPES, ConversionMatrixTest::map));
        assertEquals(100, checkMatrix(ALL_TYPES, ConversionMatrixTest::mapByObject));
    }

    @Test
    void streamTableEveryPair() throws JMSException {
        assertEquals(100, checkMatrix(ALL_TYPES, ConversionMatrixTest::stream));
        assertEquals(100, checkMatrix(ALL_TYPES, ConversionMatrixTest::receivedStream));
    }

    @Test
    void propertyStringToNumberUsesValueOf() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setStringProperty("s", "not a number");
        assertThrows(NumberFormatException.class, () -> m.getByteProperty("s"));
        assertThrows(NumberFormatException.class, () -> m.getShortProperty("s"));
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("s"));
        assertThrows(NumberFormatException.class, () -> m.getLongProperty("s"));
        assertThrows(NumberFormatException.class, () -> m.getFloatProperty("s"));
        assertThrows(NumberFormatException.class, () -> m.getDoubleProperty("s"));
        assertEquals(false, m.getBooleanProperty("s"));
        m.setStringProperty("t", "TRUE");
        assertEquals(true, m.getBooleanProperty("t"));
        m.setStringProperty("big", "300");
        assertThrows(NumberFormatException.class, () -> m.getByteProperty("big"));
        assertEquals(300, m.getIntProperty("big"));
    }

    @Test
    void missingPropertyReadsLikeValueOfNull() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setStringProperty("nullValued", null);
        for (String name : new String[] {"missing", "nullValued"}) {
            assertEquals(false, m.getBooleanProperty(name));
            assertThrows(NumberFormatException.class, () -> m.getByteProperty(name));
            assertThrows(NumberFormatException.class, () -> m.getShortProperty(name));
            assertThrows(NumberFormatException.class, () -> m.getIntProperty(name));
            assertThrows(NumberFormatException.class, () -> m.getLongProperty(name));
            // Float.valueOf(null) and Double.valueOf(null) throw NullPointerException
            assertThrows(NullPointerException.class, () -> m.getFloatProperty(name));
            assertThrows(NullPointerException.class, () -> m.getDoubleProperty(name));
            assertEquals(null, m.getStringProperty(name));
            assertEquals(null, m.getObjectProperty(name));
        }
    }
}
