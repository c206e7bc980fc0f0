package io.heraldmq.server.net;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.junit.BrokerExtension;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COMMIT on the wire: a valid one is applied whole and answered OK; one the broker refuses (a message over
 * {@code max.message.bytes}, a partition that does not exist) is answered with ERROR, applies nothing and keeps the
 * connection; a malformed one (a batch without the transaction's identity) closes the connection.
 */
class CommitFramesIT {
    private static final int MAX_MESSAGE = 4096;
    private static final long PRODUCER = 0xc0ffee;

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(
            Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE)));

    @Test
    void aValidCommitIsAppliedWhole() throws Exception {
        try (RawClient c = connect()) {
            c.write(new Commit(PRODUCER, 0, List.of(send("cf-ok-a", -1, 0, "a1", "a2"), send("cf-ok-b", -1, 0, "b1")),
                    List.of()).encode(5));
            Frame answer = c.read();
            assertEquals(FrameType.OK, answer.type(), () -> describe(answer));
            assertEquals(5, answer.correlationId());
        }
        assertEquals(List.of("a1", "a2"), drain("cf-ok-a"));
        assertEquals(List.of("b1"), drain("cf-ok-b"));
    }

    @Test
    void anOversizedMessageRefusesTheWholeCommitAndKeepsTheConnection() throws Exception {
        try (RawClient c = connect()) {
            c.write(new Commit(PRODUCER, 1, List.of(send("cf-big-a", -1, 1, "fine"),
                    send("cf-big-b", -1, 1, "x".repeat(2 * MAX_MESSAGE))), List.of()).encode(6));
            Frame answer = c.read();
            assertEquals(FrameType.ERROR, answer.type());
            assertEquals(ErrorCode.MESSAGE_TOO_LARGE, ErrorFrame.decode(answer.body()).code());

            c.write(new Commit(PRODUCER, 2, List.of(send("cf-big-a", 7, 2, "nowhere")), List.of()).encode(7));
            Frame noPartition = c.read();
            assertEquals(ErrorCode.INVALID_DESTINATION, ErrorFrame.decode(noPartition.body()).code());

            c.write(new Commit(PRODUCER, 3, List.of(send("cf-big-a", -1, 3, "after")), List.of()).encode(8));
            assertEquals(FrameType.OK, c.read().type(), "the connection goes on");
        }
        assertEquals(List.of("after"), drain("cf-big-a"), "nothing of the refused commits was applied");
        assertEquals(List.of(), drain("cf-big-b"));
    }

    @Test
    void aBatchWithoutTheTransactionIdentityClosesTheConnection() throws Exception {
        try (RawClient c = connect()) {
            c.write(new Commit(PRODUCER, 4, List.of(send("cf-bad", -1, 99, "wrong sequence")), List.of()).encode(9));
            Frame answer = c.read();
            assertEquals(FrameType.ERROR, answer.type());
            assertEquals(ErrorCode.PROTOCOL_ERROR, ErrorFrame.decode(answer.body()).code());
            assertTrue(c.closedByPeer());
        }
        assertEquals(List.of(), drain("cf-bad"));
    }

    private static Commit.Send send(String queue, int partition, int sequence, String... texts) {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 256)
                .transaction(PRODUCER, sequence);
        for (String t : texts) {
            WireMessage m = new WireMessage();
            m.bodyType = WireMessage.BODY_TEXT;
            m.body = Buffer.buffer(t);
            b.add(System.currentTimeMillis(), null, m.encode());
        }
        return new Commit.Send(DestinationKind.QUEUE, queue, partition, b.build());
    }

    private static String describe(Frame f) {
        return f.type() == FrameType.ERROR ? ErrorFrame.decode(f.body()).toString() : f.type().toString();
    }

    private static List<String> drain(String queue) throws JMSException {
        List<String> out = new ArrayList<>();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            for (TextMessage m = (TextMessage) consumer.receive(1500); m != null;
                 m = (TextMessage) consumer.receive(500)) {
                out.add(m.getText());
            }
        }
        return out;
    }

    private static RawClient connect() throws IOException {
        RawClient c = new RawClient(broker.port());
        c.write(new Connect(Connect.PROTOCOL_VERSION, null, null, null).encode(1));
        assertEquals(FrameType.CONNECTED, c.read().type());
        return c;
    }
}
