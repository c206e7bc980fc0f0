package io.heraldmq.server.txlog;

import io.heraldmq.protocol.Wire;
import io.heraldmq.server.replication.ReplicationFrame;
import io.heraldmq.server.replication.ReplicationFrameType;
import io.vertx.core.buffer.Buffer;

/** TX_DECIDE: a coordinator asks the decision log's leader to record a transaction. Body: {@link TxDecision}. */
public record TxDecide(TxDecision decision) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.TX_DECIDE, correlationId, decision.sizeEstimate());
        decision.write(b);
        return ReplicationFrame.finish(b);
    }

    public static TxDecide decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        TxDecide m = new TxDecide(TxDecision.read(c));
        c.expectEnd();
        return m;
    }
}
