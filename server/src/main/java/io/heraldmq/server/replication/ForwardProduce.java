package io.heraldmq.server.replication;

import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * FORWARD_PRODUCE: a broker that a client is connected to hands one of the client's batches to the leader of the
 * batch's partition. The batch bytes are the ones the client sent; the leader stores them as it would its own
 * client's. Body:
 * <pre>
 * string partition  {@code PartitionKey} string form
 * byte   flags      bit 0: answer only once the batch is committed (on a majority, durable); else after the append
 * int32  length
 * bytes  batch      one record batch
 * </pre>
 */
public record ForwardProduce(String partition, boolean waitCommitted, Buffer batch) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.FORWARD_PRODUCE, correlationId, 16 + batch.length());
        Wire.writeString(b, partition);
        b.appendByte((byte) (waitCommitted ? 1 : 0)).appendInt(batch.length()).appendBuffer(batch);
        return ReplicationFrame.finish(b);
    }

    public static ForwardProduce decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        ForwardProduce m = new ForwardProduce(c.readString(), (c.readByte() & 1) != 0, c.readSlice(c.readInt()));
        c.expectEnd();
        return m;
    }
}
