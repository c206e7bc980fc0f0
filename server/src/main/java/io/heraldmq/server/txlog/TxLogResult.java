package io.heraldmq.server.txlog;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Wire;
import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationFrameType;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * TX_RESULT: the decision log's answer. Body:
 * <pre>
 * int16  errorCode   0 = done; NOT_LEADER (ask the leader; nothing recorded), TRANSACTION_ROLLED_BACK (the decision
 *                    is refused: a participant has a newer leader), ILLEGAL_STATE (a gate of an older epoch)
 * string message     null when errorCode is 0
 * byte   more        TX_GATE: 1 if more decisions wait than fit in this answer (ask again after applying these)
 * int32  n           TX_GATE: the decisions to apply; else 0
 * n times: int32 length, bytes {@link TxDecision} layout
 * int32  m           prepared XA branches: TX_GATE, those touching the partition (to hold); TX_XA RECOVER, all of
 *                    them; TX_XA COMMIT/ROLLBACK, the branch finished; TX_RESOLVE of a prepared branch, it
 * m times: int32 length, bytes {@link XaBranch} layout
 * </pre>
 * (A body without {@code m}, from an older broker, has no prepared branches.)
 */
public record TxLogResult(short errorCode, String message, boolean more, List<TxDecision> decisions,
                          List<XaBranch> prepared) {
    public static final TxLogResult OK = new TxLogResult((short) 0, null, false, List.of());

    public TxLogResult {
        decisions = List.copyOf(decisions);
        prepared = List.copyOf(prepared);
    }

    public TxLogResult(short errorCode, String message, boolean more, List<TxDecision> decisions) {
        this(errorCode, message, more, decisions, List.of());
    }

    /** OK with prepared branches. */
    public static TxLogResult prepared(List<XaBranch> branches) {
        return new TxLogResult((short) 0, null, false, List.of(), branches);
    }

    public static TxLogResult error(ErrorCode code, String message) {
        return new TxLogResult(code.code(), message, false, List.of());
    }

    public boolean ok() {
        return errorCode == 0;
    }

    public Buffer encode(int correlationId) {
        int size = 64;
        for (TxDecision d : decisions) {
            size += 4 + d.sizeEstimate();
        }
        for (XaBranch x : prepared) {
            size += 4 + x.sizeEstimate();
        }
        Buffer b = ReplicationFrame.start(ReplicationFrameType.TX_RESULT, correlationId, size);
        b.appendShort(errorCode);
        Wire.writeString(b, message);
        b.appendByte((byte) (more ? 1 : 0)).appendInt(decisions.size());
        for (TxDecision d : decisions) {
            int at = b.length();
            b.appendInt(0);
            d.write(b);
            b.setInt(at, b.length() - at - 4);
        }
        b.appendInt(prepared.size());
        for (XaBranch x : prepared) {
            int at = b.length();
            b.appendInt(0);
            x.write(b);
            b.setInt(at, b.length() - at - 4);
        }
        return ReplicationFrame.finish(b);
    }

    public static TxLogResult decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        short code = c.readShort();
        String message = c.readString();
        boolean more = c.readByte() != 0;
        int n = c.readInt();
        if (n < 0 || n > c.remaining() / 4) {
            throw new IllegalArgumentException("bad decision count " + n + " in TX_RESULT");
        }
        List<TxDecision> decisions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Wire.Cursor d = new Wire.Cursor(c.readSlice(c.readInt()));
            decisions.add(TxDecision.read(d));
            d.expectEnd();
        }
        List<XaBranch> prepared = new ArrayList<>();
        if (c.remaining() > 0) {
            int m = c.readInt();
            if (m < 0 || m > c.remaining() / 4) {
                throw new IllegalArgumentException("bad prepared branch count " + m + " in TX_RESULT");
            }
            for (int i = 0; i < m; i++) {
                Wire.Cursor x = new Wire.Cursor(c.readSlice(c.readInt()));
                prepared.add(XaBranch.read(x));
                x.expectEnd();
            }
        }
        c.expectEnd();
        return new TxLogResult(code, message, more, decisions, prepared);
    }
}
