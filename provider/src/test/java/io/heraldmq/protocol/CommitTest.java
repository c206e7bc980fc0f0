package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** COMMIT round trip and the codec's checks on truncated or malformed bodies. */
class CommitTest {

    private static Buffer batch(long producerId, int sequence) {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 64)
                .transaction(producerId, sequence);
        WireMessage m = new WireMessage();
        m.bodyType = WireMessage.BODY_TEXT;
        m.body = Buffer.buffer("tx");
        b.add(1000, "k", m.encode());
        return b.build();
    }

    private static Commit sample() {
        return new Commit(0x1234_5678_9abcL, 7,
                List.of(new Commit.Send(DestinationKind.QUEUE, "orders", -1, batch(0x1234_5678_9abcL, 7)),
                        new Commit.Send(DestinationKind.TOPIC, "prices.eu", 2, batch(0x1234_5678_9abcL, 7))),
                List.of(new Commit.Consumed(3, 0, 42), new Commit.Consumed(4, 1, Long.MAX_VALUE - 1)));
    }

    @Test
    void roundTrip() {
        Commit c = sample();
        Frame f = FrameCodecTest.decodeOne(c.encode(9));
        assertEquals(FrameType.COMMIT, f.type());
        assertEquals(9, f.correlationId());
        Commit d = Commit.decode(f.body());
        assertEquals(c.producerId(), d.producerId());
        assertEquals(c.sequence(), d.sequence());
        assertEquals(c.consumed(), d.consumed());
        assertEquals(2, d.sends().size());
        for (int i = 0; i < 2; i++) {
            Commit.Send sent = c.sends().get(i);
            Commit.Send got = d.sends().get(i);
            assertEquals(sent.kind(), got.kind());
            assertEquals(sent.destination(), got.destination());
            assertEquals(sent.partition(), got.partition());
            assertEquals(sent.batch(), got.batch());
            RecordBatch.validate(got.batch(), 1 << 20);
            assertEquals(0x1234_5678_9abcL, RecordBatch.producerId(got.batch()));
            assertEquals(7, RecordBatch.baseSequence(got.batch()));
            assertTrue(RecordBatch.belongsTo(got.batch(), 0, 0x1234_5678_9abcL, 7));
        }
    }

    @Test
    void consumedMovesRoundTripAndAreLeftOutWhenNone() {
        Commit none = sample();
        Commit moved = new Commit(1, 2, List.of(),
                List.of(new Commit.Consumed(3, 0, 42, 2), new Commit.Consumed(4, 1, 7, 0)));
        assertEquals(moved.consumed(), Commit.decode(FrameCodecTest.decodeOne(moved.encode(1)).body()).consumed());
        Commit plain = new Commit(1, 2, List.of(), List.of(new Commit.Consumed(3, 0, 42)));
        assertEquals(4 + 4 * 2, moved.encode(1).length() - plain.encode(1).length() - 16,
                "the moves take one int32 count and one int32 per entry, only when one is not 0");
        assertEquals(none.consumed(), Commit.decode(FrameCodecTest.decodeOne(none.encode(1)).body()).consumed());
    }

    @Test
    void movesOfAnotherCountAreRefused() {
        Buffer body = FrameCodecTest.decodeOne(new Commit(1, 2, List.of(),
                List.of(new Commit.Consumed(3, 0, 42))).encode(1)).body().copy();
        body.appendInt(2).appendInt(1).appendInt(1);
        assertThrows(ProtocolException.class, () -> Commit.decode(body));
    }

    @Test
    void emptyListsRoundTrip() {
        Commit c = new Commit(1, 0, List.of(), List.of());
        Commit d = Commit.decode(FrameCodecTest.decodeOne(c.encode(1)).body());
        assertEquals(List.of(), d.sends());
        assertEquals(List.of(), d.consumed());
    }

    @Test
    void plainBatchesCarryNoTransaction() {
        Buffer plain = FrameCodecTest.sampleBatch();
        assertEquals(-1, RecordBatch.producerId(plain));
        assertEquals(-1, RecordBatch.baseSequence(plain));
    }

    @Test
    void everyTruncationIsAProtocolError() {
        Buffer full = sample().encode(1);
        Buffer body = full.slice(Frame.HEADER_BYTES, full.length());
        for (int n = 0; n < body.length(); n++) {
            Buffer cut = body.slice(0, n);
            assertThrows(ProtocolException.class, () -> Commit.decode(cut), "cut at " + n);
        }
    }

    @Test
    void trailingBytesAreRefused() {
        Buffer full = sample().encode(1);
        Buffer body = full.getBuffer(Frame.HEADER_BYTES, full.length()).appendByte((byte) 0);
        assertThrows(ProtocolException.class, () -> Commit.decode(body));
    }

    @Test
    void badCountsLengthsAndKinds() {
        Buffer hugeSends = Buffer.buffer().appendLong(1).appendInt(1).appendInt(Integer.MAX_VALUE).appendInt(0);
        assertThrows(ProtocolException.class, () -> Commit.decode(hugeSends));
        Buffer negativeSends = Buffer.buffer().appendLong(1).appendInt(1).appendInt(-1).appendInt(0);
        assertThrows(ProtocolException.class, () -> Commit.decode(negativeSends));
        Buffer hugeConsumed = Buffer.buffer().appendLong(1).appendInt(1).appendInt(0).appendInt(1000);
        assertThrows(ProtocolException.class, () -> Commit.decode(hugeConsumed));

        Buffer negativeBatch = Buffer.buffer().appendLong(1).appendInt(1).appendInt(1).appendByte((byte) 0);
        Wire.writeString(negativeBatch, "q");
        negativeBatch.appendInt(-1).appendInt(-5).appendInt(0);
        assertThrows(ProtocolException.class, () -> Commit.decode(negativeBatch));

        Buffer badKind = Buffer.buffer().appendLong(1).appendInt(1).appendInt(1).appendByte((byte) 9);
        Wire.writeString(badKind, "q");
        badKind.appendInt(-1).appendInt(0).appendInt(0);
        assertThrows(ProtocolException.class, () -> Commit.decode(badKind));

        Buffer noDestination = Buffer.buffer().appendLong(1).appendInt(1).appendInt(1).appendByte((byte) 0);
        Wire.writeString(noDestination, null);
        noDestination.appendInt(-1).appendInt(0).appendInt(0);
        assertThrows(ProtocolException.class, () -> Commit.decode(noDestination));
    }
}
