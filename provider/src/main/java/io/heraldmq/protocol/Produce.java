package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * PRODUCE: one record batch for one destination. Body:
 * <pre>
 * byte   flags            bit 0 {@link #FLAG_ACK}: answer with PRODUCE_ACK once stored (after fsync when the batch
 *                         is persistent); errors are always answered with ERROR. On a NON_PERSISTENT batch sent
 *                         without waiting, the flag marks a flow-control window: the broker may hold the answer
 *                         (at most about half a second) while the partition's active consumers are backed up, and
 *                         the client stops sending while a few such answers are outstanding
 * byte   destinationKind  {@link DestinationKind}
 * string destination
 * int32  partition        -1: the broker chooses (key hash, else round robin)
 * int32  leaderEpoch      -1 when unknown; a stale epoch is refused with NOT_LEADER
 * ...    batch            the rest of the body: one {@link RecordBatch}, stored as is
 * </pre>
 */
public record Produce(byte flags, DestinationKind kind, String destination, int partition, int leaderEpoch,
                      Buffer batch) {
    public static final byte FLAG_ACK = 1;

    public boolean ackRequested() {
        return (flags & FLAG_ACK) != 0;
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.PRODUCE, correlationId, 16 + destination.length() + batch.length());
        b.appendByte(flags).appendByte(kind.code());
        Wire.writeString(b, destination);
        b.appendInt(partition).appendInt(leaderEpoch);
        b.appendBuffer(batch);
        return Frame.finish(b);
    }

    public static Produce decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        byte flags = c.readByte();
        DestinationKind kind = DestinationKind.of(c.readByte());
        String destination = c.readString();
        if (destination == null) {
            throw new ProtocolException("PRODUCE without a destination");
        }
        return new Produce(flags, kind, destination, c.readInt(), c.readInt(), c.rest());
    }
}
