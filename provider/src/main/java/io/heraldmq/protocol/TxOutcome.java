package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * TX_OUTCOME: asks whether the transaction (producerId, sequence) of a COMMIT whose answer was lost committed.
 * Body: {@code int64 producerId, int32 sequence}. Answered by OK (it committed: it is, or will be, applied whole) or
 * ERROR TRANSACTION_ROLLED_BACK (it did not, and asking made sure it never will); a broker that cannot tell (a
 * single node: its journal is not a record of every outcome) answers ILLEGAL_STATE, and the commit stays in doubt.
 */
public record TxOutcome(long producerId, int sequence) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.TX_OUTCOME, correlationId, 12);
        b.appendLong(producerId).appendInt(sequence);
        return Frame.finish(b);
    }

    public static TxOutcome decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        TxOutcome m = new TxOutcome(c.readLong(), c.readInt());
        c.expectEnd();
        return m;
    }
}
