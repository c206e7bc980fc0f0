package io.heraldmq.server.net;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ProduceAck;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.junit.BrokerExtension;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection-level protocol against a real broker: handshake, and bad input closing only its own connection. */
class ConnectionProtocolIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of("max.message.bytes", "4096"));

    private static Buffer connect(int correlationId, short version, String clientId) {
        return new Connect(version, clientId, null, null).encode(correlationId);
    }

    private static RawClient connected(String clientId) throws IOException {
        RawClient c = new RawClient(broker.port());
        c.write(connect(1, Connect.PROTOCOL_VERSION, clientId));
        Frame f = c.read();
        assertEquals(FrameType.CONNECTED, f.type());
        return c;
    }

    @Test
    void handshakeAnswersWithConnectionIdAndLimit() throws IOException {
        try (RawClient c = new RawClient(broker.port())) {
            c.write(connect(7, Connect.PROTOCOL_VERSION, null));
            Frame f = c.read();
            assertEquals(FrameType.CONNECTED, f.type());
            assertEquals(7, f.correlationId());
            Connected connected = Connected.decode(f.body());
            assertEquals(Connect.PROTOCOL_VERSION, connected.protocolVersion());
            assertEquals(4096, connected.maxMessageBytes());
            assertTrue(connected.connectionId() != null && !connected.connectionId().isEmpty());
        }
    }

    @Test
    void otherProtocolVersionGetsAClearErrorAndIsClosed() throws IOException {
        try (RawClient c = new RawClient(broker.port())) {
            c.write(connect(1, (short) 99, null));
            Frame f = c.read();
            assertEquals(FrameType.ERROR, f.type());
            ErrorFrame e = ErrorFrame.decode(f.body());
            assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.code());
            assertTrue(e.message().contains("99") && e.message().contains("version 1"), e.message());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void firstFrameMustBeConnect() throws IOException {
        try (RawClient c = new RawClient(broker.port())) {
            c.write(new io.heraldmq.protocol.Credit(1, 10).encode());
            Frame f = c.read();
            assertEquals(ErrorCode.PROTOCOL_ERROR, ErrorFrame.decode(f.body()).code());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void duplicateClientIdIsRefused() throws IOException {
        try (RawClient first = connected("dup-id"); RawClient second = new RawClient(broker.port())) {
            second.write(connect(2, Connect.PROTOCOL_VERSION, "dup-id"));
            Frame f = second.read();
            assertEquals(FrameType.ERROR, f.type());
            assertEquals(ErrorCode.INVALID_CLIENT_ID, ErrorFrame.decode(f.body()).code());
        }
    }

    @Test
    void malformedFramesCloseOnlyTheirConnection() throws IOException {
        Buffer[] bad = {
                Buffer.buffer().appendInt(2).appendByte((byte) 1),                       // length below minimum
                Buffer.buffer().appendInt(-5),                                           // negative length
                Buffer.buffer().appendInt(5).appendByte((byte) 120).appendInt(1),        // unknown type
                Buffer.buffer().appendInt(100_000_000),                                  // oversized frame
                Buffer.buffer().appendInt(7).appendByte(FrameType.CREDIT.code()).appendInt(0).appendShort((short) 1),
        };
        try (RawClient bystander = connected(null)) {
            for (Buffer b : bad) {
                try (RawClient c = connected(null)) {
                    c.write(b);
                    Frame f = c.read();
                    assertEquals(FrameType.ERROR, f.type());
                    ErrorFrame e = ErrorFrame.decode(f.body());
                    assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
                    assertTrue(c.closedByPeer(), "connection should be closed after " + e.message());
                }
            }
            // The bystander still works.
            bystander.write(produce(3, 10));
            Frame ack = bystander.read();
            assertEquals(FrameType.PRODUCE_ACK, ack.type());
            assertEquals(3, ack.correlationId());
        }
    }

    @Test
    void oversizedMessageIsRefusedWithTheLimitAndTheConnectionStays() throws IOException {
        try (RawClient c = connected(null)) {
            c.write(produce(4, 8000));
            Frame f = c.read();
            assertEquals(FrameType.ERROR, f.type());
            ErrorFrame e = ErrorFrame.decode(f.body());
            assertEquals(ErrorCode.MESSAGE_TOO_LARGE, e.code());
            assertTrue(e.message().contains("4096"), e.message());
            c.write(produce(5, 100));
            Frame ok = c.read();
            assertEquals(FrameType.PRODUCE_ACK, ok.type());
            assertEquals(0L, ProduceAck.decode(ok.body()).baseOffset());
        }
    }

    @Test
    void corruptBatchClosesTheConnection() throws IOException {
        try (RawClient c = connected(null)) {
            Buffer frame = produce(6, 100);
            frame.setByte(frame.length() - 1, (byte) (frame.getByte(frame.length() - 1) ^ 0x5a));
            c.write(frame);
            Frame f = c.read();
            ErrorFrame e = ErrorFrame.decode(f.body());
            assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
            assertTrue(e.message().contains("CRC"), e.message());
            assertTrue(c.closedByPeer());
        }
    }

    private static Buffer produce(int correlationId, int bodyBytes) {
        WireMessage m = new WireMessage();
        m.bodyType = WireMessage.BODY_BYTES;
        m.body = Buffer.buffer(new byte[bodyBytes]);
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, bodyBytes + 64);
        b.add(System.currentTimeMillis(), null, m.encode());
        return new Produce(Produce.FLAG_ACK, DestinationKind.QUEUE, "protocol-test-" + correlationId, -1, -1,
                b.build()).encode(correlationId);
    }

}
