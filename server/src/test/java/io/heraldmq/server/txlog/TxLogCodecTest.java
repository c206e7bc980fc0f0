package io.heraldmq.server.txlog;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationFrameType;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision log's record and frame layouts round-trip, and damaged ones are refused. */
class TxLogCodecTest {
    private static TxDecision decision() {
        Buffer batch = Buffer.buffer(new byte[]{1, 2, 3, 4, 5});
        return new TxDecision(new TxId(0x1234_5678_9abcL, 7), "broker-a",
                List.of(new TxDecision.Participant("q:orders:0", 3), new TxDecision.Participant("t:audit:1", 9)),
                List.of(new TxDecision.Batch(0, 100, batch), new TxDecision.Batch(0, 100, batch.copy()),
                        new TxDecision.Batch(1, 40, batch.copy())),
                List.of(new TxDecision.Ack(0, "queue:orders", 55), new TxDecision.Ack(1, "durable:c:s", 12)));
    }

    private static void assertSame(TxDecision a, TxDecision b) {
        assertEquals(a.id(), b.id());
        assertEquals(a.coordinator(), b.coordinator());
        assertEquals(a.participants(), b.participants());
        assertEquals(a.acks(), b.acks());
        assertEquals(a.batches().size(), b.batches().size());
        for (int i = 0; i < a.batches().size(); i++) {
            assertEquals(a.batches().get(i).participant(), b.batches().get(i).participant());
            assertEquals(a.batches().get(i).lowerBound(), b.batches().get(i).lowerBound());
            assertEquals(a.batches().get(i).batch(), b.batches().get(i).batch());
        }
    }

    @Test
    void recordsRoundTripThroughAControlBatch() {
        TxDecision d = decision();
        RecordBatch.Builder builder = new RecordBatch.Builder(RecordBatch.ATTR_CONTROL, 256);
        builder.add(1L, null, new TxLogRecord.Decision(d).encode());
        builder.add(2L, null, new TxLogRecord.Applied(d.id(), List.of("q:orders:0")).encode());
        builder.add(3L, null, new TxLogRecord.Gate("t:audit:1", 10).encode());
        builder.add(4L, null, Buffer.buffer(new byte[]{1, 0, 0})); // the replication layer's own: skipped
        List<TxLogRecord> read = TxLogRecord.decode(builder.build());
        assertEquals(3, read.size());
        assertSame(d, ((TxLogRecord.Decision) read.get(0)).decision());
        assertEquals(new TxLogRecord.Applied(d.id(), List.of("q:orders:0")), read.get(1));
        assertEquals(new TxLogRecord.Gate("t:audit:1", 10), read.get(2));
    }

    @Test
    void aPreparedPartRoundTripsAsAClientProtocolFrame() {
        TxDecision d = decision();
        Buffer frame = new TxPrepared(d).encode(-5);
        assertEquals(io.heraldmq.protocol.FrameType.TX_PREPARED.code(), frame.getByte(4));
        assertEquals(-5, frame.getInt(5));
        assertEquals(frame.length() - 4, frame.getInt(0));
        assertSame(d, TxPrepared.decode(frame.slice(io.heraldmq.protocol.Frame.HEADER_BYTES, frame.length())).part());
        assertThrows(RuntimeException.class, () -> TxPrepared.decode(frame.slice(io.heraldmq.protocol.Frame.HEADER_BYTES,
                frame.length() - 1)));
    }

    @Test
    void partsOfAParticipant() {
        TxDecision d = decision();
        assertEquals(1, d.indexOf("t:audit:1"));
        assertEquals(-1, d.indexOf("q:other:0"));
        assertEquals(2, d.batchesOf(0).size());
        assertEquals(List.of(new TxDecision.Ack(1, "durable:c:s", 12)), d.acksOf(1));
    }

    @Test
    void framesRoundTrip() {
        TxDecision d = decision();
        assertSame(d, TxDecide.decode(body(new TxDecide(d).encode(5), ReplicationFrameType.TX_DECIDE)).decision());
        assertEquals(new TxGate("q:orders:0", 4), TxGate.decode(body(new TxGate("q:orders:0", 4).encode(6),
                ReplicationFrameType.TX_GATE)));
        assertEquals(new TxApplied(d.id(), List.of("a", "b")), TxApplied.decode(body(
                new TxApplied(d.id(), List.of("a", "b")).encode(7), ReplicationFrameType.TX_APPLIED)));
        TxLogResult r = TxLogResult.decode(body(new TxLogResult((short) 0, null, true, List.of(d, d)).encode(8),
                ReplicationFrameType.TX_RESULT));
        assertTrue(r.ok());
        assertTrue(r.more());
        assertEquals(2, r.decisions().size());
        assertSame(d, r.decisions().get(1));
        TxLogResult e = TxLogResult.decode(body(TxLogResult.error(ErrorCode.TRANSACTION_ROLLED_BACK, "fenced")
                .encode(9), ReplicationFrameType.TX_RESULT));
        assertEquals(ErrorCode.TRANSACTION_ROLLED_BACK.code(), e.errorCode());
        assertEquals("fenced", e.message());
    }

    @Test
    void xaRecordsAndFramesRoundTrip() {
        TxDecision d = decision();
        io.heraldmq.protocol.WireXid xid = new io.heraldmq.protocol.WireXid(0x4842, new byte[]{9, 8, 7},
                new byte[]{1});
        XaBranch branch = new XaBranch(xid, d);
        RecordBatch.Builder builder = new RecordBatch.Builder(RecordBatch.ATTR_CONTROL, 256);
        builder.add(1L, null, new TxLogRecord.XaPrepared(branch).encode());
        builder.add(2L, null, new TxLogRecord.Aborted(d.id()).encode());
        List<TxLogRecord> read = TxLogRecord.decode(builder.build());
        assertEquals(2, read.size());
        XaBranch back = ((TxLogRecord.XaPrepared) read.get(0)).branch();
        assertEquals(xid, back.xid());
        assertSame(d, back.decision());

        TxXa prepare = TxXa.decode(body(new TxXa(TxXa.PREPARE, xid, d).encode(3), ReplicationFrameType.TX_XA));
        assertEquals(TxXa.PREPARE, prepare.op());
        assertEquals(xid, prepare.xid());
        assertSame(d, prepare.decision());
        TxXa recover = TxXa.decode(body(new TxXa(TxXa.RECOVER, null, null).encode(4), ReplicationFrameType.TX_XA));
        assertEquals(new TxXa(TxXa.RECOVER, null, null), recover);

        TxXaFinish finish = TxXaFinish.decode(body(new TxXaFinish("q:orders:0", true, d).encode(5),
                ReplicationFrameType.TX_XA_FINISH));
        assertEquals("q:orders:0", finish.partition());
        assertTrue(finish.apply());
        assertSame(d, finish.decision());

        TxLogResult r = TxLogResult.decode(body(new TxLogResult((short) 0, null, false, List.of(d),
                List.of(branch, branch)).encode(6), ReplicationFrameType.TX_RESULT));
        assertEquals(1, r.decisions().size());
        assertEquals(2, r.prepared().size());
        assertEquals(xid, r.prepared().get(1).xid());
        assertSame(d, r.prepared().get(1).decision());
    }

    @Test
    void aResultWithoutPreparedBranchesFromAnOlderBrokerIsRead() {
        Buffer frame = TxLogResult.error(ErrorCode.NOT_LEADER, "x").encode(1);
        Buffer body = body(frame, ReplicationFrameType.TX_RESULT);
        TxLogResult old = TxLogResult.decode(body.slice(0, body.length() - 4)); // without the prepared count
        assertEquals(ErrorCode.NOT_LEADER.code(), old.errorCode());
        assertEquals(List.of(), old.prepared());
    }

    @Test
    void aDamagedDecisionIsRefused() {
        Buffer frame = new TxDecide(decision()).encode(1);
        Buffer body = body(frame, ReplicationFrameType.TX_DECIDE);
        // a participant index beyond the participants
        Buffer bad = body.copy();
        int firstBatchIndexAt = 8 + 4 + 2 + "broker-a".length() + 4 + (2 + 10 + 4) + (2 + 9 + 4) + 4;
        bad.setInt(firstBatchIndexAt, 7);
        assertThrows(RuntimeException.class, () -> TxDecide.decode(bad));
        assertThrows(RuntimeException.class, () -> TxDecide.decode(body.slice(0, body.length() - 3)));
    }

    private static Buffer body(Buffer frame, ReplicationFrameType type) {
        assertEquals(frame.length() - 4, frame.getInt(0));
        assertEquals(type.code(), frame.getByte(4));
        return frame.slice(ReplicationFrame.HEADER_BYTES, frame.length());
    }
}
