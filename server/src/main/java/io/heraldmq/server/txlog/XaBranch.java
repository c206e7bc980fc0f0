package io.heraldmq.server.txlog;

import io.heraldmq.protocol.WireXid;
import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * A prepared XA branch of a clustered broker, as the decision log keeps it (PREPARED record): its xid and its whole
 * work in the {@link TxDecision} shape (every part's partitions with the preparing leaders' epochs, batches with
 * their lower bounds, durable acks; coordinator = the broker that prepared it). Everything needed to apply it, to
 * hold its consumed offsets at a partition's new leader, or to release them, without the broker that prepared it.
 * <p>
 * Layout: {@code xid} ({@link WireXid#write}: int32 formatId, byte n, n bytes global id, byte m, m bytes branch
 * qualifier), then the {@link TxDecision} layout.
 */
public record XaBranch(WireXid xid, TxDecision decision) {
    public void write(Buffer out) {
        xid.write(out);
        decision.write(out);
    }

    public int sizeEstimate() {
        return xid.encodedBytes() + decision.sizeEstimate();
    }

    public static XaBranch read(Wire.Cursor c) {
        WireXid xid = WireXid.read(c);
        return new XaBranch(xid, TxDecision.read(c));
    }
}
