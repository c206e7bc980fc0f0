package io.heraldmq.server.txlog;

import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * TX_PREPARED (client protocol, on a relay): a leader's answer to TX_PREPARE, the part it prepared as the decision
 * will name it. Body: the {@link TxDecision} layout of the part alone (coordinator = the preparing leader; its
 * participants with that leader's epochs, each batch with its lower bound and its bytes as they will be appended,
 * which may differ from the client's by the JMSXUserID stamp; each durable ack). The coordinator merges the parts of
 * every leader into the one decision it commits (participant indices renumbered, itself as coordinator).
 */
public record TxPrepared(TxDecision part) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.TX_PREPARED, correlationId, part.sizeEstimate());
        part.write(b);
        return Frame.finish(b);
    }

    public static TxPrepared decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        TxDecision part = TxDecision.read(c);
        c.expectEnd();
        return new TxPrepared(part);
    }
}
