package io.heraldmq.server.tx;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.log.OffsetCheckpointFile;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Recovery of the transaction journal at broker start: a transaction that is journaled but was not (or only partly)
 * applied when the broker stopped is applied exactly once at the next start, and again-restarting adds nothing.
 */
class TxRecoveryIT {
    private static final long PRODUCER = 0x5eed;

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void aJournaledButUnappliedTransactionIsAppliedOnceAtStart() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("in"));
            for (int i = 0; i < 3; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            s.createConsumer(s.createQueue("in")).close(); // the queue's position now exists (not started: no credit)
        }
        broker.shutdown();
        journal(new TxRecord(0, PRODUCER, 0,
                List.of(new TxRecord.Batch(DestinationKind.QUEUE, "out-a", 0, 0,
                                TxJournalTest.batchOf(PRODUCER, 0, "a0", "a1")),
                        new TxRecord.Batch(DestinationKind.QUEUE, "out-b", 0, 0,
                                TxJournalTest.batchOf(PRODUCER, 0, "b0"))),
                List.of(new TxRecord.Ack("queue:in", 0, 0), new TxRecord.Ack("queue:in", 0, 1))));
        broker.start();

        assertEquals(List.of("a0", "a1"), drain("out-a"));
        assertEquals(List.of("b0"), drain("out-b"));
        assertEquals(List.of("m2"), drain("in"), "the transaction's acks consumed m0 and m1");

        broker.restart();
        assertEquals(List.of(), drain("out-a"), "a second start applies nothing again");
        assertEquals(List.of(), drain("out-b"));
        assertEquals(List.of(), drain("in"));
    }

    @Test
    void aHalfAppliedTransactionIsCompletedWithoutDuplicates() throws Exception {
        Buffer a = TxJournalTest.batchOf(PRODUCER, 3, "a0", "a1");
        Buffer b = TxJournalTest.batchOf(PRODUCER, 3, "b0");
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("out-a")).send(s.createTextMessage("before"));
        }
        produce(DestinationKind.QUEUE, "out-a", a.copy()); // the crash came after this batch, before the other
        broker.shutdown();
        journal(new TxRecord(0, PRODUCER, 3,
                List.of(new TxRecord.Batch(DestinationKind.QUEUE, "out-a", 0, 1, a),
                        new TxRecord.Batch(DestinationKind.QUEUE, "out-b", 0, 0, b)),
                List.of()));
        broker.start();

        assertEquals(List.of("before", "a0", "a1"), drain("out-a"));
        assertEquals(List.of("b0"), drain("out-b"));
    }

    @Test
    void xaRecordsAreReplayedByXid() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("xa-in"));
            for (int i = 0; i < 3; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            s.createConsumer(s.createQueue("xa-in")).close();
        }
        broker.shutdown();
        WireXid committed = new WireXid(1, new byte[]{1}, new byte[0]);
        WireXid prepared = new WireXid(1, new byte[]{2}, new byte[0]);
        WireXid decided = new WireXid(1, new byte[]{3}, new byte[0]);
        journal(new TxRecord(0, PRODUCER, 7, List.of(new TxRecord.Batch(DestinationKind.QUEUE, "xa-out", 0, 0,
                TxJournalTest.batchOf(PRODUCER, 7, "x0"))), List.of(new TxRecord.Ack("queue:xa-in", 0, 0)),
                TxRecord.Kind.PREPARED, committed));
        journal(new TxRecord(0, PRODUCER, 8, List.of(new TxRecord.Batch(DestinationKind.QUEUE, "xa-out", 0, 0,
                TxJournalTest.batchOf(PRODUCER, 8, "y0"))), List.of(new TxRecord.Ack("queue:xa-in", 0, 1)),
                TxRecord.Kind.PREPARED, prepared));
        journal(TxRecord.outcome(TxRecord.Kind.COMMITTED, committed));
        journal(TxRecord.outcome(TxRecord.Kind.HEURISTIC_ROLLED_BACK, decided));
        broker.start();

        assertEquals(List.of(prepared, decided), broker.broker().transactions().recoverable());
        assertEquals(List.of("x0"), drain("xa-out"), "the committed branch's message; not the prepared one's");
        assertEquals(List.of("m2"), drain("xa-in"), "m0 consumed by the committed branch, m1 held by the other");

        broker.restart();
        assertEquals(List.of(prepared, decided), broker.broker().transactions().recoverable());
        assertEquals(List.of(), drain("xa-out"), "applied once");
        assertEquals(List.of(), drain("xa-in"), "m1 still held");
    }

    /** Appends {@code record} to the stopped broker's journal, after its checkpoint. */
    private void journal(TxRecord record) throws IOException {
        Path dir = broker.dataDir().resolve("tx");
        long checkpoint = new OffsetCheckpointFile(dir.resolve("checkpoint")).read().orElse(0);
        try (TxJournal j = TxJournal.open(dir, TransactionLog.DEFAULT_ROLL_BYTES, checkpoint + 1)) {
            j.mark();
            j.append(record);
            j.force();
        }
    }

    /** Sends one batch as a plain PRODUCE and waits for its PRODUCE_ACK. */
    private void produce(DestinationKind kind, String destination, Buffer batch) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            socket.getOutputStream().write(new Connect(Connect.PROTOCOL_VERSION, null, null, null).encode(1).getBytes());
            socket.getOutputStream().write(new Produce(Produce.FLAG_ACK, kind, destination, 0, -1, batch).encode(2)
                    .getBytes());
            for (int answers = 0; answers < 2; answers++) {
                int length = in.readInt();
                byte type = in.readByte();
                in.skipNBytes(length - 1);
                if (answers == 1) {
                    assertEquals(FrameType.PRODUCE_ACK, FrameType.of(type));
                }
            }
        }
    }

    /** Every message the queue delivers now, in order, consumed. */
    private List<String> drain(String queue) throws JMSException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            for (TextMessage m = (TextMessage) consumer.receive(2000); m != null;
                 m = (TextMessage) consumer.receive(1000)) {
                out.add(m.getText());
            }
        }
        return out;
    }

    private Connection connect() throws JMSException {
        return new HeraldConnectionFactory(broker.url() + "?requestTimeout=20000").createConnection();
    }
}
