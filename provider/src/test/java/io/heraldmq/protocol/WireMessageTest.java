package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireMessageTest {

    private static WireMessage full() {
        WireMessage m = new WireMessage();
        m.bodyType = WireMessage.BODY_BYTES;
        m.persistent = false;
        m.priority = 9;
        m.expiration = 1_700_000_123_456L;
        m.deliveryTime = 1_700_000_000_001L;
        m.timestamp = 1_699_999_999_999L;
        m.messageId = "ID:conn-1:42";
        m.correlationId = new byte[]{0, 1, 2, (byte) 0xFF};
        m.correlationIdIsBytes = true;
        m.type = "order.created";
        m.destinationKind = DestinationKind.TOPIC;
        m.destination = "orders";
        m.replyToKind = DestinationKind.TEMPORARY_QUEUE;
        m.replyTo = "temp-queue-7";
        m.originConnection = "conn-1";
        m.properties.put("JMSXGroupID", "group-1");
        m.properties.put("count", 3);
        m.body = Buffer.buffer(new byte[]{9, 8, 7});
        return m;
    }

    private static void assertSameMessage(WireMessage expected, WireMessage actual) {
        assertEquals(expected.bodyType, actual.bodyType);
        assertEquals(expected.persistent, actual.persistent);
        assertEquals(expected.priority, actual.priority);
        assertEquals(expected.expiration, actual.expiration);
        assertEquals(expected.deliveryTime, actual.deliveryTime);
        assertEquals(expected.timestamp, actual.timestamp);
        assertEquals(expected.messageId, actual.messageId);
        assertArrayEquals(expected.correlationId, actual.correlationId);
        assertEquals(expected.correlationIdIsBytes, actual.correlationIdIsBytes);
        assertEquals(expected.type, actual.type);
        assertEquals(expected.destinationKind, actual.destinationKind);
        assertEquals(expected.destination, actual.destination);
        assertEquals(expected.replyToKind, actual.replyToKind);
        assertEquals(expected.replyTo, actual.replyTo);
        assertEquals(expected.originConnection, actual.originConnection);
        assertEquals(expected.properties.keySet().stream().toList(), actual.properties.keySet().stream().toList());
        for (Map.Entry<String, Object> e : expected.properties.entrySet()) {
            Object got = actual.properties.get(e.getKey());
            if (e.getValue() instanceof byte[] bytes) {
                assertArrayEquals(bytes, (byte[]) got, e.getKey());
            } else {
                assertEquals(e.getValue(), got, e.getKey());
            }
        }
        assertEquals(expected.body, actual.body);
    }

    @Test
    void allHeaderFieldsRoundTrip() {
        WireMessage m = full();
        Buffer encoded = m.encode();
        assertSameMessage(m, WireMessage.decode(encoded));
        // Fixed-offset reads for the broker.
        assertEquals(WireMessage.BODY_BYTES, WireMessage.bodyType(encoded));
        assertFalse(WireMessage.isPersistent(encoded));
        assertEquals(9, WireMessage.priority(encoded));
        assertEquals(m.expiration, WireMessage.expiration(encoded));
        assertEquals(m.deliveryTime, WireMessage.deliveryTime(encoded));
    }

    @Test
    void defaultsRoundTrip() {
        WireMessage m = new WireMessage();
        Buffer encoded = m.encode();
        WireMessage d = WireMessage.decode(encoded);
        assertSameMessage(m, d);
        assertTrue(d.persistent);
        assertEquals(4, d.priority);
        assertNull(d.messageId);
        assertNull(d.correlationId);
        assertNull(d.destinationKind);
        assertNull(d.replyToKind);
        assertNull(d.body);
        assertTrue(d.properties.isEmpty());
        assertTrue(WireMessage.isPersistent(encoded));
    }

    @Test
    void nullBodyAndEmptyBodyDiffer() {
        WireMessage m = new WireMessage();
        m.bodyType = WireMessage.BODY_TEXT;
        assertNull(WireMessage.decode(m.encode()).body);
        m.body = Buffer.buffer();
        assertEquals(0, WireMessage.decode(m.encode()).body.length());
    }

    @Test
    void correlationIdAsString() {
        WireMessage m = new WireMessage();
        m.correlationId = "corr-1".getBytes(StandardCharsets.UTF_8);
        WireMessage d = WireMessage.decode(m.encode());
        assertFalse(d.correlationIdIsBytes);
        assertEquals("corr-1", new String(d.correlationId, StandardCharsets.UTF_8));
    }

    @Test
    void everyDestinationKind() {
        for (DestinationKind kind : DestinationKind.values()) {
            WireMessage m = new WireMessage();
            m.destinationKind = kind;
            m.destination = "d-" + kind;
            m.replyToKind = kind;
            m.replyTo = "r-" + kind;
            WireMessage d = WireMessage.decode(m.encode());
            assertEquals(kind, d.destinationKind);
            assertEquals("d-" + kind, d.destination);
            assertEquals(kind, d.replyToKind);
            assertEquals("r-" + kind, d.replyTo);
        }
        // A kind without a name is "no destination".
        WireMessage m = new WireMessage();
        m.destinationKind = DestinationKind.QUEUE;
        assertNull(WireMessage.decode(m.encode()).destinationKind);
    }

    @Test
    void everyTypedPropertyValue() {
        WireMessage m = new WireMessage();
        Map<String, Object> p = m.properties;
        p.put("null", null);
        p.put("true", true);
        p.put("false", false);
        p.put("byte", (byte) -128);
        p.put("short", Short.MIN_VALUE);
        p.put("int", Integer.MIN_VALUE);
        p.put("long", Long.MAX_VALUE);
        p.put("float", 3.25f);
        p.put("floatNaN", Float.NaN);
        p.put("floatNegZero", -0.0f);
        p.put("double", Math.PI);
        p.put("doubleInf", Double.NEGATIVE_INFINITY);
        p.put("emptyString", "");
        p.put("string", "héllo wörld ✓ 𝄞");
        p.put("string32767", "a".repeat(Wire.MAX_STRING_BYTES));
        p.put("string32768", "b".repeat(Wire.MAX_STRING_BYTES + 1));
        p.put("longString", "€".repeat(40_000)); // 120,000 bytes of UTF-8
        p.put("bytes", new byte[]{1, 2, 3});
        p.put("emptyBytes", new byte[0]);
        p.put("char", 'Z');
        p.put("charHigh", '\uFFFF');
        p.put("charZero", '\u0000');
        m.body = Buffer.buffer("body");
        WireMessage d = WireMessage.decode(m.encode());
        assertSameMessage(m, d);
        assertTrue(d.properties.containsKey("null"));
        assertTrue(Float.isNaN((Float) d.properties.get("floatNaN")));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) d.properties.get("floatNegZero")));
        assertEquals(Byte.class, d.properties.get("byte").getClass());
        assertEquals(Short.class, d.properties.get("short").getClass());
        assertEquals(Character.class, d.properties.get("char").getClass());
    }

    @Test
    void stringsAroundThe32KiBBoundaryUseTheRightTag() {
        Buffer b = Buffer.buffer();
        WireMessage.writeValue(b, "a".repeat(Wire.MAX_STRING_BYTES));
        assertEquals(WireMessage.T_STRING, b.getByte(0));
        b = Buffer.buffer();
        WireMessage.writeValue(b, "a".repeat(Wire.MAX_STRING_BYTES + 1));
        assertEquals(WireMessage.T_LONG_STRING, b.getByte(0));
        // Counted in bytes, not chars: 11,000 three-byte chars are over the limit.
        b = Buffer.buffer();
        WireMessage.writeValue(b, "€".repeat(11_000));
        assertEquals(WireMessage.T_LONG_STRING, b.getByte(0));
        assertEquals("€".repeat(11_000), WireMessage.readValue(new Wire.Cursor(b)));
    }

    @Test
    void typedValuesBackToBackAsInStreamAndMapBodies() {
        List<Object> values = List.of(true, (byte) 1, (short) 2, 3, 4L, 5f, 6d, "seven", 'c', "x".repeat(70_000));
        Buffer b = Buffer.buffer();
        for (Object v : values) {
            WireMessage.writeValue(b, v);
        }
        WireMessage.writeValue(b, null);
        Wire.Cursor c = new Wire.Cursor(b);
        List<Object> read = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            read.add(WireMessage.readValue(c));
        }
        assertEquals(values, read);
        assertNull(WireMessage.readValue(c));
        c.expectEnd();
    }

    @Test
    void unsupportedValueType() {
        assertThrows(IllegalArgumentException.class, () -> WireMessage.writeValue(Buffer.buffer(), new Object()));
        WireMessage m = new WireMessage();
        m.properties.put("list", List.of());
        assertThrows(IllegalArgumentException.class, m::encode);
    }

    @Test
    void truncatedAtEveryByteIsAProtocolException() {
        WireMessage m = full();
        m.properties.put("long", "z".repeat(40_000));
        m.properties.put("bytes", new byte[]{1, 2});
        m.properties.put("d", 1.5d);
        Buffer encoded = m.encode();
        for (int cut = 0; cut < encoded.length(); cut++) {
            Buffer truncated = encoded.getBuffer(0, cut);
            try {
                WireMessage.decode(truncated);
                throw new AssertionError("cut at " + cut + " decoded");
            } catch (ProtocolException expected) {
                // fine
            } catch (RuntimeException other) {
                throw new AssertionError("cut at " + cut + " threw " + other, other);
            }
            if (cut > 1000 && cut < encoded.length() - 1000) {
                cut += 97; // the middle of the long string is all alike
            }
        }
    }

    @Test
    void trailingBytesAreRefused() {
        Buffer encoded = full().encode().appendByte((byte) 0);
        assertThrows(ProtocolException.class, () -> WireMessage.decode(encoded));
    }

    /** Offset of the destination kind byte in an encoding of {@link WireMessage#WireMessage()} defaults. */
    private static int destinationKindOffset(WireMessage m) {
        return 27 + 2 + 4 + 2; // fixed part, null messageId, null correlationId, null type
    }

    @Test
    void malformedFields() {
        WireMessage m = new WireMessage();
        Buffer good = m.encode();

        Buffer badBodyType = good.copy().setByte(0, (byte) 6);
        assertTrue(assertThrows(ProtocolException.class, () -> WireMessage.decode(badBodyType)).getMessage()
                .contains("body type"));
        Buffer negativeBodyType = good.copy().setByte(0, (byte) -1);
        assertThrows(ProtocolException.class, () -> WireMessage.decode(negativeBodyType));

        int kindAt = destinationKindOffset(m);
        assertEquals(-1, good.getByte(kindAt));
        Buffer badKind = good.copy().setByte(kindAt, (byte) 9);
        ProtocolException e = assertThrows(ProtocolException.class, () -> WireMessage.decode(badKind));
        assertTrue(e.getMessage().contains("destination kind"), e.getMessage());

        int countAt = kindAt + 1 + 1 + 2; // no destination, no replyTo, null originConnection
        assertEquals(0, good.getInt(countAt));
        Buffer negativeCount = good.copy().setInt(countAt, -1);
        assertThrows(ProtocolException.class, () -> WireMessage.decode(negativeCount));
        Buffer hugeCount = good.copy().setInt(countAt, Integer.MAX_VALUE);
        assertThrows(ProtocolException.class, () -> WireMessage.decode(hugeCount));

        int bodyAt = countAt + 4;
        assertEquals(-1, good.getInt(bodyAt));
        Buffer badBodyLength = good.copy().setInt(bodyAt, -2);
        assertThrows(ProtocolException.class, () -> WireMessage.decode(badBodyLength));
        Buffer bodyPastEnd = good.copy().setInt(bodyAt, 1);
        assertThrows(ProtocolException.class, () -> WireMessage.decode(bodyPastEnd));
    }

    @Test
    void malformedTypedValues() {
        assertThrows(ProtocolException.class,
                () -> WireMessage.readValue(new Wire.Cursor(Buffer.buffer().appendByte((byte) 12))));
        assertThrows(ProtocolException.class,
                () -> WireMessage.readValue(new Wire.Cursor(Buffer.buffer().appendByte((byte) -1))));
        // BYTES with a null length
        assertThrows(ProtocolException.class, () -> WireMessage.readValue(
                new Wire.Cursor(Buffer.buffer().appendByte(WireMessage.T_BYTES).appendInt(-1))));
        // LONG_STRING with a negative or too long length
        assertThrows(ProtocolException.class, () -> WireMessage.readValue(
                new Wire.Cursor(Buffer.buffer().appendByte(WireMessage.T_LONG_STRING).appendInt(-5))));
        assertThrows(ProtocolException.class, () -> WireMessage.readValue(
                new Wire.Cursor(Buffer.buffer().appendByte(WireMessage.T_LONG_STRING).appendInt(100).appendByte((byte) 'a'))));
        // BYTES with a length below -1
        assertThrows(ProtocolException.class, () -> WireMessage.readValue(
                new Wire.Cursor(Buffer.buffer().appendByte(WireMessage.T_BYTES).appendInt(-7))));
    }

    @Test
    void messageInsideARecordDecodesFromASlice() {
        WireMessage m = full();
        RecordBatch.Builder b = new RecordBatch.Builder((short) 0, 0);
        b.add(1, "k", m.encode());
        Buffer batch = b.build();
        List<WireMessage> got = new ArrayList<>();
        RecordBatch.forEachRecord(batch, (o, r) -> got.add(WireMessage.decode(RecordBatch.message(r))));
        assertSameMessage(m, got.get(0));
    }

    @Test
    void propertyOrderIsKept() {
        WireMessage m = new WireMessage();
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int i = 20; i > 0; i--) {
            expected.put("p" + i, i);
            m.properties.put("p" + i, i);
        }
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(WireMessage.decode(m.encode()).properties.keySet()));
    }
}
