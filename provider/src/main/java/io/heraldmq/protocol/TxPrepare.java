package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * TX_PREPARE: one leader's part of a transaction whose COMMIT touches destinations led by different brokers, sent by
 * the client's own broker (the coordinator) over its relay to that leader, where the part's consumers live. Body: the
 * body of {@link Commit} without moves (producerId, sequence, the sends to destinations this leader leads, the
 * deliveries its consumers on this relay gave out). Only a relay connection may send it.
 * <p>
 * The leader checks the part as it checks a COMMIT, holds the consumed deliveries (no other consumer gets them) and
 * answers TX_PREPARED with what the decision needs (its partitions with its leader epochs, each batch's lower bound,
 * the durable acks), or ERROR (nothing held). Nothing is applied until TX_FINISH says so, or, if none comes, until
 * the decision log says the transaction was decided.
 */
public record TxPrepare(Commit part) {
    public Buffer encode(int correlationId) {
        return Frame.finish(part.writeBody(Frame.start(FrameType.TX_PREPARE, correlationId, part.bodySizeHint())));
    }

    public static TxPrepare decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        Commit part = Commit.readBody(c);
        c.expectEnd();
        return new TxPrepare(part);
    }
}
