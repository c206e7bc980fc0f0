package io.heraldmq.server.txlog;

import io.heraldmq.protocol.Wire;
import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationFrameType;
import io.vertx.core.buffer.Buffer;

/**
 * TX_RESOLVE: the outcome of a transaction whose commit lost its answer; an undecided one is rolled back for good.
 * Body: {@code int64 producerId, int32 sequence}.
 */
public record TxResolve(TxId id) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.TX_RESOLVE, correlationId, 12);
        b.appendLong(id.producerId()).appendInt(id.sequence());
        return ReplicationFrame.finish(b);
    }

    public static TxResolve decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        TxResolve m = new TxResolve(new TxId(c.readLong(), c.readInt()));
        c.expectEnd();
        return m;
    }
}
