package io.heraldmq.server.txlog;

import io.heraldmq.protocol.Wire;
import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationFrameType;
import io.vertx.core.buffer.Buffer;

/**
 * TX_XA_FINISH: the broker that recorded an XA branch's outcome in the decision log tells the leader of one of the
 * branch's partitions to finish its part there; answered by TX_RESULT (OK: done or nothing held here; NOT_LEADER:
 * not led here with its gate passed, ask its leader). Body:
 * <pre>
 * string partition   the partition key
 * byte   apply       1: committed (DECISION recorded): apply; 0: rolled back (ABORTED recorded): release
 * int32  length, bytes  the branch's {@link TxDecision}
 * </pre>
 * Sent only after the outcome is committed in the decision log.
 */
public record TxXaFinish(String partition, boolean apply, TxDecision decision) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.TX_XA_FINISH, correlationId,
                64 + decision.sizeEstimate());
        Wire.writeString(b, partition);
        b.appendByte((byte) (apply ? 1 : 0));
        int at = b.length();
        b.appendInt(0);
        decision.write(b);
        b.setInt(at, b.length() - at - 4);
        return ReplicationFrame.finish(b);
    }

    public static TxXaFinish decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        String partition = c.readString();
        boolean apply = c.readByte() != 0;
        Wire.Cursor d = new Wire.Cursor(c.readSlice(c.readInt()));
        TxDecision decision = TxDecision.read(d);
        d.expectEnd();
        c.expectEnd();
        return new TxXaFinish(partition, apply, decision);
    }
}
