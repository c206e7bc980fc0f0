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
 * </pre>
 */
public record TxLogResult(short errorCode, String message, boolean more, List<TxDecision> decisions) {
    public static final TxLogResult OK = new TxLogResult((short) 0, null, false, List.of());

    public TxLogResult {
        decisions = List.copyOf(decisions);
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
        c.expectEnd();
        return new TxLogResult(code, message, more, decisions);
    }
}
