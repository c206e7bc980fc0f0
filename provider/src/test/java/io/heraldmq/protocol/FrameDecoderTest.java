package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {
    private static final int MAX = 4096;

    private final List<Frame> frames = new ArrayList<>();
    private final FrameDecoder decoder = new FrameDecoder(MAX, frames::add);

    /** One frame of every type, back to back. */
    private static Buffer allTypes() {
        Buffer batch = FrameCodecTest.sampleBatch();
        List<Buffer> records = new ArrayList<>();
        RecordBatch.forEachRecord(batch, (o, r) -> records.add(r));
        Buffer all = Buffer.buffer();
        all.appendBuffer(new Connect((short) 1, "c", "u", "p").encode(1));
        all.appendBuffer(new Connected((short) 1, "b", "conn", 1000).encode(1));
        all.appendBuffer(new Produce(Produce.FLAG_ACK, DestinationKind.QUEUE, "q", -1, -1, batch).encode(2));
        all.appendBuffer(new ProduceAck(0, 5).encode(2));
        all.appendBuffer(new Subscribe(1, DestinationKind.QUEUE, "q", null, (byte) 0, null, 10).encode(3));
        all.appendBuffer(new Credit(1, 10).encode());
        all.appendBuffer(new Deliver.Builder(1, 64).add(0, 5, 1, records.get(0)).build());
        all.appendBuffer(new Ack(1, Ack.CONSUMED, new int[]{0}, new long[]{5}).encode(4));
        all.appendBuffer(new Close(Close.CONSUMER, 1).encode(5));
        all.appendBuffer(new ErrorFrame(ErrorCode.NOT_LEADER, "moved").encode(6));
        all.appendBuffer(Ok.encode(7));
        all.appendBuffer(new SetClientId("client").encode(8));
        all.appendBuffer(new CreateTemp(DestinationKind.TEMPORARY_QUEUE, "temp-1").encode(9));
        all.appendBuffer(new DeleteTemp(DestinationKind.TEMPORARY_TOPIC, "temp-2").encode(10));
        all.appendBuffer(new Unsubscribe("sub").encode(11));
        all.appendBuffer(new Admin(AdminOperation.LIST_TOPICS, java.util.Map.of()).encode(12));
        all.appendBuffer(AdminResult.empty().encode(12));
        Commit commit = new Commit(1, 2, List.of(new Commit.Send(DestinationKind.QUEUE, "q", -1, batch)),
                List.of(new Commit.Consumed(1, 0, 5)));
        all.appendBuffer(commit.encode(13));
        WireXid xid = new WireXid(1, new byte[]{1}, new byte[]{2});
        all.appendBuffer(new XaPrepare(xid, commit).encode(14));
        all.appendBuffer(XaCommit.twoPhase(xid).encode(15));
        all.appendBuffer(new XaRollback(xid).encode(16));
        all.appendBuffer(XaRecover.encode(17));
        all.appendBuffer(new XaForget(xid).encode(18));
        all.appendBuffer(new XaXids(List.of(xid)).encode(17));
        all.appendBuffer(Heartbeat.ping());
        all.appendBuffer(Heartbeat.pong());
        all.appendBuffer(new TxOutcome(1, 2).encode(19));
        all.appendBuffer(new OpenProducer(1).encode(20));
        all.appendBuffer(new ProducerOpened(1, 1, 0).encode(20));
        all.appendBuffer(new CloseProducer(1).encode(0));
        all.appendBuffer(new ConsumerMoved(3, 1).encode());
        all.appendBuffer(new TxPrepare(commit).encode(-2));
        all.appendBuffer(Frame.finish(Frame.start(FrameType.TX_PREPARED, -2, 1).appendByte((byte) 0)));
        all.appendBuffer(new TxFinish(1, 2, true).encode(-3));
        all.appendBuffer(new OpenSession(4).encode(0));
        all.appendBuffer(new CloseSession(4).encode(0));
        return all;
    }

    private static void checkAllTypes(List<Frame> frames) {
        assertEquals(FrameType.values().length, frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(FrameType.values()[i], frames.get(i).type());
        }
        assertEquals(new Connect((short) 1, "c", "u", "p"), Connect.decode(frames.get(0).body()));
        assertEquals(new TxOutcome(1, 2), TxOutcome.decode(frames.get(FrameType.TX_OUTCOME.ordinal()).body()));
        assertEquals(new CloseProducer(1), CloseProducer.decode(frames.get(FrameType.CLOSE_PRODUCER.ordinal()).body()));
        assertEquals(new ConsumerMoved(3, 1), ConsumerMoved.decode(frames.get(FrameType.CONSUMER_MOVED.ordinal()).body()));
        assertEquals(new Connected((short) 1, "b", "conn", 1000), Connected.decode(frames.get(1).body()));
        assertEquals(1, TxPrepare.decode(frames.get(FrameType.TX_PREPARE.ordinal()).body()).part().sends().size());
        assertEquals(new TxFinish(1, 2, true), TxFinish.decode(frames.get(FrameType.TX_FINISH.ordinal()).body()));
        assertEquals(new OpenSession(4), OpenSession.decode(frames.get(FrameType.OPEN_SESSION.ordinal()).body()));
        assertEquals(new CloseSession(4), CloseSession.decode(frames.get(FrameType.CLOSE_SESSION.ordinal()).body()));
        Produce p = Produce.decode(frames.get(2).body());
        RecordBatch.validate(p.batch(), MAX);
        assertEquals(2, RecordBatch.recordCount(p.batch()));
        assertEquals(new ProduceAck(0, 5), ProduceAck.decode(frames.get(3).body()));
        assertEquals(3, frames.get(4).correlationId());
        assertEquals(new Credit(1, 10), Credit.decode(frames.get(5).body()));
        List<Long> offsets = new ArrayList<>();
        Deliver.read(frames.get(6).body(), (c, part, o, d, r) -> offsets.add(o));
        assertEquals(List.of(5L), offsets);
        assertEquals(1, Ack.decode(frames.get(7).body()).count());
        assertEquals(new Close(Close.CONSUMER, 1), Close.decode(frames.get(8).body()));
        assertEquals(new ErrorFrame(ErrorCode.NOT_LEADER, "moved"), ErrorFrame.decode(frames.get(9).body()));
        assertEquals(7, frames.get(10).correlationId());
        assertEquals(new SetClientId("client"), SetClientId.decode(frames.get(11).body()));
        assertEquals(new CreateTemp(DestinationKind.TEMPORARY_QUEUE, "temp-1"), CreateTemp.decode(frames.get(12).body()));
        assertEquals(new DeleteTemp(DestinationKind.TEMPORARY_TOPIC, "temp-2"), DeleteTemp.decode(frames.get(13).body()));
        assertEquals(new Unsubscribe("sub"), Unsubscribe.decode(frames.get(14).body()));
    }

    @Test
    void severalFramesInOneChunk() {
        decoder.feed(allTypes());
        checkAllTypes(frames);
    }

    @Test
    void oneByteAtATime() {
        Buffer all = allTypes();
        for (int i = 0; i < all.length(); i++) {
            decoder.feed(all.slice(i, i + 1));
        }
        checkAllTypes(frames);
    }

    @Test
    void splitAtEveryByteBoundary() {
        Buffer all = allTypes();
        for (int split = 0; split <= all.length(); split++) {
            List<Frame> got = new ArrayList<>();
            FrameDecoder d = new FrameDecoder(MAX, got::add);
            d.feed(all.getBuffer(0, split));
            d.feed(all.getBuffer(split, all.length()));
            checkAllTypes(got);
        }
    }

    @Test
    void splitAtEveryPairOfBoundariesWithinOneFrame() {
        Buffer frame = new Subscribe(1, DestinationKind.TOPIC, "t", "s", (byte) 3, "x = 1", 5).encode(9);
        for (int a = 0; a <= frame.length(); a++) {
            for (int b = a; b <= frame.length(); b++) {
                List<Frame> got = new ArrayList<>();
                FrameDecoder d = new FrameDecoder(MAX, got::add);
                d.feed(frame.getBuffer(0, a));
                d.feed(frame.getBuffer(a, b));
                d.feed(frame.getBuffer(b, frame.length()));
                assertEquals(1, got.size(), a + "/" + b);
                assertEquals(9, got.get(0).correlationId());
                assertEquals("x = 1", Subscribe.decode(got.get(0).body()).selector());
            }
        }
    }

    @Test
    void framesSurviveLaterFeeds() {
        // Bodies are slices of the decoder's buffers: a frame handed out must not change when more input arrives.
        Buffer one = new ErrorFrame(ErrorCode.INTERNAL, "first").encode(1);
        Buffer two = new ErrorFrame(ErrorCode.INTERNAL, "second").encode(2);
        Buffer both = Buffer.buffer().appendBuffer(one).appendBuffer(two);
        decoder.feed(both.getBuffer(0, one.length() + 3));
        decoder.feed(both.getBuffer(one.length() + 3, both.length()));
        assertEquals("first", ErrorFrame.decode(frames.get(0).body()).message());
        assertEquals("second", ErrorFrame.decode(frames.get(1).body()).message());
    }

    @Test
    void largeFrameInSmallChunksIsAssembledInLinearTime() {
        // 16 MiB in 4 KiB chunks. Copying the buffered part again for every chunk took about 14 s; growing the
        // reassembly buffer in place takes well under a second.
        int size = 16 << 20;
        Buffer frame = Frame.start(FrameType.OK, 5, size);
        byte[] body = new byte[size];
        new java.util.Random(1).nextBytes(body);
        frame.appendBytes(body);
        Frame.finish(frame);
        List<Frame> got = new ArrayList<>();
        FrameDecoder d = new FrameDecoder(Integer.MAX_VALUE, got::add);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            for (int i = 0; i < frame.length(); i += 4096) {
                d.feed(frame.getBuffer(i, Math.min(frame.length(), i + 4096)));
            }
        });
        assertEquals(1, got.size());
        assertArrayEquals(body, got.get(0).body().getBytes());
    }

    @Test
    void frameAfterAnAssembledOneIsIntact() {
        Buffer big = Frame.start(FrameType.ERROR, 1, 3000);
        big.appendShort((short) 1);
        Wire.writeString(big, "x".repeat(3000));
        Frame.finish(big);
        Buffer small = new ErrorFrame(ErrorCode.INTERNAL, "small").encode(2);
        Buffer all = Buffer.buffer().appendBuffer(big).appendBuffer(small).appendBuffer(big);
        for (int chunk : new int[]{1, 7, 100, 1000, 2999}) {
            List<Frame> got = new ArrayList<>();
            FrameDecoder d = new FrameDecoder(MAX, got::add);
            for (int i = 0; i < all.length(); i += chunk) {
                d.feed(all.getBuffer(i, Math.min(all.length(), i + chunk)));
            }
            assertEquals(3, got.size());
            assertEquals("x".repeat(3000), ErrorFrame.decode(got.get(0).body()).message());
            assertEquals("small", ErrorFrame.decode(got.get(1).body()).message());
            assertEquals("x".repeat(3000), ErrorFrame.decode(got.get(2).body()).message());
        }
    }

    @Test
    void emptyChunksAreHarmless() {
        Buffer ok = Ok.encode(3);
        decoder.feed(Buffer.buffer());
        decoder.feed(ok.getBuffer(0, 2));
        decoder.feed(Buffer.buffer());
        decoder.feed(ok.getBuffer(2, ok.length()));
        decoder.feed(Buffer.buffer());
        assertEquals(1, frames.size());
    }

    @Test
    void frameOfExactlyTheLimitIsAccepted() {
        Buffer b = Frame.start(FrameType.ERROR, 1, MAX);
        b.appendShort((short) 1);
        b.appendShort((short) (MAX - 5 - 4)).appendBytes(new byte[MAX - 5 - 4]);
        Frame.finish(b);
        assertEquals(MAX, b.getInt(0));
        decoder.feed(b);
        assertEquals(1, frames.size());
    }

    // ---- malformed headers ----

    @Test
    void shortLengthField() {
        for (int length : new int[]{0, 1, 4}) {
            FrameDecoder d = new FrameDecoder(MAX, frames::add);
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> d.feed(Buffer.buffer().appendInt(length).appendByte((byte) 11).appendInt(0)));
            assertTrue(e.getMessage().contains(String.valueOf(length)), e.getMessage());
            assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
        }
        assertTrue(frames.isEmpty());
    }

    @Test
    void negativeLength() {
        for (int length : new int[]{-1, Integer.MIN_VALUE}) {
            FrameDecoder d = new FrameDecoder(MAX, frames::add);
            assertThrows(ProtocolException.class, () -> d.feed(Buffer.buffer().appendInt(length)));
        }
    }

    @Test
    void badLengthIsSeenAsSoonAsTheLengthFieldIsComplete() {
        decoder.feed(Buffer.buffer().appendByte((byte) 0xFF).appendByte((byte) 0xFF).appendByte((byte) 0xFF));
        assertThrows(ProtocolException.class, () -> decoder.feed(Buffer.buffer().appendByte((byte) 0xFF)));
    }

    @Test
    void oversizeFrameNamesTheLimit() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decoder.feed(Buffer.buffer().appendInt(MAX + 1)));
        assertTrue(e.getMessage().contains(String.valueOf(MAX)), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(MAX + 1)), e.getMessage());
        ProtocolException huge = assertThrows(ProtocolException.class,
                () -> new FrameDecoder(MAX, f -> { }).feed(Buffer.buffer().appendInt(Integer.MAX_VALUE)));
        assertTrue(huge.getMessage().contains("limit of " + MAX), huge.getMessage());
    }

    @Test
    void onlyACommitMayExceedTheFrameLimitUpToTheCommitLimit() {
        FrameDecoder d = new FrameDecoder(MAX, 4 * MAX, frames::add);
        Buffer big = new Commit(1, 0, java.util.List.of(), java.util.List.of()).encode(1);
        big.appendBytes(new byte[2 * MAX]); // too long for a COMMIT body, but framing only looks at the length
        Frame.finish(big);
        d.feed(big);
        assertEquals(1, frames.size());
        assertEquals(FrameType.COMMIT, frames.get(0).type());

        Buffer ok = Frame.start(FrameType.OK, 1, 2 * MAX).appendBytes(new byte[2 * MAX]);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new FrameDecoder(MAX, 4 * MAX, frames::add).feed(Frame.finish(ok)));
        assertTrue(e.getMessage().contains("limit of " + MAX), e.getMessage());
        assertThrows(ProtocolException.class,
                () -> new FrameDecoder(MAX, 4 * MAX, frames::add).feed(Buffer.buffer().appendInt(4 * MAX + 1)));
    }

    @Test
    void unknownType() {
        for (byte code : new byte[]{0, 37, -1, 127}) {
            FrameDecoder d = new FrameDecoder(MAX, frames::add);
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> d.feed(Buffer.buffer().appendInt(5).appendByte(code).appendInt(0)));
            assertTrue(e.getMessage().contains("unknown frame type " + code), e.getMessage());
        }
        assertTrue(frames.isEmpty());
    }

    @Test
    void unknownTypeIsSeenBeforeTheBodyArrives() {
        decoder.feed(Buffer.buffer().appendInt(1000));
        assertThrows(ProtocolException.class, () -> decoder.feed(Buffer.buffer().appendByte((byte) 99)));
    }

    @Test
    void framesBeforeABadHeaderAreDelivered() {
        Buffer chunk = Buffer.buffer().appendBuffer(Ok.encode(1)).appendBuffer(Ok.encode(2)).appendInt(2);
        assertThrows(ProtocolException.class, () -> decoder.feed(chunk));
        assertEquals(2, frames.size());
    }

    @Test
    void afterAProtocolExceptionFurtherInputIsIgnored() {
        assertThrows(ProtocolException.class, () -> decoder.feed(Buffer.buffer().appendInt(3)));
        decoder.feed(Ok.encode(1));
        decoder.feed(allTypes());
        assertTrue(frames.isEmpty());

        // Also when the failure comes in the middle of a chunk after good frames, and the bad frame's rest follows.
        List<Frame> got = new ArrayList<>();
        FrameDecoder d = new FrameDecoder(MAX, got::add);
        Buffer chunk = Buffer.buffer().appendBuffer(Ok.encode(1)).appendInt(5).appendByte((byte) 42);
        assertThrows(ProtocolException.class, () -> d.feed(chunk));
        d.feed(Buffer.buffer().appendInt(0).appendBuffer(Ok.encode(2)));
        assertEquals(1, got.size());
    }

    @Test
    void protocolExceptionFromTheSinkAlsoStopsTheDecoder() {
        List<Frame> got = new ArrayList<>();
        FrameDecoder d = new FrameDecoder(MAX, f -> {
            got.add(f);
            Credit.decode(f.body());
        });
        Buffer badCredit = Frame.finish(Frame.start(FrameType.CREDIT, 0, 8).appendInt(1).appendInt(-1));
        assertThrows(ProtocolException.class, () -> d.feed(badCredit));
        d.feed(new Credit(1, 1).encode());
        assertEquals(1, got.size());
    }
}
