package io.heraldmq.server.txlog;

import io.heraldmq.protocol.Wire;
import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationFrameType;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * TX_APPLIED: parts of a decided transaction are applied. Body: {@code int64 producerId, int32 sequence, int32 n,
 * n x string partition}.
 */
public record TxApplied(TxId id, List<String> partitions) {
    public TxApplied {
        partitions = List.copyOf(partitions);
    }

    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.TX_APPLIED, correlationId, 32 + 32 * partitions.size());
        b.appendLong(id.producerId()).appendInt(id.sequence()).appendInt(partitions.size());
        for (String p : partitions) {
            Wire.writeString(b, p);
        }
        return ReplicationFrame.finish(b);
    }

    public static TxApplied decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        TxId id = new TxId(c.readLong(), c.readInt());
        int n = c.readInt();
        if (n < 0 || n > c.remaining() / 2) {
            throw new IllegalArgumentException("bad partition count " + n + " in TX_APPLIED");
        }
        List<String> partitions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            partitions.add(c.readString());
        }
        c.expectEnd();
        return new TxApplied(id, partitions);
    }
}
