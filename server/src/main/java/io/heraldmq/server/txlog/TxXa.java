package io.heraldmq.server.txlog;

import io.heraldmq.protocol.Wire;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationFrameType;
import io.vertx.core.buffer.Buffer;

/**
 * TX_XA: an XA request to the decision log's leader; answered by TX_RESULT. Body:
 * <pre>
 * byte   op        1 PREPARE (xid + branch: record PREPARED), 2 COMMIT (xid: record the branch's DECISION),
 *                  3 ROLLBACK (xid: record ABORTED), 4 RECOVER (the prepared, undecided branches)
 * byte   hasXid    1: an xid follows ({@link WireXid} layout)
 * int32  length    -1, or the length of a {@link TxDecision} (op PREPARE)
 * </pre>
 */
public record TxXa(byte op, WireXid xid, TxDecision decision) {
    public static final byte PREPARE = 1;
    public static final byte COMMIT = 2;
    public static final byte ROLLBACK = 3;
    public static final byte RECOVER = 4;

    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.TX_XA, correlationId,
                80 + (decision == null ? 0 : decision.sizeEstimate()));
        b.appendByte(op).appendByte((byte) (xid == null ? 0 : 1));
        if (xid != null) {
            xid.write(b);
        }
        if (decision == null) {
            b.appendInt(-1);
        } else {
            int at = b.length();
            b.appendInt(0);
            decision.write(b);
            b.setInt(at, b.length() - at - 4);
        }
        return ReplicationFrame.finish(b);
    }

    public static TxXa decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        byte op = c.readByte();
        WireXid xid = c.readByte() != 0 ? WireXid.read(c) : null;
        int length = c.readInt();
        TxDecision decision = null;
        if (length >= 0) {
            Wire.Cursor d = new Wire.Cursor(c.readSlice(length));
            decision = TxDecision.read(d);
            d.expectEnd();
        }
        c.expectEnd();
        return new TxXa(op, xid, decision);
    }
}
