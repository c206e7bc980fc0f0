package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trip of every frame type through {@link FrameDecoder}, and the codecs' checks on malformed bodies. */
class FrameCodecTest {

    /** Decodes exactly one frame from {@code bytes}. */
    static Frame decodeOne(Buffer bytes) {
        List<Frame> frames = new ArrayList<>();
        new FrameDecoder(1 << 20, frames::add).feed(bytes);
        assertEquals(1, frames.size());
        return frames.get(0);
    }

    static Buffer sampleBatch() {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 64);
        WireMessage m = new WireMessage();
        m.bodyType = WireMessage.BODY_TEXT;
        m.body = Buffer.buffer("hello");
        b.add(1000, "key", m.encode());
        b.add(1001, null, m.encode());
        return b.build();
    }

    @Test
    void lengthFieldCountsTypeCorrelationAndBody() {
        Buffer b = new ProduceAck(3, 42).encode(7);
        assertEquals(b.length() - 4, b.getInt(0));
        assertEquals(FrameType.PRODUCE_ACK.code(), b.getByte(4));
        assertEquals(7, b.getInt(5));
        assertEquals(12, b.length() - Frame.HEADER_BYTES);
    }

    @Test
    void connect() {
        Connect c = new Connect(Connect.PROTOCOL_VERSION, "client-1", "user", "sécret");
        Frame f = decodeOne(c.encode(11));
        assertEquals(FrameType.CONNECT, f.type());
        assertEquals(11, f.correlationId());
        assertEquals(c, Connect.decode(f.body()));
        assertFalse(c.toString().contains("sécret"), "toString must not show the password");

        Connect anonymous = new Connect((short) 1, null, null, null);
        assertEquals(anonymous, Connect.decode(decodeOne(anonymous.encode(1)).body()));

        Connect relay = new Connect(Connect.PROTOCOL_VERSION, "client-1", null, null, "b1-7");
        assertEquals(relay, Connect.decode(decodeOne(relay.encode(2)).body()), "a relay names the relayed connection");

        Connect heartbeats = c.withHeartbeat(10_000);
        assertEquals(heartbeats, Connect.decode(decodeOne(heartbeats.encode(3)).body()));
        assertEquals(c.encode(3).length() + 2 + 4, heartbeats.encode(3).length(), "a null relayFor, then the int");
        assertEquals(c.encode(3), c.withHeartbeat(0).encode(3), "without heartbeats: the CONNECT of old clients");
        assertEquals(heartbeats.withClientId("other").heartbeatMs(), 10_000, "kept when the client id changes");
    }

    @Test
    void heartbeats() {
        Frame ping = decodeOne(Heartbeat.ping());
        assertEquals(FrameType.PING, ping.type());
        assertEquals(0, ping.correlationId());
        assertEquals(0, ping.body().length());
        assertEquals(FrameType.PONG, decodeOne(Heartbeat.pong()).type());
        assertEquals(25, FrameType.PING.code());
        assertEquals(26, FrameType.PONG.code());
    }

    @Test
    void connected() {
        Connected c = new Connected((short) 1, "broker-0", "conn-42", 1 << 20);
        Frame f = decodeOne(c.encode(12));
        assertEquals(FrameType.CONNECTED, f.type());
        assertEquals(12, f.correlationId());
        assertEquals(c, Connected.decode(f.body()));
        // a broker that populates JMSXUserID appends the stamp request, for a user or (null) an anonymous client
        for (String user : new String[]{"alice", null}) {
            Connected stamping = new Connected((short) 1, "broker-0", "conn-42", 1 << 20, true, user);
            assertEquals(stamping, Connected.decode(decodeOne(stamping.encode(12)).body()));
        }
        assertEquals(c.encode(12).length(), new Connected((short) 1, "broker-0", "conn-42", 1 << 20, false, "x")
                .encode(12).length(), "without the stamp request the frame is as before");
        // heartbeats agreed: with and without the stamp request
        for (boolean stamp : new boolean[]{true, false}) {
            Connected hb = new Connected((short) 1, "broker-0", "conn-42", 1 << 20, stamp, stamp ? "alice" : null,
                    500);
            assertEquals(hb, Connected.decode(decodeOne(hb.encode(12)).body()));
        }
    }

    @Test
    void produce() {
        Buffer batch = sampleBatch();
        Produce p = new Produce(Produce.FLAG_ACK, DestinationKind.TOPIC, "prices.eu", 3, 7, batch);
        Frame f = decodeOne(p.encode(13));
        assertEquals(FrameType.PRODUCE, f.type());
        assertEquals(13, f.correlationId());
        Produce d = Produce.decode(f.body());
        assertTrue(d.ackRequested());
        assertEquals(DestinationKind.TOPIC, d.kind());
        assertEquals("prices.eu", d.destination());
        assertEquals(3, d.partition());
        assertEquals(7, d.leaderEpoch());
        assertEquals(batch, d.batch());
        RecordBatch.validate(d.batch(), 1 << 20);

        Produce noAck = new Produce((byte) 0, DestinationKind.QUEUE, "q", -1, -1, batch);
        Produce d2 = Produce.decode(decodeOne(noAck.encode(0)).body());
        assertFalse(d2.ackRequested());
        assertEquals(-1, d2.partition());
        assertEquals(-1, d2.leaderEpoch());
    }

    @Test
    void produceAck() {
        ProduceAck a = new ProduceAck(5, Long.MAX_VALUE - 1);
        Frame f = decodeOne(a.encode(14));
        assertEquals(FrameType.PRODUCE_ACK, f.type());
        assertEquals(a, ProduceAck.decode(f.body()));
    }

    @Test
    void subscribe() {
        byte flags = Subscribe.FLAG_DURABLE | Subscribe.FLAG_SHARED | Subscribe.FLAG_NO_LOCAL;
        Subscribe s = new Subscribe(9, DestinationKind.TOPIC, "news", "sub-1", flags, "color = 'red'", 100);
        Frame f = decodeOne(s.encode(15));
        assertEquals(FrameType.SUBSCRIBE, f.type());
        Subscribe d = Subscribe.decode(f.body());
        assertEquals(s, d);
        assertTrue(d.durable() && d.shared() && d.noLocal());
        assertFalse(d.browse());

        Subscribe browser = new Subscribe(1, DestinationKind.QUEUE, "q", null, Subscribe.FLAG_BROWSE, null, 0);
        Subscribe d2 = Subscribe.decode(decodeOne(browser.encode(16)).body());
        assertEquals(browser, d2);
        assertTrue(d2.browse());
        assertNull(d2.subscriptionName());
        assertNull(d2.selector());
    }

    @Test
    void credit() {
        Credit c = new Credit(4, 500);
        Frame f = decodeOne(c.encode());
        assertEquals(FrameType.CREDIT, f.type());
        assertEquals(0, f.correlationId());
        assertEquals(c, Credit.decode(f.body()));
    }

    @Test
    void deliverBuilderAndRead() {
        Buffer batch = sampleBatch();
        List<Buffer> records = new ArrayList<>();
        RecordBatch.forEachRecord(batch, (offset, record) -> records.add(record));

        Deliver.Builder b = new Deliver.Builder(77, 128);
        b.add(2, 100, 1, records.get(0)).add(3, 101, 4, records.get(1));
        assertEquals(2, b.count());
        Buffer frame = b.build();
        assertEquals(frame.length(), b.bytes());
        Frame f = decodeOne(frame);
        assertEquals(FrameType.DELIVER, f.type());
        assertEquals(0, f.correlationId());

        List<String> seen = new ArrayList<>();
        List<Buffer> got = new ArrayList<>();
        Deliver.read(f.body(), (consumerId, partition, offset, deliveryCount, record) -> {
            seen.add(consumerId + "/" + partition + "/" + offset + "/" + deliveryCount);
            got.add(record);
        });
        assertEquals(List.of("77/2/100/1", "77/3/101/4"), seen);
        assertEquals(records, got);
        assertEquals("key", RecordBatch.recordKey(got.get(0)));
        assertNull(RecordBatch.recordKey(got.get(1)));
        assertEquals("hello", WireMessage.decode(RecordBatch.message(got.get(1))).body.toString());
    }

    @Test
    void deliverEmpty() {
        Buffer frame = new Deliver.Builder(5, 0).build();
        assertEquals(Deliver.PREFIX_BYTES, frame.length());
        List<Integer> seen = new ArrayList<>();
        Deliver.read(decodeOne(frame).body(), (c, p, o, d, r) -> seen.add(c));
        assertTrue(seen.isEmpty());
    }

    @Test
    void deliverEmptyIsTheEndOfABrowse() {
        List<Integer> ended = new ArrayList<>();
        List<Integer> entries = new ArrayList<>();
        Deliver.Visitor v = new Deliver.Visitor() {
            @Override
            public void entry(int consumerId, int partition, long offset, int deliveryCount, Buffer record) {
                entries.add(consumerId);
            }

            @Override
            public void end(int consumerId) {
                ended.add(consumerId);
            }
        };
        Deliver.read(decodeOne(new Deliver.Builder(9, 0).build()).body(), v);
        assertEquals(List.of(9), ended);
        Deliver.read(decodeOne(deliverWithOneRecord()).body(), v);
        assertEquals(List.of(9), ended, "a DELIVER with entries is not an end");
        assertEquals(List.of(1), entries);
    }

    @Test
    void ack() {
        Ack a = new Ack(8, Ack.RELEASED, new int[]{0, 1, 2}, new long[]{10, 20, Long.MAX_VALUE});
        Frame f = decodeOne(a.encode(17));
        assertEquals(FrameType.ACK, f.type());
        assertEquals(17, f.correlationId());
        Ack d = Ack.decode(f.body());
        assertEquals(8, d.consumerId());
        assertEquals(Ack.RELEASED, d.outcome());
        assertEquals(3, d.count());
        assertArrayEquals(a.partitions(), d.partitions());
        assertArrayEquals(a.offsets(), d.offsets());

        for (byte outcome : new byte[]{Ack.CONSUMED, Ack.REJECTED}) {
            Ack e = Ack.decode(decodeOne(new Ack(1, outcome, new int[0], new long[0]).encode(0)).body());
            assertEquals(outcome, e.outcome());
            assertEquals(0, e.count());
        }
        assertThrows(IllegalArgumentException.class, () -> new Ack(1, Ack.CONSUMED, new int[1], new long[2]));
        assertNull(d.reason(), "a body that ends after the entries has no reason");
    }

    @Test
    void ackWithReason() {
        Ack a = new Ack(3, Ack.RELEASED, new int[]{0}, new long[]{7},
                "listener threw java.lang.RuntimeException: b\u00f6om");
        Ack d = Ack.decode(decodeOne(a.encode(0)).body());
        assertEquals(a.reason(), d.reason());
        assertArrayEquals(new long[]{7}, d.offsets());

        Ack seen = Ack.decode(decodeOne(new Ack(3, Ack.RELEASED, new int[]{0}, new long[]{7}, null, 4).encode(0))
                .body());
        assertNull(seen.reason());
        assertEquals(4, seen.seenCount());
        assertEquals(0, d.seenCount(), "absent: as the broker knows");

        Ack longOne = new Ack(3, Ack.REJECTED, new int[0], new long[0], "x".repeat(5000));
        assertEquals(Ack.MAX_REASON_CHARS, Ack.decode(decodeOne(longOne.encode(0)).body()).reason().length());
    }

    @Test
    void ackMoveIsOptionalAndRoundTrips() {
        Ack moved = Ack.decode(decodeOne(new Ack(3, Ack.CONSUMED, new int[]{1}, new long[]{9}, null, 0, 2)
                .encode(5)).body());
        assertEquals(2, moved.move());
        assertNull(moved.reason());
        assertEquals(0, moved.seenCount());
        assertEquals(0, Ack.decode(decodeOne(new Ack(3, Ack.CONSUMED, new int[]{1}, new long[]{9}).encode(0))
                .body()).move(), "absent: the consumer never moved");
        Buffer negative = decodeOne(new Ack(3, Ack.CONSUMED, new int[0], new long[0], null, 0, 1).encode(0)).body()
                .copy();
        negative.setInt(negative.length() - 4, -1);
        assertThrows(ProtocolException.class, () -> Ack.decode(negative));
    }

    @Test
    void consumerMoved() {
        Frame f = decodeOne(new ConsumerMoved(12, 3).encode());
        assertEquals(FrameType.CONSUMER_MOVED, f.type());
        assertEquals(0, f.correlationId());
        assertEquals(new ConsumerMoved(12, 3), ConsumerMoved.decode(f.body()));
        Buffer zero = f.body().copy().setInt(4, 0);
        assertThrows(ProtocolException.class, () -> ConsumerMoved.decode(zero));
    }

    @Test
    void close() {
        for (Close c : new Close[]{new Close(Close.CONNECTION, 0), new Close(Close.CONSUMER, 12)}) {
            Frame f = decodeOne(c.encode(18));
            assertEquals(FrameType.CLOSE, f.type());
            assertEquals(c, Close.decode(f.body()));
        }
    }

    @Test
    void errorFrame() {
        for (ErrorCode code : ErrorCode.values()) {
            ErrorFrame e = new ErrorFrame(code, "went wrong: " + code);
            Frame f = decodeOne(e.encode(19));
            assertEquals(FrameType.ERROR, f.type());
            assertEquals(e, ErrorFrame.decode(f.body()));
        }
        assertEquals("", ErrorFrame.decode(decodeOne(new ErrorFrame(ErrorCode.INTERNAL, null).encode(0)).body())
                .message());
        // Long messages are cut, not refused.
        String longMessage = "é".repeat(20_000);
        ErrorFrame cut = ErrorFrame.decode(decodeOne(new ErrorFrame(ErrorCode.INTERNAL, longMessage).encode(0)).body());
        assertEquals(4000, cut.message().length());
    }

    @Test
    void unknownErrorCodeMapsToInternal() {
        Buffer b = Frame.start(FrameType.ERROR, 1, 8);
        b.appendShort((short) 12345);
        Wire.writeString(b, "from the future");
        ErrorFrame e = ErrorFrame.decode(decodeOne(Frame.finish(b)).body());
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertEquals("from the future", e.message());
    }

    @Test
    void ok() {
        Frame f = decodeOne(Ok.encode(20));
        assertEquals(FrameType.OK, f.type());
        assertEquals(20, f.correlationId());
        assertEquals(0, f.body().length());
        assertNull(Ok.redelivery(f.body()), "an empty answer to SUBSCRIBE: the policy is unknown");
    }

    @Test
    void okAnsweringSubscribeCarriesTheRedeliveryPolicy() {
        Ok.Redelivery r = new Ok.Redelivery(10, 250);
        Frame f = decodeOne(Ok.encodeSubscribed(21, r));
        assertEquals(FrameType.OK, f.type());
        assertEquals(r, Ok.redelivery(f.body()));
        Buffer truncated = f.body().slice(0, 6);
        assertThrows(ProtocolException.class, () -> Ok.redelivery(truncated));
    }

    @Test
    void setClientIdCreateDeleteTempAndUnsubscribeRoundTrip() {
        Frame f = decodeOne(new SetClientId("id-1").encode(12));
        assertEquals(FrameType.SET_CLIENT_ID, f.type());
        assertEquals(new SetClientId("id-1"), SetClientId.decode(f.body()));
        f = decodeOne(new CreateTemp(DestinationKind.TEMPORARY_TOPIC, "temp-a-1").encode(13));
        assertEquals(FrameType.CREATE_TEMP, f.type());
        assertEquals(new CreateTemp(DestinationKind.TEMPORARY_TOPIC, "temp-a-1"), CreateTemp.decode(f.body()));
        f = decodeOne(new DeleteTemp(DestinationKind.TEMPORARY_QUEUE, "temp-a-2").encode(14));
        assertEquals(FrameType.DELETE_TEMP, f.type());
        assertEquals(new DeleteTemp(DestinationKind.TEMPORARY_QUEUE, "temp-a-2"), DeleteTemp.decode(f.body()));
        f = decodeOne(new Unsubscribe("durable-1").encode(15));
        assertEquals(FrameType.UNSUBSCRIBE, f.type());
        assertEquals(15, f.correlationId());
        assertEquals(new Unsubscribe("durable-1"), Unsubscribe.decode(f.body()));
    }

    @Test
    void producerFramesRoundTrip() {
        Frame f = decodeOne(new OpenProducer(7).encode(16));
        assertEquals(FrameType.OPEN_PRODUCER, f.type());
        assertEquals(16, f.correlationId());
        assertEquals(new OpenProducer(7), OpenProducer.decode(f.body()));
        f = decodeOne(new ProducerOpened(7, 2, 5).encode(16));
        assertEquals(FrameType.PRODUCER_OPENED, f.type());
        assertEquals(new ProducerOpened(7, 2, 5), ProducerOpened.decode(f.body()));
        f = decodeOne(new CloseProducer(7).encode(17));
        assertEquals(FrameType.CLOSE_PRODUCER, f.type());
        assertEquals(new CloseProducer(7), CloseProducer.decode(f.body()));
    }

    @Test
    void sessionFramesRoundTrip() {
        Frame f = decodeOne(new OpenSession(3).encode(0));
        assertEquals(FrameType.OPEN_SESSION, f.type());
        assertEquals(new OpenSession(3), OpenSession.decode(f.body()));
        f = decodeOne(new CloseSession(3).encode(0));
        assertEquals(FrameType.CLOSE_SESSION, f.type());
        assertEquals(new CloseSession(3), CloseSession.decode(f.body()));
    }

    @Test
    void temporaryDestinationAndUnsubscribeFramesNeedAName() {
        assertThrows(ProtocolException.class, () -> CreateTemp.decode(decodeOne(
                new CreateTemp(DestinationKind.TEMPORARY_QUEUE, null).encode(1)).body()));
        assertThrows(ProtocolException.class, () -> DeleteTemp.decode(decodeOne(
                new DeleteTemp(DestinationKind.TEMPORARY_QUEUE, "").encode(1)).body()));
        assertThrows(ProtocolException.class, () -> Unsubscribe.decode(decodeOne(new Unsubscribe(null).encode(1)).body()));
    }

    @Test
    void everyFrameTypeHasAStableCode() {
        for (FrameType t : FrameType.values()) {
            assertEquals(t, FrameType.of(t.code()));
        }
        assertNull(FrameType.of((byte) 0));
        assertEquals(FrameType.SET_CLIENT_ID, FrameType.of((byte) 12));
        assertEquals(FrameType.UNSUBSCRIBE, FrameType.of((byte) 15));
        assertEquals(FrameType.ADMIN, FrameType.of((byte) 16));
        assertEquals(FrameType.ADMIN_RESULT, FrameType.of((byte) 17));
        assertEquals(FrameType.COMMIT, FrameType.of((byte) 18));
        assertEquals(FrameType.XA_PREPARE, FrameType.of((byte) 19));
        assertEquals(FrameType.XA_XIDS, FrameType.of((byte) 24));
        assertEquals(FrameType.PING, FrameType.of((byte) 25));
        assertEquals(FrameType.PONG, FrameType.of((byte) 26));
        assertEquals(FrameType.OPEN_PRODUCER, FrameType.of((byte) 27));
        assertEquals(FrameType.PRODUCER_OPENED, FrameType.of((byte) 28));
        assertEquals(FrameType.CLOSE_PRODUCER, FrameType.of((byte) 29));
        assertEquals(FrameType.TX_OUTCOME, FrameType.of((byte) 30));
        assertEquals(FrameType.CONSUMER_MOVED, FrameType.of((byte) 31));
        assertEquals(FrameType.TX_PREPARE, FrameType.of((byte) 32));
        assertEquals(FrameType.TX_PREPARED, FrameType.of((byte) 33));
        assertEquals(FrameType.TX_FINISH, FrameType.of((byte) 34));
        assertEquals(FrameType.OPEN_SESSION, FrameType.of((byte) 35));
        assertEquals(FrameType.CLOSE_SESSION, FrameType.of((byte) 36));
        assertNull(FrameType.of((byte) 37));
        assertNull(FrameType.of((byte) -1));
        assertNull(FrameType.of(Byte.MAX_VALUE));
    }

    // ---- malformed bodies ----

    private static Buffer body(FrameType type, java.util.function.Consumer<Buffer> writer) {
        Buffer b = Frame.start(type, 0, 16);
        writer.accept(b);
        return decodeOne(Frame.finish(b)).body();
    }

    @Test
    void negativeCredit() {
        Buffer b = body(FrameType.CREDIT, x -> x.appendInt(1).appendInt(-5));
        ProtocolException e = assertThrows(ProtocolException.class, () -> Credit.decode(b));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
    }

    @Test
    void unknownAckOutcome() {
        for (byte outcome : new byte[]{4, -1, 100}) {
            Buffer b = body(FrameType.ACK, x -> x.appendInt(1).appendByte(outcome).appendInt(0));
            ProtocolException e = assertThrows(ProtocolException.class, () -> Ack.decode(b));
            assertTrue(e.getMessage().contains("outcome"), e.getMessage());
        }
    }

    @Test
    void badAckCount() {
        Buffer negative = body(FrameType.ACK, x -> x.appendInt(1).appendByte(Ack.CONSUMED).appendInt(-1));
        assertThrows(ProtocolException.class, () -> Ack.decode(negative));
        // A count larger than the entries present: no huge allocation, a ProtocolException.
        Buffer tooMany = body(FrameType.ACK, x -> x.appendInt(1).appendByte(Ack.CONSUMED)
                .appendInt(Integer.MAX_VALUE).appendInt(0).appendLong(1));
        assertThrows(ProtocolException.class, () -> Ack.decode(tooMany));
    }

    @Test
    void unknownDestinationKind() {
        for (byte kind : new byte[]{4, -1, 127}) {
            Buffer produce = body(FrameType.PRODUCE, x -> {
                x.appendByte((byte) 0).appendByte(kind);
                Wire.writeString(x, "d");
                x.appendInt(-1).appendInt(-1);
            });
            ProtocolException e = assertThrows(ProtocolException.class, () -> Produce.decode(produce));
            assertTrue(e.getMessage().contains("destination kind"), e.getMessage());

            Buffer subscribe = body(FrameType.SUBSCRIBE, x -> {
                x.appendInt(1).appendByte(kind);
                Wire.writeString(x, "d");
                Wire.writeString(x, null);
                x.appendByte((byte) 0);
                Wire.writeString(x, null);
                x.appendInt(10);
            });
            assertThrows(ProtocolException.class, () -> Subscribe.decode(subscribe));
        }
    }

    @Test
    void missingDestination() {
        Buffer produce = body(FrameType.PRODUCE, x -> {
            x.appendByte((byte) 0).appendByte(DestinationKind.QUEUE.code());
            Wire.writeString(x, null);
            x.appendInt(-1).appendInt(-1);
        });
        assertThrows(ProtocolException.class, () -> Produce.decode(produce));
        Buffer subscribe = body(FrameType.SUBSCRIBE, x -> {
            x.appendInt(1).appendByte(DestinationKind.QUEUE.code());
            Wire.writeString(x, null);
        });
        assertThrows(ProtocolException.class, () -> Subscribe.decode(subscribe));
    }

    @Test
    void unknownCloseKind() {
        Buffer b = body(FrameType.CLOSE, x -> x.appendByte((byte) 2).appendInt(0));
        assertThrows(ProtocolException.class, () -> Close.decode(b));
    }

    @Test
    void trailingBytesAreRefused() {
        Buffer[] frames = {
                // Optional trailing fields present, so that the extra byte cannot be read as one of them.
                new Connect((short) 1, "c", null, null, "r", 100).encode(1),
                new Connected((short) 1, "b", "c", 100, true, "u", 100).encode(1),
                new ProduceAck(1, 2).encode(1),
                new Subscribe(1, DestinationKind.QUEUE, "q", null, (byte) 0, null, 1).encode(1),
                new Credit(1, 1).encode(),
                // With every optional field present, so that the extra byte cannot be read as one of them.
                new Ack(1, Ack.RELEASED, new int[]{1}, new long[]{1}, "r", 2, 1).encode(1),
                new ConsumerMoved(1, 1).encode(),
                new Close(Close.CONSUMER, 1).encode(1),
                new OpenProducer(1).encode(1),
                new ProducerOpened(1, 1, 0).encode(1),
                new CloseProducer(1).encode(1),
                new OpenSession(1).encode(0),
                new CloseSession(1).encode(0),
                new ErrorFrame(ErrorCode.INTERNAL, "x").encode(1),
                new Deliver.Builder(1, 0).build(),
        };
        for (Buffer frame : frames) {
            frame.appendByte((byte) 0);
            Frame.finish(frame);
            Frame f = decodeOne(frame);
            ProtocolException e = assertThrows(ProtocolException.class, () -> decodeBody(f), f.type().name());
            assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        }
    }

    private static void decodeBody(Frame f) {
        switch (f.type()) {
            case CONNECT -> Connect.decode(f.body());
            case CONNECTED -> Connected.decode(f.body());
            case PRODUCE -> Produce.decode(f.body());
            case PRODUCE_ACK -> ProduceAck.decode(f.body());
            case SUBSCRIBE -> Subscribe.decode(f.body());
            case CREDIT -> Credit.decode(f.body());
            case DELIVER -> Deliver.read(f.body(), (c, p, o, d, r) -> { });
            case ACK -> Ack.decode(f.body());
            case CONSUMER_MOVED -> ConsumerMoved.decode(f.body());
            case CLOSE -> Close.decode(f.body());
            case OPEN_PRODUCER -> OpenProducer.decode(f.body());
            case PRODUCER_OPENED -> ProducerOpened.decode(f.body());
            case CLOSE_PRODUCER -> CloseProducer.decode(f.body());
            case OPEN_SESSION -> OpenSession.decode(f.body());
            case CLOSE_SESSION -> CloseSession.decode(f.body());
            case ERROR -> ErrorFrame.decode(f.body());
            case OK -> { }
        }
    }

    @Test
    void bodyTruncatedAtEveryByteIsAProtocolException() {
        Buffer[] frames = {
                new Connect((short) 1, "client", "user", "pw").encode(1),
                new Connected((short) 1, "broker", "conn", 100).encode(1),
                new Produce((byte) 1, DestinationKind.QUEUE, "queue", 1, 2, Buffer.buffer()).encode(1),
                new ProduceAck(1, 2).encode(1),
                new Subscribe(1, DestinationKind.TOPIC, "t", "s", (byte) 1, "a > 1", 5).encode(1),
                new Credit(1, 1).encode(),
                new Ack(1, Ack.CONSUMED, new int[]{1, 2}, new long[]{1, 2}).encode(1),
                new Close(Close.CONSUMER, 1).encode(1),
                new OpenProducer(1).encode(1),
                new ProducerOpened(1, 1, 0).encode(1),
                new CloseProducer(1).encode(1),
                new OpenSession(1).encode(0),
                new CloseSession(1).encode(0),
                new ErrorFrame(ErrorCode.INTERNAL, "message").encode(1),
                deliverWithOneRecord(),
        };
        for (Buffer full : frames) {
            Frame f = decodeOne(full);
            int bodyLength = f.body().length();
            // Every proper prefix of the body must fail cleanly (PRODUCE's batch is empty here, so its body is
            // all fields).
            for (int cut = 0; cut < bodyLength; cut++) {
                Frame t = new Frame(f.type(), f.correlationId(), f.body().slice(0, cut));
                try {
                    decodeBody(t);
                    throw new AssertionError(f.type() + " cut at " + cut + " of " + bodyLength + " decoded");
                } catch (ProtocolException expected) {
                    // fine
                } catch (RuntimeException other) {
                    throw new AssertionError(f.type() + " cut at " + cut + " of " + bodyLength + " threw " + other,
                            other);
                }
            }
        }
    }

    private static Buffer deliverWithOneRecord() {
        List<Buffer> records = new ArrayList<>();
        RecordBatch.forEachRecord(sampleBatch(), (o, r) -> records.add(r));
        return new Deliver.Builder(1, 64).add(0, 0, 1, records.get(0)).build();
    }

    @Test
    void deliverWithBadRecordLengthOrCount() {
        Buffer negativeCount = body(FrameType.DELIVER, x -> x.appendInt(1).appendInt(-1));
        assertThrows(ProtocolException.class, () -> Deliver.read(negativeCount, (c, p, o, d, r) -> { }));
        Buffer shortRecord = body(FrameType.DELIVER, x -> x.appendInt(1).appendInt(1)
                .appendInt(0).appendLong(0).appendInt(1).appendInt(3).appendBytes(new byte[3]));
        assertThrows(ProtocolException.class, () -> Deliver.read(shortRecord, (c, p, o, d, r) -> { }));
        Buffer hugeRecord = body(FrameType.DELIVER, x -> x.appendInt(1).appendInt(1)
                .appendInt(0).appendLong(0).appendInt(1).appendInt(Integer.MAX_VALUE).appendBytes(new byte[20]));
        assertThrows(ProtocolException.class, () -> Deliver.read(hugeRecord, (c, p, o, d, r) -> { }));
        Buffer countTooHigh = body(FrameType.DELIVER, x -> x.appendInt(1).appendInt(Integer.MAX_VALUE));
        assertThrows(ProtocolException.class, () -> Deliver.read(countTooHigh, (c, p, o, d, r) -> { }));
    }

    @Test
    void badStringLengths() {
        Buffer negative = body(FrameType.ERROR, x -> x.appendShort((short) 1).appendShort((short) -2));
        assertThrows(ProtocolException.class, () -> ErrorFrame.decode(negative));
        Buffer tooLong = body(FrameType.ERROR, x -> x.appendShort((short) 1).appendShort((short) 100).appendByte((byte) 'a'));
        assertThrows(ProtocolException.class, () -> ErrorFrame.decode(tooLong));
    }
}
