package io.heraldmq.server.net;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.TopicInfo;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.ProduceAck;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.junit.BrokerExtension;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * PRODUCE of an idempotent batch ({@link RecordBatch#ATTR_IDEMPOTENT}) sent twice with the same (producerId,
 * sequence), as a client does after a lost connection: one copy is stored and both answers name its offset, on one
 * connection, on another one, and after a broker restart (the partition rebuilds what it knows from its log).
 */
class IdempotentProduceFramesIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void aBatchSentTwiceIsStoredOnceAndBothAnswersNameTheSameOffset() throws Exception {
        Buffer first = batch(0x1234, 0, "a", "b");
        ProduceAck a;
        ProduceAck b;
        ProduceAck next;
        try (RawClient c = connect()) {
            a = produce(c, 2, "idem-q", first);
            // same bytes again, as the client re-sends them: a duplicate
            b = produce(c, 3, "idem-q", batch(0x1234, 0, "a", "b"));
            next = produce(c, 4, "idem-q", batch(0x1234, 1, "c"));
            assertEquals(a.baseOffset() + 2, next.baseOffset());
        }
        assertEquals(a, b);
        // a second connection (a client after failover) gets the same answer
        try (RawClient c = connect()) {
            assertEquals(next, produce(c, 2, "idem-q", batch(0x1234, 1, "c")));
            // an older batch of the producer is a duplicate too, answered with the newest offset known
            assertEquals(next, produce(c, 5, "idem-q", batch(0x1234, 0, "a", "b")));
            // another producer with the same sequence is not a duplicate
            assertNotEquals(a.baseOffset(), produce(c, 3, "idem-q", batch(0x9999, 0, "z")).baseOffset());
        }
        assertEquals(4, storedMessages("idem-q"));
    }

    @Test
    void aBatchSentAgainAfterARestartIsNotStoredTwice() throws Exception {
        ProduceAck a;
        try (RawClient c = connect()) {
            a = produce(c, 2, "idem-restart", batch(0x4242, 7, "x"));
        }
        broker.restart();
        try (RawClient c = connect()) {
            assertEquals(a, produce(c, 2, "idem-restart", batch(0x4242, 7, "x")));
            assertEquals(a.baseOffset() + 1, produce(c, 3, "idem-restart", batch(0x4242, 8, "y")).baseOffset());
        }
        assertEquals(2, storedMessages("idem-restart"));
    }

    @Test
    void keylessIdempotentBatchesOfOneProducerStayInOnePartition() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            admin.createQueue("idem-parts", 4, -1, -1);
        }
        try (RawClient c = connect()) {
            ProduceAck first = produce(c, 2, "idem-parts", batch(0x77, 0, "1"));
            ProduceAck last = first;
            for (int i = 1; i < 8; i++) {
                last = produce(c, 2 + i, "idem-parts", batch(0x77, i, "m" + i));
                assertEquals(first.partition(), last.partition());
            }
            // so the retry of the last lands where the last is, and is recognised
            assertEquals(last, produce(c, 20, "idem-parts", batch(0x77, 7, "m7")));
        }
        assertEquals(8, storedMessages("idem-parts"));
    }

    private static Buffer batch(long producerId, int sequence, String... texts) {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 256);
        for (String t : texts) {
            WireMessage m = new WireMessage();
            m.bodyType = WireMessage.BODY_TEXT;
            m.body = Buffer.buffer(t);
            b.add(1_000, null, m.encode());
        }
        return b.idempotent(producerId, sequence).build();
    }

    private static ProduceAck produce(RawClient c, int correlationId, String queue, Buffer batch) throws IOException {
        c.write(new Produce(Produce.FLAG_ACK, DestinationKind.QUEUE, queue, -1, -1, batch).encode(correlationId));
        Frame answer = c.read();
        assertEquals(FrameType.PRODUCE_ACK, answer.type(),
                () -> answer.type() == FrameType.ERROR ? ErrorFrame.decode(answer.body()).toString() : "");
        assertEquals(correlationId, answer.correlationId());
        return ProduceAck.decode(answer.body());
    }

    private long storedMessages(String queue) {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            for (TopicInfo t : admin.listTopics()) {
                if (t.queue() && t.name().equals(queue)) {
                    return t.messages();
                }
            }
        }
        throw new AssertionError("no queue " + queue);
    }

    private RawClient connect() throws IOException {
        RawClient c = new RawClient(broker.port());
        c.write(new Connect(Connect.PROTOCOL_VERSION, null, null, null).encode(1));
        assertEquals(FrameType.CONNECTED, c.read().type());
        return c;
    }
}
