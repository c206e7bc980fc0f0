package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * TX_FINISH: the coordinator of a transaction spanning brokers tells a leader what to do with the part it prepared
 * ({@link TxPrepare}). Body:
 * <pre>
 * int64 producerId   the transaction's id, as in its COMMIT
 * int32 sequence
 * byte  apply        1: the transaction is decided (committed in the decision log), apply the part;
 *                    0: it is not and never will be, release the held deliveries
 * </pre>
 * Answered by OK once done (a part the leader no longer has prepared is done already: OK), or ERROR INTERNAL when a
 * decided part could not be applied here yet (its partition's next leader applies it).
 */
public record TxFinish(long producerId, int sequence, boolean apply) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.TX_FINISH, correlationId, 13);
        b.appendLong(producerId).appendInt(sequence).appendByte((byte) (apply ? 1 : 0));
        return Frame.finish(b);
    }

    public static TxFinish decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        TxFinish m = new TxFinish(c.readLong(), c.readInt(), c.readByte() != 0);
        c.expectEnd();
        return m;
    }
}
