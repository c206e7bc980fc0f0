package io.heraldmq.server.txlog;

import io.heraldmq.protocol.Wire;
import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationFrameType;
import io.vertx.core.buffer.Buffer;

/**
 * TX_GATE: a partition's new leader asks the decision log for the decided transactions it must apply before it
 * serves anyone. Body: {@code string partition, int32 leaderEpoch}.
 */
public record TxGate(String partition, int leaderEpoch) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.TX_GATE, correlationId, 64);
        Wire.writeString(b, partition);
        b.appendInt(leaderEpoch);
        return ReplicationFrame.finish(b);
    }

    public static TxGate decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        TxGate m = new TxGate(c.readString(), c.readInt());
        c.expectEnd();
        return m;
    }
}
